/**
 * POST /api/tickets: a signed-in seller lists a ticket for an event (201, version 0, a copy of the
 * event, ticket.created published); an unknown event is a 404 and a started one a 400; no session or a
 * forged one is a 401, invalid fields are refused by name, fields the seller may not set are ignored,
 * bad bodies get a 4xx.
 */
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { buildUser, publishedEvents, useService } from '@ticketing/common/testing';
import { readConfig } from '../config';
import { defineTicketsService } from '../service';
import { Ticket } from '../models/ticket.model';
import { waitForEvents } from '../test/events';
import { buildEvent, newId, TICKETS_TEST_ENV } from '../test/factories';

const t = useService(defineTicketsService, { readConfig, env: TICKETS_TEST_ENV });

const STARTS_AT = new Date('2030-06-01T00:00:00.000Z');
const EVENT_JSON = {
  name: 'Eras Tour',
  venue: 'Soldier Field',
  city: 'Chicago',
  category: 'concert',
  startsAt: STARTS_AT.toISOString(),
  timeZone: 'America/Chicago',
};

/** An event of the catalogue in 2030 (beyond the 2-year rule, but stored directly) and its id. */
async function anEvent(): Promise<string> {
  const { startsAt: _iso, category: _c, ...attrs } = EVENT_JSON;
  const event = await buildEvent({ ...attrs, startsAt: STARTS_AT });
  return String(event._id);
}

function postListing(cookie: string, body: object) {
  return request(t.url).post('/api/tickets').set('Cookie', cookie).send(body);
}

describe('POST /api/tickets', () => {
  it('lists a seat: 201 with the ticket, its event and seat, available, version 0, sold by the caller', async () => {
    const seller = buildUser();
    const eventId = await anEvent();

    const res = await postListing(seller.cookie, {
      eventId,
      price: 19.99,
      section: ' 101 ',
      row: 'B',
      seat: '12',
    });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      title: 'Eras Tour — Section 101, Row B, Seat 12',
      price: 19.99,
      fee: 3.5,
      total: 23.49,
      userId: seller.id,
      version: 0,
      status: 'available',
      eventId,
      event: { id: eventId, ...EVENT_JSON },
      section: '101',
      row: 'B',
      seat: '12',
      createdAt: expect.any(String),
    });
    const stored = await Ticket.findById(res.body.id).lean();
    expect(stored).toMatchObject({
      title: 'Eras Tour — Section 101, Row B, Seat 12',
      price: 19.99,
      userId: seller.id,
      status: 'available',
      version: 0,
      eventId,
      event: { name: 'Eras Tour', startsAt: STARTS_AT },
    });
    expect(stored!.orderId).toBeUndefined();
  });

  it('titles a ticket with no seat by its event, and keeps a title the seller gives', async () => {
    const eventId = await anEvent();

    const standing = await postListing(buildUser().cookie, { eventId, price: 20 });
    const titled = await postListing(buildUser().cookie, {
      eventId,
      price: 20,
      title: '  Front row, aisle  ',
    });

    expect(standing.status).toBe(201);
    expect(standing.body.title).toBe('Eras Tour');
    expect(standing.body).not.toHaveProperty('seat');
    expect(titled.body.title).toBe('Front row, aisle');
  });

  it('publishes ticket.created with the listing as stored, its event included', async () => {
    const seller = buildUser();
    const eventId = await anEvent();

    const res = await postListing(seller.cookie, { eventId, price: 20, seat: '7' }).expect(201);

    const events = await waitForEvents(t, 'ticket.created', 1);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toEqual({
      id: res.body.id,
      version: 0,
      title: 'Eras Tour — Seat 7',
      price: 20,
      userId: seller.id,
      status: 'available',
      eventId,
      event: { id: eventId, ...EVENT_JSON },
      seat: '7',
    });
    expect(events[0]!.eventId).toMatch(/^[0-9a-f]{24}$/);
  });

  it('answers 404 for an event that does not exist, storing nothing', async () => {
    const res = await postListing(buildUser().cookie, { eventId: newId(), price: 20 });

    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errors: [{ message: 'Event not found' }] });
    expect(await Ticket.countDocuments()).toBe(0);
  });

  it('refuses an event that has started with 400 on eventId', async () => {
    const started = await buildEvent({ startsAt: new Date(Date.now() - 1000) });

    const res = await postListing(buildUser().cookie, { eventId: String(started._id), price: 20 });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: 'The event has started', field: 'eventId' }] });
    expect(await Ticket.countDocuments()).toBe(0);
    expect(await publishedEvents(t)).toEqual([]);
  });

  it.each([0.5, 1_000_000])('accepts the boundary price %p', async (price) => {
    const res = await postListing(buildUser().cookie, { eventId: await anEvent(), price });

    expect(res.status).toBe(201);
    expect(res.body.price).toBe(price);
  });

  it('refuses a signed-out caller with 401 and stores nothing', async () => {
    const res = await request(t.url)
      .post('/api/tickets')
      .send({ eventId: await anEvent(), price: 20 });

    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: [{ message: 'Not authorized' }] });
    expect(await Ticket.countDocuments()).toBe(0);
  });

  it('refuses a forged session cookie with 401', async () => {
    const forged = `session=${Buffer.from(JSON.stringify({ jwt: 'not.a.jwt' })).toString('base64')}`;

    const res = await request(t.url)
      .post('/api/tickets')
      .set('Cookie', forged)
      .send({ eventId: await anEvent(), price: 20 });

    expect(res.status).toBe(401);
  });

  it.each([
    ['a price of 0', { price: 0 }, 'price'],
    ['a negative price', { price: -5 }, 'price'],
    ['a price below 0.50', { price: 0.49 }, 'price'],
    ['a price with 3 decimals', { price: 19.999 }, 'price'],
    ['a price over 1,000,000', { price: 1_000_000.01 }, 'price'],
    ['a price that is a word', { price: 'abc' }, 'price'],
    ['a price that is a numeric string', { price: '12' }, 'price'],
    ['a missing price', { price: undefined }, 'price'],
    ['a null price', { price: null }, 'price'],
    ['an operator object as price', { price: { $gt: 0 } }, 'price'],
    ['a missing event', { eventId: undefined }, 'eventId'],
    ['a malformed event id', { eventId: 'not-an-id' }, 'eventId'],
    ['an operator object as event id', { eventId: { $ne: null } }, 'eventId'],
    ['an empty title', { title: '' }, 'title'],
    ['a blank title', { title: '    ' }, 'title'],
    ['a title over 200 characters', { title: 'x'.repeat(201) }, 'title'],
    ['a title that is a number', { title: 42 }, 'title'],
    ['an operator object as title', { title: { $ne: '' } }, 'title'],
    ['an array as title', { title: ['Concert'] }, 'title'],
    ['a section over 20 characters', { section: 'x'.repeat(21) }, 'section'],
    ['a row that is a number', { row: 7 }, 'row'],
    ['a seat that is an object', { seat: { $gt: '' } }, 'seat'],
  ])(
    'refuses %s with 400 naming the field, storing and publishing nothing',
    async (_name, fields, field) => {
      const body = { eventId: await anEvent(), price: 20, ...fields };
      const res = await postListing(buildUser().cookie, body);

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
      .send({ eventId: 'x', title: '', price: 'abc' });

    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'eventId',
      'price',
      'title',
    ]);
  });

  it('ignores fields the seller may not set (status, orderId, userId, version)', async () => {
    const seller = buildUser();

    const res = await postListing(seller.cookie, {
      eventId: await anEvent(),
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
      .send({ eventId: newId(), price: 20, padding: 'x'.repeat(20_000) });

    expect(res.status).toBe(413);
    expect(res.body).toEqual({ errors: [{ message: 'Request body is too large' }] });
  });
});
