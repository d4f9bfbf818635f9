/** Every JetStream subject of the platform. Events are past-tense facts. */
export const Subjects = {
  UserCreated: 'user.created',
  UserUpdated: 'user.updated',
  TicketCreated: 'ticket.created',
  TicketUpdated: 'ticket.updated',
  TicketHoldRefused: 'ticket.hold-refused',
  OrderCreated: 'order.created',
  OrderCancelled: 'order.cancelled',
  OrderExpired: 'order.expired',
  OrderCompleted: 'order.completed',
  ChargeSucceeded: 'charge.succeeded',
  ChargeFailed: 'charge.failed',
  ChargeRefunded: 'charge.refunded',
  PayoutCreated: 'payout.created',
  PayoutPaid: 'payout.paid',
} as const;

export const OrderStatus = {
  /** Holds its ticket until it is paid or its hold ends. */
  Created: 'created',
  /** Paid: the ticket is sold to its buyer. */
  Complete: 'complete',
  /** Ended unpaid (the buyer, the clock, a refused hold or a declined card): the ticket is free again. */
  Cancelled: 'cancelled',
} as const;
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

export const ChargeStatus = {
  /** Claimed for an order while the gateway is asked. */
  Created: 'created',
  Failed: 'failed',
  Completed: 'completed',
} as const;
export type ChargeStatus = (typeof ChargeStatus)[keyof typeof ChargeStatus];

export const PayoutStatus = {
  /** Recorded for a complete order; paid once it is due (after the event) and payable. */
  Pending: 'pending',
  /** The money went to the seller: a transfer id is recorded. */
  Paid: 'paid',
  /** Will not be paid (no path sets it yet: reserved for refunds after a sale). */
  Cancelled: 'cancelled',
} as const;
export type PayoutStatus = (typeof PayoutStatus)[keyof typeof PayoutStatus];

export const TicketStatus = { Available: 'available', Reserved: 'reserved', Sold: 'sold' } as const;
export type TicketStatus = (typeof TicketStatus)[keyof typeof TicketStatus];

/**
 * What the API shows of a listing: its stored status, or `closed` for an unsold listing whose event has
 * started (never stored: the clock decides it).
 */
export const ListingStatus = { ...TicketStatus, Closed: 'closed' } as const;
export type ListingStatus = (typeof ListingStatus)[keyof typeof ListingStatus];

/** The kinds of event the catalogue files listings under. */
export const EventCategory = {
  Concert: 'concert',
  Sports: 'sports',
  Theater: 'theater',
  Comedy: 'comedy',
  Festival: 'festival',
  Other: 'other',
} as const;
export type EventCategory = (typeof EventCategory)[keyof typeof EventCategory];
