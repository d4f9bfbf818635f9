/**
 * What the whole-stack security tests act on, made once per test file through the gateway: a seller
 * who added an event and listed a ticket for it, a buyer holding an open order for that ticket (known to
 * orders and payments), and a third user who owns nothing.
 */
import { expect } from '@jest/globals';
import type { CatalogEventJson, OrderJson, TicketInput, TicketJson } from '@ticketing/common';
import { replicated, type Backend } from '../backend/harness';
import { eventInput } from '../catalogue-fixtures';
import { call, signUp, type User } from './support';

export interface World {
  seller: User;
  buyer: User;
  intruder: User;
  event: CatalogEventJson;
  ticket: TicketJson;
  order: OrderJson;
}

/** The seller's listing, for the world's event. */
export type WorldListing = Omit<TicketInput, 'eventId'>;

async function makeWorld(backend: Backend, listing: WorldListing): Promise<World> {
  const url = backend.stack.url;
  const [seller, buyer, intruder] = await Promise.all([signUp(url), signUp(url), signUp(url)]);
  const added = await call(url, 'POST', '/api/events', {
    cookie: seller.cookie,
    body: eventInput(),
  });
  expect(added.status).toBe(201);
  const event = added.body as CatalogEventJson;
  const listed = await call(url, 'POST', '/api/tickets', {
    cookie: seller.cookie,
    body: { ...listing, eventId: event.id },
  });
  expect(listed.status).toBe(201);
  const ticket = listed.body as TicketJson;
  await replicated(backend, 'orders', 'tickets', ticket.id);
  const ordered = await call(url, 'POST', '/api/orders', {
    cookie: buyer.cookie,
    body: { ticketId: ticket.id },
  });
  expect(ordered.status).toBe(201);
  const order = ordered.body as OrderJson;
  await replicated(backend, 'payments', 'orders', order.id);
  return { seller, buyer, intruder, event, ticket, order };
}

/** The world of one test file: made on first use (the stack starts in beforeAll), then the same one. */
export function worldOnce(backend: Backend, listing: WorldListing): () => Promise<World> {
  let world: Promise<World> | undefined;
  return () => (world ??= makeWorld(backend, listing));
}
