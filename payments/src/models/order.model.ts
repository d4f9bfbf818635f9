/**
 * The order replica: the orders payments may charge, copied from orders' events.
 */
import mongoose from 'mongoose';
import { OrderStatus, priceBreakdownSchema, type PriceBreakdown } from '@ticketing/common';

/** The listing an order is for, as far as its seller's payout needs it. */
export interface ReplicaTicket {
  id: string;
  title: string;
  /** The seller: who the payout goes to. */
  userId: string;
  event: { name: string; startsAt: Date; timeZone: string };
}

/**
 * The payments service's replica of an order, kept by the order.* listeners. Its version is the orders
 * service's, copied from events — never incremented here.
 */
export interface OrderReplica {
  _id: mongoose.Types.ObjectId;
  /** The buyer: the only user who may pay the order. */
  userId: string;
  /** Dollars: what the buyer pays (ask + fee = total), fixed when the order was created; charged: total. */
  amount: PriceBreakdown;
  ticket: ReplicaTicket;
  status: OrderStatus;
  /** When the hold ends; a payment after it is refused even before order.cancelled arrives. */
  expiresAt: Date;
  version: number;
  /**
   * The charge that completed for this order, written (with a read of `status` in the same atomic write)
   * before the charge is recorded. The order.cancelled listener writes `status` and then reads this, so
   * one of the two always sees both facts (see recordCompleted in domain/settle-charge.ts): a refund
   * is never missed.
   */
  chargeId?: string;
}

/** The event a listing was sold for, as far as its payout needs it (the payout keeps a copy). */
export const soldEventSchema = new mongoose.Schema<ReplicaTicket['event']>(
  {
    name: { type: String, required: true },
    startsAt: { type: Date, required: true },
    timeZone: { type: String, required: true },
  },
  { _id: false },
);

const orderSchema = new mongoose.Schema<OrderReplica>(
  {
    userId: { type: String, required: true },
    amount: { type: priceBreakdownSchema, required: true },
    ticket: {
      type: new mongoose.Schema<ReplicaTicket>(
        {
          id: { type: String, required: true },
          title: { type: String, required: true },
          userId: { type: String, required: true },
          event: { type: soldEventSchema, required: true },
        },
        { _id: false },
      ),
      required: true,
    },
    status: { type: String, enum: Object.values(OrderStatus), required: true },
    expiresAt: { type: Date, required: true },
    version: { type: Number, required: true },
    chargeId: { type: String },
  },
  { versionKey: false },
);

export const Order = mongoose.model<OrderReplica>('Order', orderSchema);
