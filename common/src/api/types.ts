/**
 * The JSON shapes of the HTTP contract (docs/architecture.md, "HTTP API"), as the services answer them
 * through the gateway: what the bench, the fault suite and the whole-backend tests read. Dates arrive as
 * ISO-8601 strings. (The Next.js client keeps its own copy in client/lib/api/types.ts: its image is built
 * from client/ alone, without this package.)
 */
import type { SerializedError } from '../errors/custom-error';
import type { PriceBreakdown } from '../fees/fees';
import type { EventData } from '../events/events';
import type { EventSummary, SeatInfo } from '../events/events';
import type {
  ChargeStatus,
  EventCategory,
  ListingStatus,
  OrderStatus,
  PayoutStatus,
  Subjects,
} from '../events/subjects';
import type { UserPayload } from '../middlewares/current-user';

/** Sign-up, sign-in and password change answer the account: `{id, email}`, never the password hash. */
export type UserJson = UserPayload;

/** `GET /api/users/currentuser`: the session's user (with its token's times), or null when signed out. */
export interface CurrentUserJson {
  currentUser: (UserJson & { iat?: number; exp?: number }) | null;
}

export interface Credentials {
  email: string;
  password: string;
}

/** An event of the catalogue as every route shows it (`startsAt` an ISO-8601 instant). */
export type CatalogEventJson = EventSummary;

/** `GET /api/events`: an event that has not started, with how many tickets are for sale now and the cheapest. */
export interface EventJson extends CatalogEventJson {
  listings: number;
  /** The lowest total a buyer pays (ask + fee), dollars; null when nothing is for sale. */
  lowestPrice: number | null;
}

/** `GET /api/events/:id`: the event and its available listings, cheapest first (none once it started). */
export interface EventDetailJson extends EventJson {
  tickets: TicketJson[];
}

/** What `POST /api/events` takes (`startsAt` ISO-8601 with an offset, `timeZone` an IANA zone). */
export interface EventInput {
  name: string;
  venue: string;
  city: string;
  startsAt: string;
  timeZone: string;
  category: EventCategory;
}

/** `?q=&city=&category=&from=&to=&page=&limit=` of `GET /api/events`. */
export interface EventQuery extends PageQuery {
  q?: string;
  city?: string;
  category?: EventCategory;
  /** ISO date or date-time: events starting at or after it. */
  from?: string;
  /** ISO date (through that day, UTC) or date-time: events starting at or before it. */
  to?: string;
}

/**
 * A listing: what `ticket.created` / `ticket.updated` carry (`id`, `version`, `title`, `price` in dollars,
 * `userId` the seller, `orderId` while an order holds it or once that order bought it, the event and the
 * seat; the tickets service builds both from one document), plus when the seller listed it and what a
 * buyer pays: `price` is the seller's ask, `fee` the buyer's fee and `total` their sum (dollars). `status`
 * is `closed` for an unsold listing whose event has started.
 */
export type TicketJson = Omit<EventData<typeof Subjects.TicketUpdated>, 'status'> & {
  status: ListingStatus;
  fee: number;
  total: number;
  createdAt: string;
};

/** `GET /api/tickets/quote?price=`: what a listing at this ask costs a buyer and pays its seller. */
export interface QuoteJson extends PriceBreakdown {
  /** The seller's fee, kept from the payout. */
  sellerFee: number;
  /** What the seller receives. */
  payout: number;
}

/** What `POST /api/tickets` takes; `title` defaults to the event's name and the seat. */
export interface TicketInput extends SeatInfo {
  eventId: string;
  price: number;
  title?: string;
}

/** What `PUT /api/tickets/:id` takes: any of these (an empty seat part clears it); never the event. */
export interface TicketChanges extends SeatInfo {
  price?: number;
  title?: string;
}

/** `?sort=` of `GET /api/tickets`: price up or down, event start, or newest listing first (the default). */
export type TicketSort = 'price' | '-price' | 'date' | 'newest';

/** The filters of `GET /api/tickets`. */
export interface TicketQuery extends EventQuery {
  eventId?: string;
  /** Bounds on the total a buyer pays, dollars. */
  minPrice?: number;
  maxPrice?: number;
  sort?: TicketSort;
}

/** Why an order ended without a sale, and what the buyer reads (e.g. "The price changed to $30"). */
export interface CancellationJson {
  reason: 'cancelled' | 'expired' | 'declined' | 'price-changed' | 'sold';
  message: string;
}

export interface OrderJson {
  id: string;
  /** The buyer. */
  userId: string;
  status: OrderStatus;
  /** When the hold on the ticket ends unless the order is paid. */
  expiresAt: string;
  version: number;
  /** The listing as it was when ordered: its price (the seller's ask), its event and seat. */
  ticket: Pick<TicketJson, 'id' | 'title' | 'price' | 'event' | 'section' | 'row' | 'seat'>;
  /** What the buyer pays, fixed when the hold was placed (dollars); the charge is `total`. */
  amount: PriceBreakdown;
  createdAt: string;
  /** Once cancelled. */
  cancellation?: CancellationJson;
  /** The payment raced a cancellation and the money went back. */
  refunded?: true;
}

/** `POST /api/payments` answers the charge (201) once the card was charged. */
export interface ChargeJson {
  id: string;
  orderId: string;
  status: ChargeStatus;
  /** Integer cents. */
  amount: number;
  currency: 'usd';
  /** The processor's charge id. */
  stripeId?: string;
}

/** A seller's payout for one sale (dollars; `availableAt` when it is due: the event's start + the delay). */
export interface PayoutJson {
  id: string;
  orderId: string;
  ticketId: string;
  /** The listing's title and its event, as when sold. */
  title: string;
  event: { name: string; startsAt: string; timeZone: string };
  /** The ask, the seller's fee, and what the seller receives (`price - fee`). */
  price: number;
  fee: number;
  amount: number;
  status: PayoutStatus;
  availableAt: string;
  createdAt: string;
  paidAt?: string;
  /** The processor's transfer id, once paid. */
  transferId?: string;
  /** Why a due payout is still pending (e.g. no payout account). */
  reason?: string;
}

/** `GET /api/payments/payouts`: the seller's payouts, newest first, and what is pending and paid in all. */
export interface PayoutsJson {
  payouts: PayoutJson[];
  totals: { pending: number; paid: number };
}

/** `GET`/`PUT /api/payments/account`: the Stripe Connect account payouts go to. */
export interface PayoutAccountJson {
  stripeAccountId: string | null;
}

/** Every 4xx/5xx: `{errors: [{message, field?}]}`, never a stack trace. */
export interface ErrorsJson {
  errors: SerializedError[];
}

/** `?page=&limit=` of the ticket lists (20 a page by default, at most 100); `X-Next-Page` names the next. */
export interface PageQuery {
  page?: number;
  limit?: number;
}
