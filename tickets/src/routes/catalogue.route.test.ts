/**
 * The catalogue: POST /api/events adds an event once (a repeat, however it is spelled or raced, answers
 * the stored one), GET /api/events lists the events that have not started with their listings' count
 * and lowest price, GET /api/events/:id shows one with its listings cheapest first; GET /api/tickets
 * searches, filters and sorts the open listings; a listing whose event started is closed.
 */
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { TicketStatus } from '@ticketing/common';
import { buildUser, useService } from '@ticketing/common/testing';
import { readConfig } from '../config';
import { CatalogEvent } from '../models/catalog-event.model';
import { Ticket } from '../models/ticket.model';
import { defineTicketsService } from '../service';
import { buildEvent, newId, TICKETS_TEST_ENV } from '../test/factories';

const t = useService(defineTicketsService, { readConfig, env: TICKETS_TEST_ENV });

const DAY_MS = 24 * 60 * 60 * 1000;
const inDays = (days: number) => new Date(Date.now() + days * DAY_MS);

const IN_A_MONTH = inDays(30).toISOString();

function eventBody(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Eras Tour',
    venue: 'Soldier Field',
    city: 'Chicago',
    startsAt: IN_A_MONTH,
    timeZone: 'America/Chicago',
    category: 'concert',
    ...overrides,
  };
}

function postEvent(body: object, cookie = buildUser().cookie) {
  return request(t.url).post('/api/events').set('Cookie', cookie).send(body);
}

/** Lists a ticket through the route (so it is stored exactly as a seller's would be). */
async function list(eventId: unknown, price: number, fields: Record<string, string> = {}) {
  const res = await request(t.url)
    .post('/api/tickets')
    .set('Cookie', buildUser().cookie)
    .send({ eventId: String(eventId), price, ...fields })
    .expect(201);
  return res.body as { id: string; title: string; price: number };
}

const names = (body: Array<{ name: string }>) => body.map((event) => event.name);
const titles = (body: Array<{ title: string }>) => body.map((ticket) => ticket.title);

describe('POST /api/events', () => {
  it('adds an event: 201 with it, trimmed, its time zone by its IANA name', async () => {
    const startsAt = inDays(10).toISOString();

    const res = await postEvent(
      eventBody({ name: '  Eras Tour ', startsAt, timeZone: 'america/chicago' }),
    );

    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      name: 'Eras Tour',
      venue: 'Soldier Field',
      city: 'Chicago',
      category: 'concert',
      startsAt,
      timeZone: 'America/Chicago',
    });
    expect(await CatalogEvent.countDocuments()).toBe(1);
  });

  it('answers 200 with the stored event for the same name, venue, city and start, however spelled', async () => {
    const first = await postEvent(eventBody()).expect(201);

    const again = await postEvent(
      eventBody({ name: 'ERAS   tour', venue: ' soldier  FIELD', city: 'chicago' }),
    );

    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await CatalogEvent.countDocuments()).toBe(1);
  });

  it('stores one event when ten sellers post it at once', async () => {
    const body = eventBody();

    const replies = await Promise.all(Array.from({ length: 10 }, () => postEvent(body)));

    expect(replies.map((r) => r.status).sort()).toEqual([...Array(9).fill(200), 201]);
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    expect(await CatalogEvent.countDocuments()).toBe(1);
  });

  it('adds another event for another start or another venue', async () => {
    await postEvent(eventBody()).expect(201);

    await postEvent(eventBody({ startsAt: inDays(31).toISOString() })).expect(201);
    await postEvent(eventBody({ venue: 'United Center' })).expect(201);

    expect(await CatalogEvent.countDocuments()).toBe(3);
  });

  it('refuses a signed-out caller with 401', async () => {
    const res = await request(t.url).post('/api/events').send(eventBody());

    expect(res.status).toBe(401);
    expect(await CatalogEvent.countDocuments()).toBe(0);
  });

  it.each([
    ['a missing name', { name: undefined }, 'name'],
    ['a blank name', { name: '   ' }, 'name'],
    ['a name over 120 characters', { name: 'x'.repeat(121) }, 'name'],
    ['a venue that is a number', { venue: 7 }, 'venue'],
    ['an operator object as city', { city: { $ne: '' } }, 'city'],
    ['an unknown category', { category: 'opera' }, 'category'],
    ['a missing category', { category: undefined }, 'category'],
    ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
    ['a time zone that is a number', { timeZone: 5 }, 'timeZone'],
    ['a start in the past', { startsAt: new Date(Date.now() - 60_000).toISOString() }, 'startsAt'],
    ['a start over two years ahead', { startsAt: inDays(2 * 366).toISOString() }, 'startsAt'],
    ['a start without an offset', { startsAt: '2027-06-01T20:00:00' }, 'startsAt'],
    ['a start that is a date only', { startsAt: '2027-06-01' }, 'startsAt'],
    ['a start that is not a date', { startsAt: 'tomorrow' }, 'startsAt'],
    ['a start that is a number', { startsAt: Date.now() + DAY_MS }, 'startsAt'],
  ])('refuses %s with 400 naming the field, storing nothing', async (_name, fields, field) => {
    const res = await postEvent(eventBody(fields));

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: expect.any(String), field }] });
    expect(await CatalogEvent.countDocuments()).toBe(0);
  });
});

describe('GET /api/events', () => {
  it('lists events that have not started, soonest first, with the count and lowest price of what is for sale', async () => {
    const later = await buildEvent({ name: 'Later', startsAt: inDays(20) });
    const sooner = await buildEvent({ name: 'Sooner', startsAt: inDays(2) });
    await buildEvent({ name: 'Started', startsAt: new Date(Date.now() - 1000) });
    await list(later._id, 40);
    await list(later._id, 25.5);
    const held = await list(later._id, 10);
    await Ticket.updateOne({ _id: held.id }, { status: TicketStatus.Reserved, orderId: newId() });

    const res = await request(t.url).get('/api/events');

    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      {
        id: String(sooner._id),
        name: 'Sooner',
        venue: 'Arena',
        city: 'Springfield',
        category: 'concert',
        startsAt: sooner.startsAt.toISOString(),
        timeZone: 'America/Chicago',
        listings: 0,
        lowestPrice: null,
      },
      expect.objectContaining({ id: String(later._id), listings: 2, lowestPrice: 29.55 }),
    ]);
  });

  it('finds events by every word of q in any order, across name, venue and city', async () => {
    await buildEvent({ name: 'Taylor Swift: The Eras Tour', venue: 'Soldier Field' });
    await buildEvent({ name: 'Taylor Mac', venue: 'Lyric Opera', city: 'Chicago' });
    await buildEvent({ name: 'Coldplay', venue: 'Soldier Field', city: 'Chicago' });

    const both = await request(t.url).get('/api/events?q=field%20TAYLOR');
    const city = await request(t.url).get('/api/events?q=chic');
    const none = await request(t.url).get('/api/events?q=taylor%20wembley');
    const pattern = await request(t.url).get('/api/events?q=.*');

    expect(names(both.body)).toEqual(['Taylor Swift: The Eras Tour']);
    expect(names(city.body).sort()).toEqual(['Coldplay', 'Taylor Mac']);
    expect(none.body).toEqual([]);
    expect(pattern.body).toEqual([]);
  });

  it('filters by city (any case), category and a date range', async () => {
    await buildEvent({ name: 'A', city: 'New York', startsAt: inDays(3) });
    await buildEvent({ name: 'B', city: 'Chicago', category: 'sports', startsAt: inDays(5) });
    await buildEvent({ name: 'C', city: 'new  york', category: 'comedy', startsAt: inDays(9) });
    const day5 = inDays(5).toISOString().slice(0, 10);

    const city = await request(t.url).get('/api/events?city=NEW%20YORK');
    const sports = await request(t.url).get('/api/events?category=sports');
    const range = await request(t.url).get(
      `/api/events?from=${inDays(4).toISOString()}&to=${day5}`,
    );
    const blank = await request(t.url).get('/api/events?city=&category=&q=');

    expect(range.status).toBe(200);
    expect(names(city.body)).toEqual(['A', 'C']);
    expect(names(sports.body)).toEqual(['B']);
    expect(names(range.body)).toEqual(['B']);
    expect(names(blank.body)).toEqual(['A', 'B', 'C']);
  });

  it('pages with X-Next-Page', async () => {
    for (let i = 1; i <= 3; i++) await buildEvent({ name: `E${i}`, startsAt: inDays(i) });

    const first = await request(t.url).get('/api/events?limit=2');
    const second = await request(t.url).get('/api/events?limit=2&page=2');

    expect(names(first.body)).toEqual(['E1', 'E2']);
    expect(first.get('X-Next-Page')).toBe('2');
    expect(names(second.body)).toEqual(['E3']);
    expect(second.get('X-Next-Page')).toBeUndefined();
  });

  it.each([
    ['category=opera', 'category'],
    ['from=soon', 'from'],
    ['to=2027-13-45', 'to'],
    [`from=${inDays(5).toISOString()}&to=${inDays(4).toISOString()}`, 'to'],
    ['city=a&city=b', 'city'],
    [`q=${'x'.repeat(201)}`, 'q'],
    ['page=0', 'page'],
  ])('refuses ?%s with 400 naming the parameter', async (query, field) => {
    const res = await request(t.url).get(`/api/events?${query}`);

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: expect.any(String), field }] });
  });
});

describe('GET /api/events/:id', () => {
  it('shows the event with its open listings, cheapest first', async () => {
    const event = await buildEvent({ name: 'Eras Tour' });
    await list(event._id, 80, { section: 'Floor' });
    await list(event._id, 35, { section: '300', row: 'K', seat: '4' });

    const res = await request(t.url).get(`/api/events/${String(event._id)}`);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: String(event._id),
      name: 'Eras Tour',
      listings: 2,
      lowestPrice: 40, // the cheapest total: $35 + 10 % + $1.50
    });
    expect(titles(res.body.tickets)).toEqual([
      'Eras Tour — Section 300, Row K, Seat 4',
      'Eras Tour — Section Floor',
    ]);
  });

  it('lists nothing for an event that has started', async () => {
    const event = await buildEvent({ startsAt: new Date(Date.now() - 1000) });

    const res = await request(t.url).get(`/api/events/${String(event._id)}`);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ listings: 0, lowestPrice: null, tickets: [] });
  });

  it.each([newId(), 'not-an-id'])('answers 404 for %s', async (id) => {
    const res = await request(t.url).get(`/api/events/${id}`);

    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errors: [{ message: 'Event not found' }] });
  });
});

describe('GET /api/tickets: search, filters and sorts', () => {
  async function arrange() {
    const eras = await buildEvent({
      name: 'Eras Tour',
      venue: 'Soldier Field',
      city: 'Chicago',
      startsAt: inDays(10),
    });
    const derby = await buildEvent({
      name: 'Derby Day',
      venue: 'Churchill Downs',
      city: 'Louisville',
      category: 'sports',
      startsAt: inDays(4),
    });
    await list(eras._id, 50, { title: 'Eras floor' });
    await list(derby._id, 20, { title: 'Derby grandstand' });
    await list(eras._id, 120, { title: 'Eras VIP box' });
    return { eras, derby };
  }

  it.each([
    ['sort=newest', ['Eras VIP box', 'Derby grandstand', 'Eras floor']],
    ['', ['Eras VIP box', 'Derby grandstand', 'Eras floor']],
    ['sort=price', ['Derby grandstand', 'Eras floor', 'Eras VIP box']],
    ['sort=-price', ['Eras VIP box', 'Eras floor', 'Derby grandstand']],
    ['sort=date', ['Derby grandstand', 'Eras floor', 'Eras VIP box']],
    ['q=box%20ERAS', ['Eras VIP box']],
    ['q=soldier', ['Eras VIP box', 'Eras floor']],
    ['city=louisville', ['Derby grandstand']],
    ['category=sports', ['Derby grandstand']],
    // Price bounds are on what the buyer pays: asks 20, 50, 120 → totals 23.50, 56.50, 133.50.
    ['minPrice=23.5&maxPrice=56.5', ['Derby grandstand', 'Eras floor']],
    ['maxPrice=56.49', ['Derby grandstand']],
    ['minPrice=56.51', ['Eras VIP box']],
    ['minPrice=23.51&maxPrice=133.5', ['Eras VIP box', 'Eras floor']],
  ])('?%s → %p', async (query, expected) => {
    await arrange();

    const res = await request(t.url).get(`/api/tickets?${query}`);

    expect(res.status).toBe(200);
    expect(titles(res.body)).toEqual(expected);
  });

  it('finds a listing by the title its seller gave it since', async () => {
    const seller = buildUser();
    const event = await buildEvent({ name: 'Opera night' });
    const { body: listing } = await request(t.url)
      .post('/api/tickets')
      .set('Cookie', seller.cookie)
      .send({ eventId: String(event._id), price: 30 })
      .expect(201);

    await request(t.url)
      .put(`/api/tickets/${listing.id}`)
      .set('Cookie', seller.cookie)
      .send({ title: 'Royal box, champagne included' })
      .expect(200);
    const res = await request(t.url).get('/api/tickets?q=champagne%20opera');

    expect(titles(res.body)).toEqual(['Royal box, champagne included']);
  });

  it('narrows to one event, and to a date range of events', async () => {
    const { eras } = await arrange();

    const one = await request(t.url).get(`/api/tickets?eventId=${String(eras._id)}&sort=price`);
    const range = await request(t.url).get(
      `/api/tickets?from=${inDays(5).toISOString().slice(0, 10)}`,
    );

    expect(titles(one.body)).toEqual(['Eras floor', 'Eras VIP box']);
    expect(titles(range.body)).toEqual(['Eras VIP box', 'Eras floor']);
  });

  it('leaves out listings whose event has started; their own page shows them closed', async () => {
    const event = await buildEvent({ name: 'Tonight', startsAt: inDays(1) });
    const listing = await list(event._id, 30);
    await CatalogEvent.updateOne({ _id: event._id }, { startsAt: new Date(Date.now() - 1000) });
    await Ticket.updateOne({ _id: listing.id }, { 'event.startsAt': new Date(Date.now() - 1000) });

    const all = await request(t.url).get('/api/tickets');
    const own = await request(t.url).get(`/api/tickets/${listing.id}`);

    expect(all.body).toEqual([]);
    expect(own.body).toMatchObject({ id: listing.id, status: 'closed' });
  });

  it.each([
    ['sort=cheapest', 'sort'],
    ['minPrice=abc', 'minPrice'],
    ['maxPrice=-1', 'maxPrice'],
    ['minPrice=50&maxPrice=10', 'maxPrice'],
    ['eventId=nope', 'eventId'],
    ['category=x', 'category'],
    ['q=a&q=b', 'q'],
  ])('refuses ?%s with 400 naming the parameter', async (query, field) => {
    const res = await request(t.url).get(`/api/tickets?${query}`);

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: expect.any(String), field }] });
  });
});
