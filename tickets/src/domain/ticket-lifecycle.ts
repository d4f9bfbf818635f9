/**
 * The rules of a listing's life, all of tickets' domain: listed, edited by its seller, locked for
 * an order or its hold refused, unlocked on cancel, sold on completion. Each change is one
 * version-guarded write with its event.
 */
import {
  BadRequestError,
  HoldRefusal,
  ListingStatus,
  NotAuthorizedError,
  NotFoundError,
  Subjects,
  TicketStatus,
  event,
  findOneBy,
  isDuplicateKeyError,
  retryOnConflict,
  SEAT_PARTS,
  saveWithEvents,
  seatOf,
  toCents,
  type EventData,
  type EventPublisher,
  type ListenerOutcome,
  type SeatInfo,
} from '@ticketing/common';
import { CancelledOrder } from '../models/cancelled-order.model';
import {
  Ticket,
  shownStatus,
  toTicketEvent,
  type TicketAttrs,
  type TicketDoc,
} from '../models/ticket.model';
import { eventOpenForListing } from './catalogue';

/** An event names a ticket this service never listed: nothing will ever make it applicable. */
export class UnknownTicketError extends Error {
  constructor(ticketId: string) {
    super(`Ticket ${ticketId} does not exist`);
    this.name = 'UnknownTicketError';
  }
}

/** Where in the venue: each part optional; an empty one, in a change, clears it. */
export type SeatChanges = SeatInfo;

/** What a seller sends to list a ticket: the event, the price, the seat and, if they want, a title. */
export interface NewListing extends SeatChanges {
  eventId: string;
  price: number;
  title?: string;
}

/** "Eras Tour — Section 101, Row B, Seat 12", or the event's name alone for an unseated ticket. */
export function defaultTitle(eventName: string, seat: SeatChanges): string {
  const parts = [
    seat.section && `Section ${seat.section}`,
    seat.row && `Row ${seat.row}`,
    seat.seat && `Seat ${seat.seat}`,
  ].filter(Boolean);
  return parts.length ? `${eventName} — ${parts.join(', ')}` : eventName;
}

/**
 * Lists a ticket for an event that exists and has not started (404 / 400 otherwise), with a copy of the
 * event: the catalogue never edits an event once it has listings.
 */
export async function createListing(listing: NewListing, sellerId: string): Promise<TicketDoc> {
  const event = await eventOpenForListing(listing.eventId);
  const seat = seatOf(listing);
  return createTicket({
    title: listing.title ?? defaultTitle(event.name, seat),
    price: listing.price,
    userId: sellerId,
    eventId: listing.eventId,
    event: {
      name: event.name,
      venue: event.venue,
      city: event.city,
      category: event.category,
      startsAt: event.startsAt,
      timeZone: event.timeZone,
    },
    ...seat,
  });
}

/** Lists a ticket for sale with its `ticket.created`: one insert. */
export async function createTicket(attrs: TicketAttrs): Promise<TicketDoc> {
  const ticket = new Ticket({ ...attrs, status: TicketStatus.Available });
  await saveWithEvents(ticket, (version) => [
    event(Subjects.TicketCreated, toTicketEvent(ticket, version)),
  ]);
  return ticket;
}

/** Saves a change of the ticket with its `ticket.updated`: one write, guarded by the version read. */
function saveTicket(ticket: TicketDoc): Promise<void> {
  return saveWithEvents(ticket, (version) => [
    event(Subjects.TicketUpdated, toTicketEvent(ticket, version)),
  ]);
}

/**
 * The one way a ticket changes after it is created: read it, let `decide` change and save it. A save
 * that lost to a concurrent writer (a seller's edit racing an `order.created` lock, seed 002) runs
 * `decide` again on a fresh read, so the two can never both win.
 */
function changeTicket<T>(ticketId: string, decide: (ticket: TicketDoc) => Promise<T>): Promise<T> {
  return retryOnConflict(async () => {
    // Shares one query with the reads of other tickets made meanwhile (common/batching).
    const stored = await findOneBy(Ticket, '_id', ticketId);
    if (!stored) throw new UnknownTicketError(ticketId);
    return decide(Ticket.hydrate(stored));
  });
}

/** What a seller may change: any of price, title and seat; `eventId` only ever as it is. */
export interface ListingChanges extends SeatChanges {
  eventId?: string;
  title?: string;
  price?: number;
}

/**
 * The seller edits price, title and seat, only while the ticket is available and its event has not
 * started (ADR 004: the listing's price is tickets' fact, but a held ticket keeps the price its order
 * pays). A concurrent lock is either seen (400) or its save loses and it re-reads the new price (and
 * refuses the order). The event never changes.
 */
export async function updateListing(
  ticketId: string,
  sellerId: string,
  changes: ListingChanges,
): Promise<TicketDoc> {
  return changeTicket(ticketId, async (ticket) => {
    if (ticket.userId !== sellerId) throw new NotAuthorizedError();
    if (ticket.status === TicketStatus.Reserved) throw new BadRequestError('Ticket is reserved');
    if (ticket.status === TicketStatus.Sold) throw new BadRequestError('Ticket is sold');
    if (changes.eventId !== undefined && changes.eventId !== ticket.eventId) {
      throw new BadRequestError("A listing's event cannot be changed", 'eventId');
    }
    if (shownStatus(ticket) === ListingStatus.Closed) {
      throw new BadRequestError('The event has started');
    }
    if (changes.price !== undefined) ticket.set('price', changes.price);
    if (changes.title !== undefined) ticket.set('title', changes.title);
    for (const part of SEAT_PARTS) {
      const value = changes[part];
      if (value !== undefined) ticket.set(part, value || undefined);
    }
    await saveTicket(ticket);
    return ticket;
  }).catch((err: unknown) => {
    if (err instanceof UnknownTicketError) throw new NotFoundError('Ticket not found');
    throw err;
  });
}

function isCancelled(orderId: string): Promise<boolean> {
  return findOneBy(CancelledOrder, '_id', orderId, { projection: { _id: 1 } }).then(Boolean);
}

/**
 * Tells orders that this order will never hold the ticket. Not stored with the ticket: it changes
 * nothing here, and a crash before the ack redelivers `order.created`, which decides again. The event id
 * is derived from the order, so JetStream keeps one refusal per order however often it is decided.
 */
async function refuseHold(
  publisher: EventPublisher,
  order: EventData<typeof Subjects.OrderCreated>,
  ticket: TicketDoc,
  reason: HoldRefusal,
): Promise<void> {
  await publisher.publish(
    Subjects.TicketHoldRefused,
    {
      id: order.id,
      version: order.version,
      ticket: { id: ticket.id as string, price: ticket.price },
      reason,
    },
    `hold-refused:${order.id}`,
  );
}

/**
 * `order.created` (ADR 004): tickets decides whether the hold is valid. It locks the ticket for the
 * order only if it is available **at the price the order pays**; otherwise it refuses the hold
 * (`ticket.hold-refused`) and orders cancels the order, telling the buyer why. Held by another order →
 * retry (that order's `order.cancelled` is on its way on another subject). Already held by this order →
 * duplicate. The order was cancelled already (its cancel overtook it) → ack without locking.
 *
 * The cancel is checked again after the lock is saved: `unlockTicket` records the cancel, then reads the
 * ticket; this reads the cancels after writing the ticket. Whichever runs second sees the other's write,
 * so a lock for a cancelled order is always released.
 */
export function lockTicket(
  order: EventData<typeof Subjects.OrderCreated>,
  publisher: EventPublisher,
): Promise<ListenerOutcome> {
  return changeTicket<ListenerOutcome>(order.ticket.id, async (ticket) => {
    if (await isCancelled(order.id)) return releaseTicket(ticket, order.id);
    if (ticket.orderId === order.id) return 'ack';
    if (ticket.status === TicketStatus.Sold) {
      await refuseHold(publisher, order, ticket, HoldRefusal.Sold);
      return 'ack';
    }
    if (ticket.status === TicketStatus.Reserved) return 'retry';
    if (toCents(ticket.price) !== toCents(order.ticket.price)) {
      await refuseHold(publisher, order, ticket, HoldRefusal.PriceChanged);
      return 'ack';
    }
    ticket.set({ status: TicketStatus.Reserved, orderId: order.id });
    await saveTicket(ticket);
    if (await isCancelled(order.id)) return releaseTicket(ticket, order.id);
    return 'ack';
  });
}

/** Makes the ticket available again if this order holds it (and it is not sold); acks either way. */
async function releaseTicket(ticket: TicketDoc, orderId: string): Promise<ListenerOutcome> {
  if (ticket.orderId !== orderId || ticket.status !== TicketStatus.Reserved) return 'ack';
  ticket.set({ status: TicketStatus.Available, orderId: undefined });
  await saveTicket(ticket);
  return 'ack';
}

/**
 * `order.cancelled`: the cancel is remembered first, so the order's own `order.created`, arriving late
 * or again, cannot lock the ticket afterwards; then the ticket is unlocked only if this very order holds
 * it and it is not sold, so a late cancel never unlocks someone else's hold.
 */
export async function unlockTicket(
  order: EventData<typeof Subjects.OrderCancelled>,
): Promise<ListenerOutcome> {
  const ticketId = order.ticket.id;
  await CancelledOrder.updateOne(
    { _id: order.id },
    { $setOnInsert: { ticketId, cancelledAt: new Date() } },
    { upsert: true },
  ).catch((err: unknown) => {
    // Two deliveries raced to record it: the other one did.
    if (!isDuplicateKeyError(err)) throw err;
  });
  return changeTicket(ticketId, (ticket) => releaseTicket(ticket, order.id));
}

/**
 * `order.completed`: the order holding the ticket paid, so it is sold (the order id stays, naming the
 * buyer's order). If this order's lock has not been applied yet → retry until it has; already sold by
 * it → duplicate.
 */
export function markTicketSold(
  order: EventData<typeof Subjects.OrderCompleted>,
): Promise<ListenerOutcome> {
  return changeTicket<ListenerOutcome>(order.ticket.id, async (ticket) => {
    if (ticket.orderId !== order.id) return 'retry';
    if (ticket.status === TicketStatus.Sold) return 'ack';
    ticket.set({ status: TicketStatus.Sold });
    await saveTicket(ticket);
    return 'ack';
  });
}
