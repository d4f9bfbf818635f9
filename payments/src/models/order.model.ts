/**
 * The order replica: the orders payments may charge, copied from orders' events.
 */
import mongoose from 'mongoose';
import { OrderStatus } from '@ticketing/common';

/**
 * The payments service's replica of an order, kept by the order.* listeners. Its version is the orders
 * service's, copied from events — never incremented here.
 */
export interface OrderReplica {
  _id: mongoose.Types.ObjectId;
  /** The buyer: the only user who may pay the order. */
  userId: string;
  /** Dollars: the price the order pays, fixed when it was created (ADR 004). */
  price: number;
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

const orderSchema = new mongoose.Schema<OrderReplica>(
  {
    userId: { type: String, required: true },
    price: { type: Number, required: true },
    status: { type: String, enum: Object.values(OrderStatus), required: true },
    expiresAt: { type: Date, required: true },
    version: { type: Number, required: true },
    chargeId: { type: String },
  },
  { versionKey: false },
);

export const Order = mongoose.model<OrderReplica>('Order', orderSchema);
