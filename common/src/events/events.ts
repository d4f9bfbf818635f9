import type { ChargeStatus, OrderStatus, Subjects, TicketStatus } from './subjects';

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

export interface ChargeCreatedEvent {
  subject: typeof Subjects.ChargeCreated;
  data: Versioned & {
    orderId: string;
    status: ChargeStatus;
    /** Integer cents. */
    amount: number;
    stripeId?: string;
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
  | OrderCreatedEvent
  | OrderCancelledEvent
  | OrderExpiredEvent
  | OrderCompletedEvent
  | ChargeCreatedEvent
  | ChargeRefundedEvent;

export type EventSubject = TicketingEvent['subject'];
export type EventData<S extends EventSubject> = Extract<TicketingEvent, { subject: S }>['data'];
