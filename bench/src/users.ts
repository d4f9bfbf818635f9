/**
 * What the bench's users do through the gateway, shared by the phases: sign up, add the events of the
 * catalogue and list tickets for them, pay, and wait until orders has replicated the listings (a user
 * would not be this fast).
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose from 'mongoose';
import { ApiClient, EventCategory, type CatalogEventJson } from '@ticketing/common';
import { eventInput, startsIn } from '@ticketing/local';
import { nowMs, pool, waitUntil } from './lib';
import { PASSWORD } from './settings';
import type { Env } from './stack-run';

export const oid = (id: string) => new mongoose.Types.ObjectId(id);

/** `count` new users, each its own client with its session cookie (`client.user` names the account). */
export async function signUp(env: Env, count: number): Promise<ApiClient[]> {
  return pool(Array.from({ length: count }), 8, async () => {
    const client = new ApiClient(env.url);
    const res = await client.signUp({
      email: `${randomUUID()}@bench.example.com`,
      password: PASSWORD,
    });
    if (res.status !== 201) throw new Error(`signup failed: ${res.status}`);
    return client;
  });
}

/** Wherever the bench lists tickets, 10 go to each event: 1,000 listings are spread over 100 events. */
export const LISTINGS_PER_EVENT = 10;

/** One genre in ten of the catalogue's event names: the word `q` searches for in the catalogue phase. */
export const SEARCHED_GENRE = 'Jazz';
const GENRES: ReadonlyArray<[string, EventCategory]> = [
  [SEARCHED_GENRE, EventCategory.Concert],
  ['Rock', EventCategory.Concert],
  ['Symphony', EventCategory.Concert],
  ['Opera', EventCategory.Theater],
  ['Ballet', EventCategory.Theater],
  ['Stand-up', EventCategory.Comedy],
  ['Derby', EventCategory.Sports],
  ['Finals', EventCategory.Sports],
  ['Summer', EventCategory.Festival],
  ['Expo', EventCategory.Other],
];
const CITIES: ReadonlyArray<[string, string]> = [
  ['New York', 'America/New_York'],
  ['Chicago', 'America/Chicago'],
  ['Los Angeles', 'America/Los_Angeles'],
  ['London', 'Europe/London'],
  ['Berlin', 'Europe/Berlin'],
  ['Madrid', 'Europe/Madrid'],
  ['Tokyo', 'Asia/Tokyo'],
];
const HOUR_MS = 60 * 60 * 1000;

/**
 * The events for `listings` tickets (one per LISTINGS_PER_EVENT), added by `client`: genres, cities and
 * categories in turn, one every 3 days from tomorrow, each name unique (a random tag).
 */
export async function addEventsFor(
  client: ApiClient,
  listings: number,
): Promise<CatalogEventJson[]> {
  const count = Math.ceil(listings / LISTINGS_PER_EVENT);
  return pool(Array.from({ length: count }), 4, async (_, i) => {
    const [genre, category] = GENRES[i % GENRES.length]!;
    const [city, timeZone] = CITIES[i % CITIES.length]!;
    const input = eventInput({
      name: `${genre} Night ${randomUUID().slice(0, 6)}`,
      venue: `${city} Arena`,
      city,
      timeZone,
      category,
      startsAt: startsIn(24 * HOUR_MS + i * 72 * HOUR_MS),
    });
    const res = await client.createEvent(input);
    if (res.status !== 201) throw new Error(`adding an event failed: ${res.status} ${res.text}`);
    return res.body;
  });
}

/**
 * Lists `count` tickets round-robin over the sellers and over `events` (each with its seat; the title is
 * the service's default, the event and the seat); returns their ids and POST timings.
 */
export async function listTickets(
  sellers: readonly ApiClient[],
  count: number,
  events: readonly CatalogEventJson[],
  lanes = sellers.length,
): Promise<Array<{ id: string; sentAt: number; answeredAt: number }>> {
  return pool(Array.from({ length: count }), lanes, async (_, i) => {
    const seller = sellers[i % sellers.length]!;
    const event = events[i % events.length]!;
    const sentAt = nowMs();
    const res = await seller.createTicket({
      eventId: event.id,
      price: 20 + (i % 50),
      section: String(100 + (i % 12)),
      row: String.fromCharCode(65 + (i % 26)),
      seat: String(1 + Math.floor(i / events.length)),
    });
    const answeredAt = nowMs();
    if (res.status !== 201) throw new Error(`listing failed: ${res.status} ${res.text}`);
    return { id: res.body.id, sentAt, answeredAt };
  });
}

export async function replicatedInOrders(env: Env, ids: readonly string[]): Promise<void> {
  const tickets = env.db('orders').collection('tickets');
  await waitUntil(
    async () => (await tickets.countDocuments({ _id: { $in: ids.map(oid) } })) === ids.length,
    30_000,
    `${ids.length} tickets to reach the orders replica`,
  );
}

/** Pays an order with the sandbox's good card; retries while payments has not yet heard of it. */
export async function pay(buyer: ApiClient, orderId: string): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await buyer.pay(orderId, 'tok_visa');
    if (res.status === 201) return true;
    if (res.status !== 404 || Date.now() > deadline) return false;
    await sleep(5);
  }
}
