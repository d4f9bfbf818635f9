/**
 * The JSON shapes of the HTTP contract (docs/architecture.md and each service's README). The canonical
 * ones are common/src/api/types.ts and common/src/events/events.ts; the client keeps its own copy
 * because its image is built from client/ alone.
 */

export interface CurrentUser {
  id: string;
  email: string;
}

export const EVENT_CATEGORIES = [
  'concert',
  'sports',
  'theater',
  'comedy',
  'festival',
  'other',
] as const;

export type EventCategory = (typeof EVENT_CATEGORIES)[number];

/** An event of the catalogue: what, where and when. */
export interface CatalogEvent {
  id: string;
  name: string;
  venue: string;
  city: string;
  category: EventCategory;
  /** ISO instant. */
  startsAt: string;
  /** The venue's IANA time zone: the start is shown in it. */
  timeZone: string;
}

/** `GET /api/events`: an event that has not started, with what is for sale now. */
export interface EventSummary extends CatalogEvent {
  /** Tickets available now. */
  listings: number;
  /** The lowest total a buyer pays (ask + fee), dollars; null when nothing is for sale. */
  lowestPrice: number | null;
}

/** `GET /api/events/:id`: the event and its available listings, cheapest first (none once it started). */
export interface EventDetail extends EventSummary {
  /** At most 100. */
  tickets: Ticket[];
}

/** What `POST /api/events` takes: `startsAt` an ISO date-time with an offset, `timeZone` an IANA zone. */
export interface EventInput {
  name: string;
  venue: string;
  city: string;
  startsAt: string;
  timeZone: string;
  category: EventCategory;
}

/** Where in the venue a ticket is; each part optional (a standing ticket has none), at most 20 chars. */
export interface SeatInfo {
  section?: string;
  row?: string;
  seat?: string;
}

/** `closed`: unsold, and its event has started (not orderable; never stored, the clock decides). */
export type TicketStatus = 'available' | 'reserved' | 'sold' | 'closed';

/**
 * What a buyer pays for a ticket and why, in dollars: the seller's ask, the buyer's fee, and their sum.
 * The total is the price shown to buyers (US FTC rule 16 CFR 464: every mandatory fee included).
 */
export interface PriceBreakdown {
  price: number;
  fee: number;
  total: number;
}

export interface Ticket extends SeatInfo, PriceBreakdown {
  id: string;
  title: string;
  /** The seller's ask: dollars, at most 2 decimals. `total` (ask + `fee`) is what a buyer pays. */
  price: number;
  /** The seller. */
  userId: string;
  version: number;
  status: TicketStatus;
  /** The order holding (reserved) or that bought (sold) the ticket. */
  orderId?: string;
  eventId: string;
  event: CatalogEvent;
  /** ISO date: when the seller listed it. */
  createdAt: string;
}

/** What `POST /api/tickets` takes; `title` defaults on the server to the event's name and the seat. */
export interface TicketInput extends SeatInfo {
  eventId: string;
  price: number;
  title?: string;
}

/** What `PUT /api/tickets/:id` takes: any of these; an empty seat part clears it. Never the event. */
export interface TicketChanges extends SeatInfo {
  price?: number;
  title?: string;
}

/** `?page=&limit=` of the lists; `X-Next-Page` names the next page. */
export interface PageQuery {
  page?: number;
  limit?: number;
}

/**
 * The filters of `GET /api/events`; an empty one is no filter. They often come straight from a page's
 * URL, so they are text: the service answers a bad one with a 400 naming it.
 */
export interface EventQuery extends PageQuery {
  /** Words matched in the name, venue and city, in any order. */
  q?: string;
  city?: string;
  /** One of EVENT_CATEGORIES. */
  category?: string;
  /** `YYYY-MM-DD` or an ISO date-time: events starting at or after it. */
  from?: string;
  /** `YYYY-MM-DD` (through the end of that day, UTC) or an ISO date-time. */
  to?: string;
}

/** `?sort=` of `GET /api/tickets`: price up or down, event start, or newest listing first (the default). */
export type TicketSort = 'price' | '-price' | 'date' | 'newest';

export interface TicketQuery extends EventQuery {
  eventId?: string;
  /** Bounds on the total a buyer pays (ask + fee), dollars. */
  minPrice?: number;
  maxPrice?: number;
  sort?: TicketSort;
}

export type OrderStatus = 'created' | 'complete' | 'cancelled';

export interface Order {
  id: string;
  userId: string;
  status: OrderStatus;
  /** ISO date: when the hold on the ticket ends unless paid (never after the event starts). */
  expiresAt: string;
  version: number;
  /** The listing as it was when ordered: its ask (`price`), event and seat. */
  ticket: SeatInfo & { id: string; title: string; price: number; event: CatalogEvent };
  /** What the buyer pays, fixed when the hold was placed: the card is charged `amount.total`. */
  amount: PriceBreakdown;
  createdAt?: string;
  refunded?: boolean;
  /** Why a cancelled order was cancelled, in the buyer's words (e.g. "The price changed to $30"). */
  cancellation?: { reason: string; message: string };
}

export type ChargeStatus = 'created' | 'failed' | 'completed';

export interface Charge {
  id: string;
  orderId: string;
  status: ChargeStatus;
  /** Integer cents. */
  amount: number;
  currency?: string;
}

/** `GET /api/tickets/quote?price=`: what buyers pay for an ask, and what its seller receives. Dollars. */
export interface Quote extends PriceBreakdown {
  /** Kept from the seller's payout. */
  sellerFee: number;
  /** What the seller receives: the ask less `sellerFee`. */
  payout: number;
}

/** `pending` until paid out (after the event, once a payout account is connected). */
export type PayoutStatus = 'pending' | 'paid' | 'cancelled';

/** What the seller of one sold ticket receives, and when. */
export interface Payout {
  id: string;
  orderId: string;
  ticketId: string;
  /** The ticket's title. */
  title: string;
  event: Pick<CatalogEvent, 'name' | 'startsAt' | 'timeZone'>;
  /** The ask, dollars. */
  price: number;
  /** The seller's fee, dollars. */
  fee: number;
  /** What the seller receives (ask − fee), dollars. */
  amount: number;
  status: PayoutStatus;
  /** ISO instant: when it can be paid out (by default a day after the event starts). */
  availableAt: string;
  createdAt: string;
  paidAt?: string;
  transferId?: string;
  /** Why a payout that is due is still pending (no payout account connected, ...). */
  reason?: string;
}

/** `GET /api/payments/payouts`: the seller's payouts, newest first, and their sums by status. */
export interface PayoutsPage {
  payouts: Payout[];
  totals: { pending: number; paid: number };
}

/** `GET`/`PUT /api/payments/account`: where the seller's payouts go (a Stripe connected account). */
export interface PayoutAccount {
  stripeAccountId: string | null;
}

/** One page of a list and the number of the next page, if there is one (`X-Next-Page`). */
export interface Page<T> {
  items: T[];
  nextPage: number | null;
}

export interface ApiErrorItem {
  message: string;
  field?: string;
}
