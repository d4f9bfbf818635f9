/**
 * GET /api/tickets and GET /api/tickets/mine: available listings newest first, and a seller's own
 * in every status, paged by ?page and ?limit with X-Next-Page; bad paging is a 400.
 */
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { Response } from 'supertest';
import { TicketStatus } from '@ticketing/common';
import { buildUser, useService } from '@ticketing/common/testing';
import { readConfig } from '../config';
import { defineTicketsService } from '../service';
import { Ticket } from '../models/ticket.model';
import { buildEvent, buildTicket, listedEvent, newId, TICKETS_TEST_ENV } from '../test/factories';

const t = useService(defineTicketsService, { readConfig, env: TICKETS_TEST_ENV });

/** `count` available tickets titled `Seat 0` … in listing order (the last one is the newest). */
async function listTickets(count: number, status: TicketStatus = TicketStatus.Available) {
  const userId = newId();
  await Ticket.insertMany(
    Array.from({ length: count }, (_, i) => ({
      title: `Seat ${i}`,
      price: 10 + i,
      userId,
      status,
      eventId: newId(),
      event: listedEvent(),
    })),
  );
}

function titles(body: Array<{ title: string }>): string[] {
  return body.map((ticket) => ticket.title);
}

describe('GET /api/tickets', () => {
  it('answers 200 with an empty array when nothing is listed', async () => {
    const res = await request(t.url).get('/api/tickets');

    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
    expect(res.get('X-Next-Page')).toBeUndefined();
  });

  it('lists tickets newest first, in the ticket shape, to signed-out visitors too', async () => {
    const seller = buildUser();
    const eventId = String((await buildEvent())._id);
    for (const title of ['First', 'Second', 'Third']) {
      await request(t.url)
        .post('/api/tickets')
        .set('Cookie', seller.cookie)
        .send({ eventId, title, price: 15 })
        .expect(201);
    }

    const res = await request(t.url).get('/api/tickets');

    expect(res.status).toBe(200);
    expect(titles(res.body)).toEqual(['Third', 'Second', 'First']);
    expect(res.body[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      title: 'Third',
      price: 15,
      fee: 3,
      total: 18,
      userId: seller.id,
      version: 0,
      status: 'available',
      eventId,
      event: expect.objectContaining({ id: eventId, name: 'Concert' }),
      createdAt: expect.any(String),
    });
  });

  it('leaves out reserved and sold tickets', async () => {
    await buildTicket({ title: 'Free' });
    await buildTicket({ title: 'Held', status: TicketStatus.Reserved, orderId: newId() });
    await buildTicket({ title: 'Gone', status: TicketStatus.Sold, orderId: newId() });

    const res = await request(t.url).get('/api/tickets');

    expect(titles(res.body)).toEqual(['Free']);
  });

  it('answers 20 per page by default and names the next page in X-Next-Page', async () => {
    await listTickets(25);

    const first = await request(t.url).get('/api/tickets');
    const second = await request(t.url).get('/api/tickets?page=2');

    expect(first.body).toHaveLength(20);
    expect(first.body[0].title).toBe('Seat 24');
    expect(first.get('X-Next-Page')).toBe('2');
    expect(titles(second.body)).toEqual(['Seat 4', 'Seat 3', 'Seat 2', 'Seat 1', 'Seat 0']);
    expect(second.get('X-Next-Page')).toBeUndefined();
  });

  it('pages through everything exactly once, following X-Next-Page', async () => {
    await listTickets(7);
    const seen: string[] = [];
    let page: string | undefined = '1';

    while (page) {
      const res: Response = await request(t.url)
        .get(`/api/tickets?limit=3&page=${page}`)
        .expect(200);
      seen.push(...titles(res.body));
      page = res.get('X-Next-Page');
    }

    expect(seen).toEqual(['Seat 6', 'Seat 5', 'Seat 4', 'Seat 3', 'Seat 2', 'Seat 1', 'Seat 0']);
  });

  it('sends no X-Next-Page when the last page is exactly full', async () => {
    await listTickets(4);

    const res = await request(t.url).get('/api/tickets?limit=2&page=2');

    expect(titles(res.body)).toEqual(['Seat 1', 'Seat 0']);
    expect(res.get('X-Next-Page')).toBeUndefined();
  });

  it('answers an empty page past the end', async () => {
    await listTickets(3);

    const res = await request(t.url).get('/api/tickets?page=5');

    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
  });

  it('caps limit at 100', async () => {
    await listTickets(101);

    const res = await request(t.url).get('/api/tickets?limit=1000');

    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(100);
    expect(res.get('X-Next-Page')).toBe('2');
  });

  it.each([
    ['page=0', 'page'],
    ['page=-1', 'page'],
    ['page=abc', 'page'],
    ['page=10.5', 'page'],
    ['page=1e2', 'page'],
    ['page=', 'page'],
    ['page=1&page=2', 'page'],
    ['page=100001', 'page'],
    ['limit=0', 'limit'],
    ['limit=-1', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=10.5', 'limit'],
  ])('refuses ?%s with 400 naming the parameter', async (query, field) => {
    await listTickets(1);

    const res = await request(t.url).get(`/api/tickets?${query}`);

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: expect.any(String), field }] });
  });

  it('answers a repeated read with 304 while the page is the same, and 200 with a new ETag once it changes', async () => {
    await listTickets(2);
    const first = await request(t.url).get('/api/tickets').expect(200);
    const etag = first.get('ETag')!;
    expect(etag).toMatch(/^W\/".+"$/);

    await request(t.url).get('/api/tickets').set('If-None-Match', etag).expect(304);
    await listTickets(1);
    const changed = await request(t.url).get('/api/tickets').set('If-None-Match', etag).expect(200);

    expect(changed.body).toHaveLength(3);
    expect(changed.get('ETag')).not.toBe(etag);
  });

  it('reports a bad page and a bad limit at once', async () => {
    const res = await request(t.url).get('/api/tickets?page=0&limit=abc');

    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['page', 'limit']);
  });
});

describe('GET /api/tickets/mine', () => {
  it("lists the signed-in seller's own tickets in every status, newest first, and nobody else's", async () => {
    const seller = buildUser();
    await buildTicket({ userId: seller.id, title: 'Sold one', status: TicketStatus.Sold });
    await buildTicket({ userId: seller.id, title: 'Held one', status: TicketStatus.Reserved });
    await buildTicket({ userId: seller.id, title: 'Open one' });
    await buildTicket({ title: 'Someone else' });

    const res = await request(t.url).get('/api/tickets/mine').set('Cookie', seller.cookie);

    expect(res.status).toBe(200);
    expect(res.body.map((x: { title: string; status: string }) => [x.title, x.status])).toEqual([
      ['Open one', 'available'],
      ['Held one', 'reserved'],
      ['Sold one', 'sold'],
    ]);
  });

  it('pages with ?page and ?limit and names the next page', async () => {
    const seller = buildUser();
    for (let i = 0; i < 3; i++) await buildTicket({ userId: seller.id, title: `Mine ${i}` });

    const first = await request(t.url)
      .get('/api/tickets/mine?limit=2')
      .set('Cookie', seller.cookie);
    const second = await request(t.url)
      .get('/api/tickets/mine?limit=2&page=2')
      .set('Cookie', seller.cookie);

    expect(titles(first.body)).toEqual(['Mine 2', 'Mine 1']);
    expect(first.get('X-Next-Page')).toBe('2');
    expect(titles(second.body)).toEqual(['Mine 0']);
    expect(second.get('X-Next-Page')).toBeUndefined();
  });

  it('answers 401 when signed out and 400 on a bad page', async () => {
    const seller = buildUser();

    const signedOut = await request(t.url).get('/api/tickets/mine');
    const badPage = await request(t.url)
      .get('/api/tickets/mine?page=0')
      .set('Cookie', seller.cookie);

    expect(signedOut.status).toBe(401);
    expect(signedOut.body.errors[0].message).toEqual(expect.any(String));
    expect(badPage.status).toBe(400);
  });
});
