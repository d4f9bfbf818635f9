/**
 * What the fuzz suite checks after each property: everything the services stored is still valid per
 * docs/architecture.md (titles, prices, statuses, versions, no extra fields, no ticket sold twice, no
 * password stored; each event of the catalogue stored once, each listing for a stored event with a true
 * copy of it), every event reached JetStream, and every service still answers.
 */
import { expect } from '@jest/globals';
import mongoose from 'mongoose';
import {
  ChargeStatus,
  EventCategory,
  OrderStatus,
  SEAT_PARTS,
  TicketStatus,
  isValidPrice,
  type OrderStatus as OrderStatusValue,
} from '@ticketing/common';
import { eventsPublished, waitFor, type Backend } from '../backend/harness';
import { call } from './support';

const TICKET_KEYS = new Set([
  '_id',
  'title',
  'price',
  'userId',
  'status',
  'orderId',
  'version',
  'createdAt',
  'updatedAt',
  '__v',
  // Events written with the listing and not yet acknowledged by JetStream (ADR 005); empty once settled.
  'pendingEvents',
  // The event it is for (a copy: events are never edited once listed), the seat, and what the `city`
  // filter and the `q` search compare.
  'eventId',
  'event',
  'section',
  'row',
  'seat',
  'cityKey',
  'search',
]);
// An event of the catalogue: what the seller posted, who, and its identity key and search fields.
const EVENT_KEYS = new Set([
  '_id',
  'name',
  'venue',
  'city',
  'category',
  'startsAt',
  'timeZone',
  'userId',
  'key',
  'cityKey',
  'search',
  'createdAt',
]);
/** What a listing copies of its event. */
const EVENT_COPY = ['name', 'venue', 'city', 'category', 'timeZone'] as const;

const isText = (value: unknown, max: number) =>
  typeof value === 'string' && value.trim() === value && value.length >= 1 && value.length <= max;

/** A zone `Intl` knows (the service stores the canonical IANA name of what was posted). */
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Every document of a service's collection (the connection is opened on first use). */
async function stored(backend: Backend, service: string, collection: string) {
  const db = await backend.db(service).asPromise();
  return db.collection(collection).find({}).toArray();
}

/** What every service stored is still valid per the contract, and nothing was sold twice. */
export async function expectValidState(backend: Backend) {
  const problems: string[] = [];
  // Whatever the accepted requests wrote reaches JetStream: no event is left behind in its document.
  await waitFor(() => eventsPublished(backend), 10_000);
  const events = await stored(backend, 'tickets', 'events');
  const eventById = new Map(events.map((e) => [String(e._id), e]));
  const keys = new Map<string, number>();
  for (const e of events) {
    const id = String(e._id);
    for (const field of ['name', 'venue', 'city'] as const)
      if (!isText(e[field], 120)) problems.push(`event ${id} ${field} ${JSON.stringify(e[field])}`);
    if (!Object.values(EventCategory).includes(e.category))
      problems.push(`event ${id} category ${JSON.stringify(e.category)}`);
    if (!(e.startsAt instanceof Date) || Number.isNaN(e.startsAt.getTime()))
      problems.push(`event ${id} startsAt ${e.startsAt}`);
    if (typeof e.timeZone !== 'string' || !isTimeZone(e.timeZone))
      problems.push(`event ${id} timeZone ${JSON.stringify(e.timeZone)}`);
    if (typeof e.userId !== 'string' || !e.userId) problems.push(`event ${id} userId ${e.userId}`);
    keys.set(String(e.key), (keys.get(String(e.key)) ?? 0) + 1);
    const extra = Object.keys(e).filter((k) => !EVENT_KEYS.has(k));
    if (extra.length) problems.push(`event ${id} stored extra fields ${extra.join(', ')}`);
  }
  for (const [key, count] of keys)
    if (count > 1) problems.push(`event ${JSON.stringify(key)} stored ${count} times`);

  const tickets = await stored(backend, 'tickets', 'tickets');
  for (const t of tickets) {
    const id = String(t._id);
    if (
      typeof t.title !== 'string' ||
      t.title.trim() !== t.title ||
      t.title.length < 1 ||
      t.title.length > 200
    )
      problems.push(`ticket ${id} title ${JSON.stringify(t.title)}`);
    if (!isValidPrice(t.price)) problems.push(`ticket ${id} price ${JSON.stringify(t.price)}`);
    if (!Object.values(TicketStatus).includes(t.status))
      problems.push(`ticket ${id} status ${t.status}`);
    if (typeof t.userId !== 'string' || !t.userId) problems.push(`ticket ${id} userId ${t.userId}`);
    if (t.status !== TicketStatus.Available && typeof t.orderId !== 'string')
      problems.push(`ticket ${id} ${t.status} without an order`);
    if (!Number.isInteger(t.version) || t.version < 0)
      problems.push(`ticket ${id} version ${t.version}`);
    const extra = Object.keys(t).filter((k) => !TICKET_KEYS.has(k));
    if (extra.length) problems.push(`ticket ${id} stored extra fields ${extra.join(', ')}`);
    for (const part of SEAT_PARTS)
      if (t[part] !== undefined && !isText(t[part], 20))
        problems.push(`ticket ${id} ${part} ${JSON.stringify(t[part])}`);
    const event = eventById.get(String(t.eventId));
    if (!event) problems.push(`ticket ${id} is for unknown event ${JSON.stringify(t.eventId)}`);
    else if (
      EVENT_COPY.some((field) => t.event?.[field] !== event[field]) ||
      t.event?.startsAt?.getTime() !== event.startsAt?.getTime()
    )
      problems.push(`ticket ${id}: its copy of event ${String(event._id)} differs`);
  }

  const orders = await stored(backend, 'orders', 'orders');
  const completeByTicket = new Map<string, number>();
  for (const o of orders) {
    const id = String(o._id);
    if (!Object.values(OrderStatus).includes(o.status as OrderStatusValue))
      problems.push(`order ${id} status ${o.status}`);
    if (typeof o.userId !== 'string' || !o.userId) problems.push(`order ${id} userId ${o.userId}`);
    if (!(o.expiresAt instanceof Date)) problems.push(`order ${id} expiresAt ${o.expiresAt}`);
    if (!(o.ticket?.id instanceof mongoose.mongo.ObjectId)) problems.push(`order ${id} ticket id`);
    if (!isValidPrice(o.ticket?.price)) problems.push(`order ${id} price ${o.ticket?.price}`);
    if (o.status === OrderStatus.Complete) {
      const key = String(o.ticket.id);
      completeByTicket.set(key, (completeByTicket.get(key) ?? 0) + 1);
    }
  }
  for (const [ticketId, count] of completeByTicket)
    if (count > 1) problems.push(`ticket ${ticketId} sold ${count} times`);

  for (const t of await stored(backend, 'orders', 'tickets'))
    if (typeof t.title !== 'string' || !isValidPrice(t.price))
      problems.push(`orders' replica of ticket ${String(t._id)} is invalid`);

  for (const c of await stored(backend, 'payments', 'charges')) {
    if (!Object.values(ChargeStatus).includes(c.status)) problems.push(`charge status ${c.status}`);
    if (!Number.isInteger(c.amount) || c.amount < 50) problems.push(`charge amount ${c.amount}`);
    if (typeof c.orderId !== 'string') problems.push(`charge orderId ${c.orderId}`);
  }

  for (const u of await stored(backend, 'auth', 'users')) {
    if (typeof u.email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(u.email))
      problems.push(`user email ${JSON.stringify(u.email)}`);
    if (typeof u.passwordHash !== 'string' || 'password' in u)
      problems.push(`user ${String(u._id)} password storage`);
  }

  expect(problems).toEqual([]);
  // Every service is still up and answering.
  for (const path of [
    '/api/users/currentuser',
    '/api/tickets',
    '/api/tickets/mine',
    '/api/events',
    '/api/orders',
    '/api/payments',
  ])
    expect((await call(backend.stack.url, 'GET', path)).status).toBeLessThan(500);
}
