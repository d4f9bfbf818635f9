/** The JSON shapes of the HTTP contract (docs/architecture.md and each service's README). */

export interface CurrentUser {
  id: string;
  email: string;
}

export type TicketStatus = 'available' | 'reserved' | 'sold';

export interface Ticket {
  id: string;
  title: string;
  /** Dollars, at most 2 decimals. */
  price: number;
  /** The seller. */
  userId: string;
  version: number;
  status: TicketStatus;
  /** The order holding (reserved) or that bought (sold) the ticket. */
  orderId?: string;
  /** ISO date: when the seller listed it. */
  createdAt: string;
}

export type OrderStatus = 'created' | 'complete' | 'cancelled';

export interface Order {
  id: string;
  userId: string;
  status: OrderStatus;
  /** ISO date: when the hold on the ticket ends unless paid. */
  expiresAt: string;
  version: number;
  /** The listing as it was when ordered: its price is what the buyer pays. */
  ticket: { id: string; title: string; price: number };
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

/** One page of a list and the number of the next page, if there is one (`X-Next-Page`). */
export interface Page<T> {
  items: T[];
  nextPage: number | null;
}

export interface ApiErrorItem {
  message: string;
  field?: string;
}
