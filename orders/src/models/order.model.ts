/**
 * The order: buyer, status, expiry, the ticket at the price paid, why it was cancelled, its refund.
 * Versioned, it carries its order.* events until they are published; a unique index allows one live
 * order per ticket.
 */
import mongoose, { type HydratedDocument } from 'mongoose';
import {
  OrderStatus,
  VERSIONED,
  priceBreakdownSchema,
  type PriceBreakdown,
  pendingEventsPlugin,
  seatOf,
  type SeatInfo,
} from '@ticketing/common';
import { replicaEventSchema, type ReplicaEvent } from './ticket.model';

/** Why an order ended without a sale; the buyer sees `message`. */
export const CancelReason = {
  CancelledByBuyer: 'cancelled',
  Expired: 'expired',
  PaymentDeclined: 'declined',
  PriceChanged: 'price-changed',
  TicketSold: 'sold',
} as const;
export type CancelReason = (typeof CancelReason)[keyof typeof CancelReason];

export interface Cancellation {
  reason: CancelReason;
  message: string;
  at: Date;
}

export interface OrderFields {
  userId: string;
  status: OrderStatus;
  expiresAt: Date;
  /**
   * The listing as it was when the order was made: the price here is what the buyer pays; its event
   * (whose start ends the hold at the latest) and seat.
   */
  ticket: SeatInfo & {
    id: mongoose.Types.ObjectId;
    title: string;
    price: number;
    event: ReplicaEvent;
  };
  /**
   * `true` while the order holds its ticket (created or complete), absent once cancelled. A unique index
   * over the orders that have it set makes "one live order per ticket" the database's rule.
   */
  holdsTicket?: true;
  /**
   * Which of the buyer's MAX_ACTIVE_HOLDS hold slots the order takes while it is open (`created`): a unique
   * index over open orders allows each (buyer, slot) once, so the database caps a buyer's open orders.
   */
  holdSlot: number;
  /** What the buyer pays, fixed when the order is placed: a later fee change never alters it. */
  amount: PriceBreakdown;
  chargeId?: string;
  /** Set when the order is cancelled: why, in the buyer's words. */
  cancellation?: Cancellation;
  refund?: { chargeId: string; amount: number; stripeRefundId: string; at: Date };
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export type OrderDoc = HydratedDocument<OrderFields>;

const orderSchema = new mongoose.Schema<OrderFields>(
  {
    userId: { type: String, required: true },
    status: { type: String, enum: Object.values(OrderStatus), required: true },
    expiresAt: { type: Date, required: true },
    ticket: {
      id: { type: mongoose.Schema.Types.ObjectId, required: true },
      title: { type: String, required: true },
      price: { type: Number, required: true },
      event: { type: replicaEventSchema, required: true },
      section: { type: String },
      row: { type: String },
      seat: { type: String },
    },
    holdsTicket: { type: Boolean },
    holdSlot: { type: Number, required: true, min: 0 },
    amount: { type: priceBreakdownSchema, required: true },
    chargeId: { type: String },
    cancellation: {
      type: new mongoose.Schema({ reason: String, message: String, at: Date }, { _id: false }),
      default: undefined,
    },
    refund: {
      type: new mongoose.Schema(
        { chargeId: String, amount: Number, stripeRefundId: String, at: Date },
        { _id: false },
      ),
      default: undefined,
    },
  },
  {
    // Every save is conditioned on the version read and bumps it: concurrent writers cannot both win.
    ...VERSIONED,
    timestamps: true,
    toJSON: {
      transform(_doc, ret: Record<string, unknown>) {
        return toOrderJson(ret as unknown as OrderFields & { _id: mongoose.Types.ObjectId });
      },
    },
  },
);
// The order carries its own events until they are published (ADR 005).
orderSchema.plugin(pendingEventsPlugin);
orderSchema.index(
  { 'ticket.id': 1 },
  { unique: true, partialFilterExpression: { holdsTicket: true } },
);
orderSchema.index({ userId: 1, createdAt: -1 });
// The hold cap: each of a buyer's slots at most once among open orders (and the cap's read of them).
orderSchema.index(
  { userId: 1, holdSlot: 1 },
  { unique: true, partialFilterExpression: { status: OrderStatus.Created } },
);
// The re-hold cooldown's read: this buyer's orders of this ticket.
orderSchema.index({ userId: 1, 'ticket.id': 1 });

/** The order's copy of its listing as the API shows it (the event's start as an ISO instant). */
function toOrderTicketJson(ticket: OrderFields['ticket']) {
  const { event } = ticket;
  return {
    id: String(ticket.id),
    title: ticket.title,
    price: ticket.price,
    event: {
      id: event.id,
      name: event.name,
      venue: event.venue,
      city: event.city,
      category: event.category,
      startsAt: event.startsAt.toISOString(),
      timeZone: event.timeZone,
    },
    ...seatOf(ticket),
  };
}

/** The API's order shape, from a document or a lean object. */
export function toOrderJson(order: OrderFields & { _id: mongoose.Types.ObjectId }) {
  return {
    id: String(order._id),
    userId: order.userId,
    status: order.status,
    expiresAt: order.expiresAt,
    version: order.version,
    ticket: toOrderTicketJson(order.ticket),
    amount: { price: order.amount.price, fee: order.amount.fee, total: order.amount.total },
    createdAt: order.createdAt,
    ...(order.cancellation
      ? { cancellation: { reason: order.cancellation.reason, message: order.cancellation.message } }
      : {}),
    ...(order.refund ? { refunded: true } : {}),
  };
}

export const Order = mongoose.model<OrderFields>('Order', orderSchema);
