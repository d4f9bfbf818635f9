/**
 * Malformed requests to the tickets app (bad encodings, operators as ids, huge numbers, prototype
 * keys, garbage cookies): each gets a 4xx in the error shape, never a 500.
 */
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { buildUser, useService } from '@ticketing/common/testing';
import { readConfig } from './config';
import { defineTicketsService } from './service';
import { buildTicket, TICKETS_TEST_ENV } from './test/factories';

const t = useService(defineTicketsService, { readConfig, env: TICKETS_TEST_ENV });

type Send = (url: string, ids: { ticket: string; cookie: string }) => request.Test;

/** Requests no client should send; each must get a 4xx in the error shape, never a 500. */
const malformed: Array<[string, Send]> = [
  ['a path id that is not valid URI encoding', (url) => request(url).get('/api/tickets/%E0%A4%A')],
  [
    'a path id that is an operator',
    (url) => request(url).get('/api/tickets/%7B%22%24gt%22%3A%22%22%7D'),
  ],
  ['a repeated limit', (url) => request(url).get('/api/tickets?limit=1&limit=2')],
  ['a huge page', (url) => request(url).get(`/api/tickets?page=${'9'.repeat(400)}`)],
  ['an unknown route', (url) => request(url).get('/api/tickets/a/b')],
  ['an unsupported method', (url, ids) => request(url).delete(`/api/tickets/${ids.ticket}`)],
  [
    'a JSON body in an unsupported charset',
    (url, ids) =>
      request(url)
        .post('/api/tickets')
        .set('Cookie', ids.cookie)
        .set('Content-Type', 'application/json; charset=iso-8859-1')
        .send('{"title":"A","price":1}'),
  ],
  [
    'a body declared gzip that is not',
    (url, ids) =>
      request(url)
        .post('/api/tickets')
        .set('Cookie', ids.cookie)
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        .send('{"title":"A","price":1}'),
  ],
  [
    'a form-encoded body',
    (url, ids) =>
      request(url)
        .post('/api/tickets')
        .set('Cookie', ids.cookie)
        .type('form')
        .send('title=A&price=1'),
  ],
  [
    'a price written as a huge exponent',
    (url, ids) =>
      request(url)
        .post('/api/tickets')
        .set('Cookie', ids.cookie)
        .set('Content-Type', 'application/json')
        .send('{"title":"A","price":1e400}'),
  ],
  [
    'a body with a prototype-polluting key',
    (url, ids) =>
      request(url)
        .put(`/api/tickets/${ids.ticket}`)
        .set('Cookie', ids.cookie)
        .set('Content-Type', 'application/json')
        .send('{"__proto__":{"price":5}}'),
  ],
  [
    'a garbage session cookie',
    (url, ids) =>
      request(url)
        .put(`/api/tickets/${ids.ticket}`)
        .set('Cookie', 'session=%%%not-base64')
        .send({ title: 'A', price: 1 }),
  ],
];

describe('malformed input', () => {
  it.each(malformed)('answers %s with a 4xx in the error shape', async (_name, send) => {
    const seller = buildUser();
    const ticket = await buildTicket({ userId: seller.id });

    const res = await send(t.url, { ticket: ticket.id, cookie: seller.cookie });

    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body).toEqual({
      errors: expect.arrayContaining([expect.objectContaining({ message: expect.any(String) })]),
    });
  });
});
