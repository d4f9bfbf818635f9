/**
 * The listing: the event it is for, the seat, title, price, seller, status and the order holding it.
 * Versioned, it carries its ticket.* events until they are published; toTicketJson is its API shape,
 * toTicketEvent its event payload.
 */
import mongoose, { type HydratedDocument } from 'mongoose';
import {
  EventCategory,
  ListingStatus,
  TicketStatus,
  VERSIONED,
  pendingEventsPlugin,
  priceBreakdown,
  seatOf,
  type EventData,
  type FeeSchedule,
  type SeatInfo,
  type TicketJson as ApiTicketJson,
  type Subjects,
} from '@ticketing/common';
import { normalizeText } from '../domain/search-text';

/** The listing's copy of its event (events are never edited once they have listings). */
export interface ListedEvent {
  name: string;
  venue: string;
  city: string;
  category: EventCategory;
  startsAt: Date;
  timeZone: string;
}

export interface TicketAttrs extends SeatInfo {
  title: string;
  /** Dollars, at most 2 decimals (validated by the routes). */
  price: number;
  /** The seller. */
  userId: string;
  eventId: string;
  event: ListedEvent;
}

export interface TicketFields extends TicketAttrs {
  status: TicketStatus;
  /** The order holding the ticket while it is reserved, and the one that bought it once sold. */
  orderId?: string;
  /** The event's city as the `city` filter compares it (set on every save). */
  cityKey: string;
  /** Event name, venue, city and title as `q` searches them (set on every save). */
  search: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export type TicketDoc = HydratedDocument<TicketFields>;

/** What the API shows of a ticket (common's TicketJson) before JSON turns its date into a string. */
export type TicketJson = Omit<ApiTicketJson, 'createdAt'> & { createdAt: Date };

/** The stored fields `toTicketJson` reads: lean reads project exactly these. */
export const TICKET_JSON_PROJECTION = {
  title: 1,
  price: 1,
  userId: 1,
  version: 1,
  status: 1,
  orderId: 1,
  eventId: 1,
  event: 1,
  section: 1,
  row: 1,
  seat: 1,
  createdAt: 1,
} as const;

type StoredTicket = Pick<TicketFields, keyof typeof TICKET_JSON_PROJECTION> & {
  _id: unknown;
};

type Listing = Omit<EventData<typeof Subjects.TicketUpdated>, 'version'>;

/** The listing as stored, in the shape events and the API share. */
function toListing(ticket: StoredTicket): Listing {
  const { event } = ticket;
  const listing: Listing = {
    id: String(ticket._id),
    title: ticket.title,
    price: ticket.price,
    userId: ticket.userId,
    status: ticket.status,
    eventId: ticket.eventId,
    event: {
      id: ticket.eventId,
      name: event.name,
      venue: event.venue,
      city: event.city,
      category: event.category,
      startsAt: event.startsAt.toISOString(),
      timeZone: event.timeZone,
    },
  };
  if (ticket.orderId) listing.orderId = ticket.orderId;
  return { ...listing, ...seatOf(ticket) };
}

/**
 * What a visitor is shown at `now`: the stored status, except that an unsold listing whose event has
 * started is `closed` (no longer listed or orderable).
 */
export function shownStatus(
  ticket: { status: TicketStatus; event: { startsAt: Date } },
  now = Date.now(),
): ListingStatus {
  if (ticket.status !== TicketStatus.Sold && ticket.event.startsAt.getTime() <= now) {
    return ListingStatus.Closed;
  }
  return ticket.status;
}

/**
 * A listing as the API shows it: with what a buyer pays for it under `fees` (the ask, the buyer's fee
 * and the total) and its status at `now`. For a stored ticket (toTicketJson) and for a listing as an
 * event carries it (the event page's stream) alike.
 */
export function pricedListing<L extends Listing>(listing: L, fees: FeeSchedule, now = Date.now()) {
  const { fee, total } = priceBreakdown(listing.price, fees);
  const startsAt = new Date(listing.event.startsAt);
  return {
    ...listing,
    fee,
    total,
    status: shownStatus({ status: listing.status, event: { startsAt } }, now),
  };
}

/**
 * One serializer for hydrated documents and lean reads alike, so both answer the same shape: the listing,
 * priced and with its status at `now` (pricedListing).
 */
export function toTicketJson(
  ticket: StoredTicket,
  fees: FeeSchedule,
  now = Date.now(),
): TicketJson {
  return {
    ...pricedListing(toListing(ticket), fees, now),
    version: ticket.version,
    createdAt: ticket.createdAt,
  };
}

/** The payload of `ticket.created` / `ticket.updated`: the listing as it is stored after the change. */
export function toTicketEvent(
  ticket: TicketDoc,
  version: number,
): EventData<typeof Subjects.TicketUpdated> {
  return { ...toListing(ticket), version };
}

const ticketSchema = new mongoose.Schema<TicketFields>(
  {
    title: { type: String, required: true },
    price: { type: Number, required: true, min: 0 },
    userId: { type: String, required: true },
    status: {
      type: String,
      enum: Object.values(TicketStatus),
      required: true,
      default: TicketStatus.Available,
    },
    orderId: { type: String, required: false },
    eventId: { type: String, required: true },
    event: {
      type: new mongoose.Schema<ListedEvent>(
        {
          name: { type: String, required: true },
          venue: { type: String, required: true },
          city: { type: String, required: true },
          category: { type: String, enum: Object.values(EventCategory), required: true },
          startsAt: { type: Date, required: true },
          timeZone: { type: String, required: true },
        },
        { _id: false },
      ),
      required: true,
    },
    section: { type: String },
    row: { type: String },
    seat: { type: String },
    cityKey: { type: String },
    search: { type: String },
  },
  {
    // Every save is conditioned on the version read and bumps it: concurrent writers cannot both win.
    ...VERSIONED,
    timestamps: true,
  },
);
// What the filters and the search compare follows the event and the title on every save.
ticketSchema.pre('validate', function () {
  if (!this.event) return;
  this.cityKey = normalizeText(this.event.city);
  this.search = normalizeText(
    [this.event.name, this.event.venue, this.event.city, this.title].join(' '),
  );
});
// The listing carries its own events until they are published (ADR 005).
ticketSchema.plugin(pendingEventsPlugin);
// GET /api/tickets: available listings in each order it sorts by (the _id breaks ties), of one event,
// and of one city; every query also bounds `event.startsAt`, which the date order serves directly.
ticketSchema.index({ status: 1, createdAt: -1, _id: -1 });
ticketSchema.index({ status: 1, price: 1, _id: 1 });
ticketSchema.index({ status: 1, 'event.startsAt': 1, _id: 1 });
ticketSchema.index({ eventId: 1, status: 1, price: 1, _id: 1 });
ticketSchema.index({ cityKey: 1, status: 1, 'event.startsAt': 1 });
// GET /api/tickets/mine: a seller's listings, newest first.
ticketSchema.index({ userId: 1, createdAt: -1, _id: -1 });

export const Ticket = mongoose.model<TicketFields>('Ticket', ticketSchema);
