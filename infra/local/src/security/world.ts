/**
 * What the whole-stack security tests act on, made once per test file through the gateway: a seller
 * with a listed ticket, a buyer holding an open order for it (known to orders and payments), and a third
 * user who owns nothing.
 */
import { expect } from '@jest/globals';
import type { OrderJson, TicketInput, TicketJson } from '@ticketing/common';
import { replicated, type Backend } from '../backend/harness';
import { call, signUp, type User } from './support';

export interface World {
  seller: User;
  buyer: User;
  intruder: User;
  ticket: TicketJson;
  order: OrderJson;
}

async function makeWorld(backend: Backend, listing: TicketInput): Promise<World> {
  const url = backend.stack.url;
  const [seller, buyer, intruder] = await Promise.all([signUp(url), signUp(url), signUp(url)]);
  const listed = await call(url, 'POST', '/api/tickets', { cookie: seller.cookie, body: listing });
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
  return { seller, buyer, intruder, ticket, order };
}

/** The world of one test file: made on first use (the stack starts in beforeAll), then the same one. */
export function worldOnce(backend: Backend, listing: TicketInput): () => Promise<World> {
  let world: Promise<World> | undefined;
  return () => (world ??= makeWorld(backend, listing));
}
