/**
 * The platform's events as types: one interface per subject with the payload its producer
 * publishes, and the union that listeners and publishers are typed by.
 */
import type { OrderStatus, Subjects, TicketStatus } from './subjects';

/** Every event carries the version of the entity it describes, after the change. */
interface Versioned {
  id: string;
  version: number;
}

export interface UserCreatedEvent {
  subject: typeof Subjects.UserCreated;
  data: Versioned & { email: string };
}

export interface UserUpdatedEvent {
  subject: typeof Subjects.UserUpdated;
  data: Versioned & { email: string };
}

export interface TicketCreatedEvent {
  subject: typeof Subjects.TicketCreated;
  data: Versioned & {
    title: string;
    price: number;
    userId: string;
    status: TicketStatus;
    orderId?: string;
  };
}

export interface TicketUpdatedEvent {
  subject: typeof Subjects.TicketUpdated;
  data: Versioned & {
    title: string;
    price: number;
    userId: string;
    status: TicketStatus;
    orderId?: string;
  };
}

/** Why tickets refused to lock a ticket for an order: its price changed, or it is sold already. */
export const HoldRefusal = {
  PriceChanged: 'price-changed',
  Sold: 'sold',
} as const;
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
    ticket: { id: string; price: number };
  };
}

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

/** The card was charged: orders completes the order (once tickets has confirmed its hold, ADR 004). */
export interface ChargeSucceededEvent {
  subject: typeof Subjects.ChargeSucceeded;
  data: Versioned & {
    orderId: string;
    /** Integer cents. */
    amount: number;
    stripeId?: string;
  };
}

/** The card was declined: no money moved, and orders cancels the order (ADR 004). */
export interface ChargeFailedEvent {
  subject: typeof Subjects.ChargeFailed;
  data: Versioned & {
    orderId: string;
    /** Integer cents. */
    amount: number;
    reason: 'card_declined';
  };
}

export interface ChargeRefundedEvent {
  subject: typeof Subjects.ChargeRefunded;
  data: Versioned & { orderId: string; amount: number; stripeRefundId: string };
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
  | ChargeRefundedEvent;

export type EventSubject = TicketingEvent['subject'];
export type EventData<S extends EventSubject> = Extract<TicketingEvent, { subject: S }>['data'];
