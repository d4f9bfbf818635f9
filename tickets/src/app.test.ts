import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { buildTicket, buildUser, useTicketsApp } from './test/tickets-test-app';

const t = useTicketsApp();

type Send = (app: typeof t.app, ids: { ticket: string; cookie: string }) => request.Test;

/** Requests no client should send; each must get a 4xx in the error shape, never a 500. */
const malformed: Array<[string, Send]> = [
  ['a path id that is not valid URI encoding', (app) => request(app).get('/api/tickets/%E0%A4%A')],
  [
    'a path id that is an operator',
    (app) => request(app).get('/api/tickets/%7B%22%24gt%22%3A%22%22%7D'),
  ],
  ['a repeated limit', (app) => request(app).get('/api/tickets?limit=1&limit=2')],
  ['a huge page', (app) => request(app).get(`/api/tickets?page=${'9'.repeat(400)}`)],
  ['an unknown route', (app) => request(app).get('/api/tickets/a/b')],
  ['an unsupported method', (app, ids) => request(app).delete(`/api/tickets/${ids.ticket}`)],
  [
    'a JSON body in an unsupported charset',
    (app, ids) =>
      request(app)
        .post('/api/tickets')
        .set('Cookie', ids.cookie)
        .set('Content-Type', 'application/json; charset=iso-8859-1')
        .send('{"title":"A","price":1}'),
  ],
  [
    'a body declared gzip that is not',
    (app, ids) =>
      request(app)
        .post('/api/tickets')
        .set('Cookie', ids.cookie)
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        .send('{"title":"A","price":1}'),
  ],
  [
    'a form-encoded body',
    (app, ids) =>
      request(app)
        .post('/api/tickets')
        .set('Cookie', ids.cookie)
        .type('form')
        .send('title=A&price=1'),
  ],
  [
    'a price written as a huge exponent',
    (app, ids) =>
      request(app)
        .post('/api/tickets')
        .set('Cookie', ids.cookie)
        .set('Content-Type', 'application/json')
        .send('{"title":"A","price":1e400}'),
  ],
  [
    'a body with a prototype-polluting key',
    (app, ids) =>
      request(app)
        .put(`/api/tickets/${ids.ticket}`)
        .set('Cookie', ids.cookie)
        .set('Content-Type', 'application/json')
        .send('{"__proto__":{"title":"x"},"price":5}'),
  ],
  [
    'a garbage session cookie',
    (app, ids) =>
      request(app)
        .put(`/api/tickets/${ids.ticket}`)
        .set('Cookie', 'session=%%%not-base64')
        .send({ title: 'A', price: 1 }),
  ],
];

describe('malformed input', () => {
  it.each(malformed)('answers %s with a 4xx in the error shape', async (_name, send) => {
    const seller = buildUser();
    const ticket = await buildTicket({ userId: seller.id });

    const res = await send(t.app, { ticket: ticket.id, cookie: seller.cookie });

    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body).toEqual({
      errors: expect.arrayContaining([expect.objectContaining({ message: expect.any(String) })]),
    });
  });
});
