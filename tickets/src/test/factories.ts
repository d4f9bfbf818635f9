/**
 * Test data for tickets' tests: stored tickets, order.created payloads, ids, and the environment
 * the service runs with (listing cache off).
 */
import mongoose from 'mongoose';
import {
  DEFAULT_FEES,
  EventCategory,
  TicketStatus,
  priceBreakdown,
  type EventData,
} from '@ticketing/common';
import {
  CatalogEvent,
  catalogKeys,
  type CatalogEventAttrs,
  type CatalogEventFields,
} from '../models/catalog-event.model';
import {
  Ticket,
  type ListedEvent,
  type TicketDoc,
  type TicketFields,
} from '../models/ticket.model';

/**
 * The environment tickets' tests run the service with: the listing cache off, as tests write straight to
 * the database between requests, which the cache cannot see (listing.cache.test.ts turns it on).
 */
export const TICKETS_TEST_ENV = { LISTING_CACHE_MS: '0' };

export function newId(): string {
  return new mongoose.Types.ObjectId().toHexString();
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Event fields a test does not care about: a concert a month from now. */
export function eventAttrs(overrides: Partial<CatalogEventAttrs> = {}): CatalogEventAttrs {
  return {
    name: 'Concert',
    venue: 'Arena',
    city: 'Springfield',
    category: EventCategory.Concert,
    startsAt: new Date(Date.now() + 30 * DAY_MS),
    timeZone: 'America/Chicago',
    userId: newId(),
    ...overrides,
  };
}

/** A stored event of the catalogue (inserted directly; the route's rules are not applied). */
export async function buildEvent(
  overrides: Partial<CatalogEventAttrs> = {},
): Promise<CatalogEventFields & { _id: mongoose.Types.ObjectId }> {
  const attrs = eventAttrs(overrides);
  const event = await CatalogEvent.create({ ...attrs, ...catalogKeys(attrs) });
  return event.toObject();
}

/** A listing's copy of an event with `attrs`. */
export function listedEvent(attrs: Partial<CatalogEventAttrs> = {}): ListedEvent {
  const { name, venue, city, category, startsAt, timeZone } = eventAttrs(attrs);
  return { name, venue, city, category, startsAt, timeZone };
}

/** A listing's `eventId` and `event` as its JSON and its events show them. */
export function listedEventJson(ticket: TicketDoc) {
  const { name, venue, city, category, startsAt, timeZone } = ticket.event;
  return {
    eventId: ticket.eventId,
    event: {
      id: ticket.eventId,
      name,
      venue,
      city,
      category,
      startsAt: startsAt.toISOString(),
      timeZone,
    },
  };
}

/** A stored ticket (no event published): each test arranges exactly the state it is about. */
export async function buildTicket(overrides: Partial<TicketFields> = {}): Promise<TicketDoc> {
  const ticket = new Ticket({
    title: 'Concert',
    price: 20,
    userId: newId(),
    status: TicketStatus.Available,
    eventId: newId(),
    event: listedEvent(),
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
    amount: priceBreakdown(ticket.price, DEFAULT_FEES),
    ticket: {
      id: ticket.id,
      price: ticket.price,
      title: 'Concert',
      userId: newId(),
      event: {
        id: newId(),
        name: 'Concert',
        startsAt: listedEvent().startsAt.toISOString(),
        timeZone: 'UTC',
      },
    },
    ...overrides,
  };
}
