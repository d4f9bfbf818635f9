/**
 * The listing cache: pages served from memory within the TTL, dropped on this replica's own
 * commits, kept apart by page and limit; concurrent misses share one read, and failed or overtaken
 * reads are not kept.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { TicketStatus } from '@ticketing/common';
import { buildUser, useService } from '@ticketing/common/testing';
import { readConfig } from '../config';
import { defineTicketsService } from '../service';
import { createTicket } from '../domain/ticket-lifecycle';
import { OrderCreatedListener } from '../events/order-created.listener';
import { Ticket } from '../models/ticket.model';
import {
  buildEvent,
  buildTicket,
  listedEvent,
  newId,
  orderCreatedData,
  TICKETS_TEST_ENV,
} from '../test/factories';
import { ListingCache } from './listing.cache';

/** What the tests cache: a page's body. */
interface TestPage {
  body: string;
}

const t = useService(defineTicketsService, { readConfig, env: TICKETS_TEST_ENV });

/**
 * A fresh tickets process with the listing cache on: pages may be served from memory for `ttlMs`, and
 * nothing an earlier test listed is cached yet.
 */
function startCachingReplica(ttlMs = 60_000) {
  return t.restart({ LISTING_CACHE_MS: String(ttlMs) });
}

async function titlesListed(): Promise<string[]> {
  const res = await request(t.url).get('/api/tickets').expect(200);
  return (res.body as Array<{ title: string }>).map((ticket) => ticket.title);
}

/** A change another replica committed: in the database, but never through this process. */
function listElsewhere(title: string, userId = buildUser().id) {
  return Ticket.insertMany([{ title, price: 5, userId, eventId: newId(), event: listedEvent() }]);
}

function deferred() {
  let resolve!: (page: TestPage) => void;
  const promise = new Promise<TestPage>((settle) => (resolve = settle));
  return { promise, resolve };
}

describe('GET /api/tickets with the listing cache', () => {
  it('answers a repeated read from memory: a change committed elsewhere is not seen within the TTL', async () => {
    await startCachingReplica();
    const seller = buildUser();
    await buildTicket({ title: 'Opera', userId: seller.id });
    expect(await titlesListed()).toEqual(['Opera']);

    await listElsewhere('Ballet', seller.id);

    expect(await titlesListed()).toEqual(['Opera']);
    // The seller's own listings are always read fresh.
    const mine = await request(t.url).get('/api/tickets/mine').set('Cookie', seller.cookie);
    expect((mine.body as Array<{ title: string }>).map((ticket) => ticket.title)).toEqual([
      'Ballet',
      'Opera',
    ]);
  });

  it('shows a change committed elsewhere once the TTL has passed', async () => {
    await startCachingReplica(150);
    expect(await titlesListed()).toEqual([]);
    await listElsewhere('Ballet');

    await sleep(200);

    expect(await titlesListed()).toEqual(['Ballet']);
  });

  it("shows this replica's own listing on the very next read", async () => {
    await startCachingReplica();
    const seller = buildUser();
    expect(await titlesListed()).toEqual([]);

    await request(t.url)
      .post('/api/tickets')
      .set('Cookie', seller.cookie)
      .send({ eventId: String((await buildEvent())._id), title: 'Opera', price: 30 })
      .expect(201);

    expect(await titlesListed()).toEqual(['Opera']);
  });

  it('drops a ticket locked by an order from the very next read', async () => {
    await startCachingReplica();
    const ticket = await buildTicket({ title: 'Opera' });
    expect(await titlesListed()).toEqual(['Opera']);

    await new OrderCreatedListener(t.ctx).onMessage(
      orderCreatedData({ id: ticket.id as string, price: ticket.price }),
    );

    expect((await Ticket.findById(ticket.id).lean())!.status).toBe(TicketStatus.Reserved);
    expect(await titlesListed()).toEqual([]);
  });

  it('keeps pages apart: page and limit are part of the key', async () => {
    await startCachingReplica();
    for (const title of ['A', 'B', 'C']) await buildTicket({ title });

    const first = await request(t.url).get('/api/tickets?limit=2').expect(200);
    const second = await request(t.url).get('/api/tickets?limit=2&page=2').expect(200);

    expect(first.body).toHaveLength(2);
    expect(first.get('X-Next-Page')).toBe('2');
    expect(second.body).toHaveLength(1);
    expect(second.get('X-Next-Page')).toBeUndefined();
    expect(first.get('Content-Type')).toBe('application/json; charset=utf-8');
  });
});

describe('ListingCache', () => {
  it('shares one read among concurrent misses', async () => {
    const cache = new ListingCache<TestPage>(60_000);
    let loads = 0;
    const load = async () => {
      loads++;
      await sleep(20);
      return { body: '[]' };
    };

    const pages = await Promise.all([cache.read('1:20', load), cache.read('1:20', load)]);

    expect(loads).toBe(1);
    expect(pages).toEqual([{ body: '[]' }, { body: '[]' }]);
  });

  it('does not keep a read that was under way when a write landed', async () => {
    const cache = new ListingCache<TestPage>(60_000);
    const before = deferred();
    const pending = cache.read('1:20', () => before.promise);

    await createTicket({
      title: 'New',
      price: 5,
      userId: 'seller-1',
      eventId: newId(),
      event: listedEvent(),
    });
    const after = cache.read('1:20', async () => ({ body: '["after"]' }));
    before.resolve({ body: '["before"]' });

    expect(await pending).toEqual({ body: '["before"]' });
    expect(await after).toEqual({ body: '["after"]' });
    expect(await cache.read('1:20', async () => ({ body: 'not read' }))).toEqual({
      body: '["after"]',
    });
  });

  it('does not keep a failed read', async () => {
    const cache = new ListingCache<TestPage>(60_000);

    await expect(
      cache.read('1:20', () => Promise.reject(new Error('engine down'))),
    ).rejects.toThrow('engine down');

    expect(await cache.read('1:20', async () => ({ body: '[]' }))).toEqual({ body: '[]' });
  });

  it('reads every time when turned off (0)', async () => {
    const cache = new ListingCache<TestPage>(0);
    let loads = 0;
    const load = async () => ({ body: String(++loads) });

    await cache.read('1:20', load);
    await cache.read('1:20', load);

    expect(loads).toBe(2);
  });
});
