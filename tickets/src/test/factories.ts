/**
 * Test data for tickets' tests: stored tickets, order.created payloads, ids, and the environment
 * the service runs with (listing cache off).
 */
import mongoose from 'mongoose';
import { TicketStatus, type EventData } from '@ticketing/common';
import { Ticket, type TicketDoc, type TicketFields } from '../models/ticket.model';

/**
 * The environment tickets' tests run the service with: the listing cache off, as tests write straight to
 * the database between requests, which the cache cannot see (listing.cache.test.ts turns it on).
 */
export const TICKETS_TEST_ENV = { LISTING_CACHE_MS: '0' };

export function newId(): string {
  return new mongoose.Types.ObjectId().toHexString();
}

/** A stored ticket (no event): each test arranges exactly the state it is about. */
export async function buildTicket(overrides: Partial<TicketFields> = {}): Promise<TicketDoc> {
  const ticket = new Ticket({
    title: 'Concert',
    price: 20,
    userId: newId(),
    status: TicketStatus.Available,
    ...overrides,
  });
  await ticket.save();
  return ticket;
}

export function orderCreatedData(
  ticket: { id: string; price: number },
  overrides: Partial<EventData<'order.created'>> = {},
): EventData<'order.created'> {
  return {
    id: newId(),
    version: 0,
    status: 'created',
    userId: newId(),
    expiresAt: new Date(Date.now() + 15 * 60 * 1000).toISOString(),
    ticket: { id: ticket.id, price: ticket.price },
    ...overrides,
  };
}
