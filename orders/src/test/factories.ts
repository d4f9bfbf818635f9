/**
 * Test data for orders' tests: listings as tickets publishes them, and in the replica as the
 * ticket.created listener stores them.
 */
import mongoose from 'mongoose';
import { EventCategory, TicketStatus, type EventData } from '@ticketing/common';
import { Ticket } from '../models/ticket.model';

type ListingData = EventData<'ticket.created'>;

const oid = () => new mongoose.Types.ObjectId().toHexString();
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A listing as ticket.created carries it: $20, available, version 0, for a concert a month from now
 * (`startsAt` overrides the event's start).
 */
export function listingData(
  overrides: Partial<ListingData> & { startsAt?: Date } = {},
): ListingData {
  const { startsAt = new Date(Date.now() + 30 * DAY_MS), ...fields } = overrides;
  const eventId = oid();
  return {
    id: oid(),
    version: 0,
    title: 'Concert',
    price: 20,
    userId: oid(),
    status: TicketStatus.Available,
    eventId,
    event: {
      id: eventId,
      name: 'Concert',
      venue: 'Arena',
      city: 'Springfield',
      category: EventCategory.Concert,
      startsAt: startsAt.toISOString(),
      timeZone: 'America/Chicago',
    },
    ...fields,
  };
}

/** A listing in the replica, as the ticket.created listener would have stored it; its event data. */
export async function buildTicket(
  overrides: Partial<ListingData> & { startsAt?: Date } = {},
): Promise<ListingData> {
  const data = listingData(overrides);
  const { id, eventId: _sameAsEventsId, event, ...fields } = data;
  await Ticket.create({
    _id: id,
    ...fields,
    event: { ...event, startsAt: new Date(event.startsAt) },
  });
  return data;
}

/** A charge.succeeded as payments publishes it: $20 (the default listing's price) paid for `orderId`. */
export function chargeSucceededData(orderId: string, id: string) {
  return { id, version: 1, orderId, amount: 2000 };
}
