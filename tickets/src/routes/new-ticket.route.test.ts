/**
 * POST /api/tickets: a signed-in seller lists a ticket (201, version 0, ticket.created published);
 * no session or a forged one is a 401, invalid fields are refused by name, fields the seller may
 * not set are ignored, bad bodies get a 4xx.
 */
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { buildUser, publishedEvents, useService } from '@ticketing/common/testing';
import { readConfig } from '../config';
import { defineTicketsService } from '../service';
import { Ticket } from '../models/ticket.model';
import { waitForEvents } from '../test/events';
import { TICKETS_TEST_ENV } from '../test/factories';

const t = useService(defineTicketsService, { readConfig, env: TICKETS_TEST_ENV });

describe('POST /api/tickets', () => {
  it('lists a ticket: 201 with the ticket, available, version 0, sold by the caller', async () => {
    const seller = buildUser();

    const res = await request(t.url)
      .post('/api/tickets')
      .set('Cookie', seller.cookie)
      .send({ title: 'Concert', price: 19.99 });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      title: 'Concert',
      price: 19.99,
      userId: seller.id,
      version: 0,
      status: 'available',
      createdAt: expect.any(String),
    });
    const stored = await Ticket.findById(res.body.id).lean();
    expect(stored).toMatchObject({
      title: 'Concert',
      price: 19.99,
      userId: seller.id,
      status: 'available',
      version: 0,
    });
    expect(stored!.orderId).toBeUndefined();
  });

  it('publishes ticket.created with the listing as stored', async () => {
    const seller = buildUser();

    const res = await request(t.url)
      .post('/api/tickets')
      .set('Cookie', seller.cookie)
      .send({ title: 'Concert', price: 20 })
      .expect(201);

    const events = await waitForEvents(t, 'ticket.created', 1);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toEqual({
      id: res.body.id,
      version: 0,
      title: 'Concert',
      price: 20,
      userId: seller.id,
      status: 'available',
    });
    expect(events[0]!.eventId).toMatch(/^[0-9a-f]{24}$/);
  });

  it('trims the title', async () => {
    const res = await request(t.url)
      .post('/api/tickets')
      .set('Cookie', buildUser().cookie)
      .send({ title: '  Opera  ', price: 10 });

    expect(res.status).toBe(201);
    expect(res.body.title).toBe('Opera');
  });

  it.each([0.5, 1_000_000])('accepts the boundary price %p', async (price) => {
    const res = await request(t.url)
      .post('/api/tickets')
      .set('Cookie', buildUser().cookie)
      .send({ title: 'Concert', price });

    expect(res.status).toBe(201);
    expect(res.body.price).toBe(price);
  });

  it('refuses a signed-out caller with 401 and stores nothing', async () => {
    const res = await request(t.url).post('/api/tickets').send({ title: 'Concert', price: 20 });

    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: [{ message: 'Not authorized' }] });
    expect(await Ticket.countDocuments()).toBe(0);
  });

  it('refuses a forged session cookie with 401', async () => {
    const forged = `session=${Buffer.from(JSON.stringify({ jwt: 'not.a.jwt' })).toString('base64')}`;

    const res = await request(t.url)
      .post('/api/tickets')
      .set('Cookie', forged)
      .send({ title: 'Concert', price: 20 });

    expect(res.status).toBe(401);
  });

  it.each([
    ['a price of 0', { title: 'Concert', price: 0 }, 'price'],
    ['a negative price', { title: 'Concert', price: -5 }, 'price'],
    ['a price below 0.50', { title: 'Concert', price: 0.49 }, 'price'],
    ['a price with 3 decimals', { title: 'Concert', price: 19.999 }, 'price'],
    ['a price over 1,000,000', { title: 'Concert', price: 1_000_000.01 }, 'price'],
    ['a price that is a word', { title: 'Concert', price: 'abc' }, 'price'],
    ['a price that is a numeric string', { title: 'Concert', price: '12' }, 'price'],
    ['a missing price', { title: 'Concert' }, 'price'],
    ['a null price', { title: 'Concert', price: null }, 'price'],
    ['an operator object as price', { title: 'Concert', price: { $gt: 0 } }, 'price'],
    ['a missing title', { price: 20 }, 'title'],
    ['an empty title', { title: '', price: 20 }, 'title'],
    ['a blank title', { title: '    ', price: 20 }, 'title'],
    ['a title over 200 characters', { title: 'x'.repeat(201), price: 20 }, 'title'],
    ['a title that is a number', { title: 42, price: 20 }, 'title'],
    ['an operator object as title', { title: { $ne: '' }, price: 20 }, 'title'],
    ['an array as title', { title: ['Concert'], price: 20 }, 'title'],
  ])(
    'refuses %s with 400 naming the field, storing and publishing nothing',
    async (_name, body, field) => {
      const res = await request(t.url)
        .post('/api/tickets')
        .set('Cookie', buildUser().cookie)
        .send(body);

      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        errors: [{ message: expect.any(String), field }],
      });
      expect(await Ticket.countDocuments()).toBe(0);
      expect(await publishedEvents(t)).toEqual([]);
    },
  );

  it('reports every invalid field at once', async () => {
    const res = await request(t.url)
      .post('/api/tickets')
      .set('Cookie', buildUser().cookie)
      .send({ title: '', price: 'abc' });

    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'price',
      'title',
    ]);
  });

  it('ignores fields the seller may not set (status, orderId, userId, version)', async () => {
    const seller = buildUser();

    const res = await request(t.url).post('/api/tickets').set('Cookie', seller.cookie).send({
      title: 'Concert',
      price: 20,
      status: 'sold',
      orderId: '507f1f77bcf86cd799439011',
      userId: 'someone-else',
      version: 7,
    });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'available', userId: seller.id, version: 0 });
    expect(res.body.orderId).toBeUndefined();
  });

  it.each([
    ['an array', '[]'],
    ['a string', '"Concert"'],
    ['null', 'null'],
    ['a number', '20'],
    ['malformed JSON', '{"title": '],
  ])('refuses a body that is %s with 400 in the error shape', async (_name, raw) => {
    const res = await request(t.url)
      .post('/api/tickets')
      .set('Cookie', buildUser().cookie)
      .set('Content-Type', 'application/json')
      .send(raw);

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: expect.any(String) }] });
    expect(await Ticket.countDocuments()).toBe(0);
  });

  it('refuses a body over 16 kB with 413 in the error shape', async () => {
    const res = await request(t.url)
      .post('/api/tickets')
      .set('Cookie', buildUser().cookie)
      .send({ title: 'Concert', price: 20, padding: 'x'.repeat(20_000) });

    expect(res.status).toBe(413);
    expect(res.body).toEqual({ errors: [{ message: 'Request body is too large' }] });
  });
});
