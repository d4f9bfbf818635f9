/**
 * The platform's events as types: one interface per subject with the payload its producer
 * publishes, and the union that listeners and publishers are typed by.
 */
import type { PriceBreakdown } from '../fees';
import type { EventCategory, OrderStatus, Subjects, TicketStatus } from './subjects';

/** Every event carries the version of the entity it describes, after the change. */
export interface Versioned {
  id: string;
  version: number;
}

/**
 * An account: its email, and `sessionsValidFrom` (ISO-8601): sessions started before it have ended (a
 * password change, or "sign out everywhere"). Services keep it in a replica and refuse older sessions.
 */
type UserData = Versioned & { email: string; sessionsValidFrom: string };

export interface UserCreatedEvent {
  subject: typeof Subjects.UserCreated;
  data: UserData;
}

export interface UserUpdatedEvent {
  subject: typeof Subjects.UserUpdated;
  data: UserData;
}

/**
 * The event a listing is for, as the tickets service's catalogue has it: what, where and when (an
 * ISO-8601 instant, shown in the venue's IANA time zone). Fixed once it has listings, so listings and
 * replicas carry a copy.
 */
export interface EventSummary {
  id: string;
  name: string;
  venue: string;
  city: string;
  category: EventCategory;
  startsAt: string;
  timeZone: string;
}

/** Where in the venue a ticket is; each part optional (a standing ticket has none). */
export interface SeatInfo {
  section?: string;
  row?: string;
  seat?: string;
}

/** The parts of a seat, in the order they are read ("Section 101, Row B, Seat 12"). */
export const SEAT_PARTS = ['section', 'row', 'seat'] as const satisfies ReadonlyArray<
  keyof SeatInfo
>;

/** The seat parts `from` has set (an empty part is no part), and nothing else of it. */
export function seatOf(from: SeatInfo): SeatInfo {
  const seat: SeatInfo = {};
  for (const part of SEAT_PARTS) if (from[part]) seat[part] = from[part];
  return seat;
}

/** A listing as it is after the change: what ticket.created and ticket.updated carry. */
export type ListingData = Versioned &
  SeatInfo & {
    title: string;
    price: number;
    userId: string;
    status: TicketStatus;
    /** The order holding (reserved) or that bought (sold) the ticket. */
    orderId?: string;
    eventId: string;
    event: EventSummary;
  };

export interface TicketCreatedEvent {
  subject: typeof Subjects.TicketCreated;
  data: ListingData;
}

export interface TicketUpdatedEvent {
  subject: typeof Subjects.TicketUpdated;
  data: ListingData;
}

/** Why tickets refused to lock a ticket for an order: its price changed, or it is sold already. */
export const HoldRefusal = { PriceChanged: 'price-changed', Sold: 'sold' } as const;
export type HoldRefusal = (typeof HoldRefusal)[keyof typeof HoldRefusal];

/**
 * tickets, the authority on holds, refused to lock the ticket for this order (`id` and `version` are the
 * order's, as in its order.created). `ticket.price` is the listing's price now. orders cancels the order.
 */
export interface TicketHoldRefusedEvent {
  subject: typeof Subjects.TicketHoldRefused;
  data: Versioned & { ticket: { id: string; price: number }; reason: HoldRefusal };
}

export interface OrderCreatedEvent {
  subject: typeof Subjects.OrderCreated;
  data: Versioned & {
    status: OrderStatus;
    userId: string;
    /** ISO-8601 instant the hold ends. */
    expiresAt: string;
    /** What the buyer pays, fixed when the hold is placed (dollars); the charge is `total`. */
    amount: PriceBreakdown;
    /** The listing: its ask, its seller (`userId`), and what the seller's payout needs to know of it. */
    ticket: {
      id: string;
      price: number;
      title: string;
      userId: string;
      event: Pick<EventSummary, 'id' | 'name' | 'startsAt' | 'timeZone'>;
    };
  };
}

/** The order ended before it was paid (cancelled by the buyer, expired, refused, declined). */
export interface OrderCancelledEvent {
  subject: typeof Subjects.OrderCancelled;
  data: Versioned & { ticket: { id: string } };
}

/** Produced by expiration; `version` is the order's version when the hold was scheduled. */
export interface OrderExpiredEvent {
  subject: typeof Subjects.OrderExpired;
  data: Versioned;
}

export interface OrderCompletedEvent {
  subject: typeof Subjects.OrderCompleted;
  data: Versioned & { ticket: { id: string } };
}

/** The charge of one order: what every charge event carries. */
type ChargeData = Versioned & {
  orderId: string;
  /** Integer cents. */
  amount: number;
};

/** The card was charged: orders completes the order (once tickets has confirmed its hold, ADR 004). */
export interface ChargeSucceededEvent {
  subject: typeof Subjects.ChargeSucceeded;
  data: ChargeData & { stripeId?: string };
}

/** The card was declined: no money moved, and orders cancels the order (ADR 004). */
export interface ChargeFailedEvent {
  subject: typeof Subjects.ChargeFailed;
  data: ChargeData & { reason: 'card_declined' };
}

/** The money of a charge went back to the buyer (a late payment for an order that had ended). */
export interface ChargeRefundedEvent {
  subject: typeof Subjects.ChargeRefunded;
  data: ChargeData & { stripeRefundId: string };
}

/** A seller's payout for one complete order, as payments records it. `amount` is dollars. */
type PayoutData = Versioned & {
  orderId: string;
  ticketId: string;
  /** The seller. */
  userId: string;
  amount: number;
};

/** A complete order's payout was recorded: due at `availableAt` (ISO-8601). */
export interface PayoutCreatedEvent {
  subject: typeof Subjects.PayoutCreated;
  data: PayoutData & { availableAt: string };
}

/** The payout's money went to the seller. */
export interface PayoutPaidEvent {
  subject: typeof Subjects.PayoutPaid;
  data: PayoutData & { transferId: string };
}

export type TicketingEvent =
  | UserCreatedEvent
  | UserUpdatedEvent
  | TicketCreatedEvent
  | TicketUpdatedEvent
  | TicketHoldRefusedEvent
  | OrderCreatedEvent
  | OrderCancelledEvent
  | OrderExpiredEvent
  | OrderCompletedEvent
  | ChargeSucceededEvent
  | ChargeFailedEvent
  | ChargeRefundedEvent
  | PayoutCreatedEvent
  | PayoutPaidEvent;

export type EventSubject = TicketingEvent['subject'];
export type EventData<S extends EventSubject> = Extract<TicketingEvent, { subject: S }>['data'];
