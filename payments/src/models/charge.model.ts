import mongoose, { type HydratedDocument } from 'mongoose';
import { ChargeStatus, VERSIONED, pendingEventsPlugin } from '@ticketing/common';

/** Why a charge failed: the card was declined (the order is then cancelled), or the token was unusable. */
export const FailureReason = {
  CardDeclined: 'card_declined',
  InvalidToken: 'invalid_token',
} as const;
export type FailureReason = (typeof FailureReason)[keyof typeof FailureReason];

export interface ChargeFields {
  /** The order paid for (its id as a string, as in events). */
  orderId: string;
  status: ChargeStatus;
  /** Integer cents: `toCents(order price)`. */
  amount: number;
  currency: 'usd';
  /**
   * `true` while the charge is `created` (gateway call in progress) or `completed`; absent once it failed.
   * A unique index over the charges that have it makes "at most one successful or in-progress charge per
   * order" the database's rule: the losing insert gets E11000.
   */
  active?: true;
  /** 1 for the first charge of an order, n for the n-th; unique per order. Keys the gateway call. */
  attempt: number;
  /**
   * The card token, kept only while the outcome is unknown, so the same request (same key, same card) can
   * be re-issued after a crash or a network failure. Cleared once the charge is settled.
   */
  token?: string;
  /**
   * While `created`: until when one process is driving the gateway call. Past it (a crash, a network
   * failure), the charge is up for recovery: the buyer's next attempt or the periodic sweep re-issues it.
   */
  lockedUntil?: Date;
  /** The processor's charge id, once completed. */
  stripeId?: string;
  failureReason?: FailureReason;
  /** A completed charge whose order was cancelled: to be refunded (set in the deciding transaction). */
  refundDue?: true;
  /** The processor's refund id, once the money went back. */
  stripeRefundId?: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export type ChargeDoc = HydratedDocument<ChargeFields>;
export type ChargeRecord = ChargeFields & { _id: mongoose.Types.ObjectId };

const chargeSchema = new mongoose.Schema<ChargeFields>(
  {
    orderId: { type: String, required: true },
    status: { type: String, enum: Object.values(ChargeStatus), required: true },
    amount: { type: Number, required: true },
    currency: { type: String, enum: ['usd'], required: true },
    active: { type: Boolean },
    attempt: { type: Number, required: true },
    token: { type: String },
    lockedUntil: { type: Date },
    stripeId: { type: String },
    failureReason: { type: String, enum: Object.values(FailureReason) },
    refundDue: { type: Boolean },
    stripeRefundId: { type: String },
  },
  {
    // Every save is conditioned on the version read and bumps it: concurrent writers cannot both win.
    ...VERSIONED,
    timestamps: true,
    toJSON: {
      transform(_doc, ret: Record<string, unknown>) {
        return toChargeJson(ret as unknown as ChargeRecord);
      },
    },
  },
);
// The charge carries its own events until they are published (ADR 005).
chargeSchema.plugin(pendingEventsPlugin);
chargeSchema.index({ orderId: 1 }, { unique: true, partialFilterExpression: { active: true } });
chargeSchema.index({ orderId: 1, attempt: 1 }, { unique: true });
// The recovery sweep's two questions: stalled pending charges, and refunds still owed.
chargeSchema.index({ status: 1, lockedUntil: 1 });
chargeSchema.index({ refundDue: 1, updatedAt: 1 });

/** The API's charge shape. */
export function toChargeJson(charge: ChargeRecord) {
  return {
    id: String(charge._id),
    orderId: charge.orderId,
    status: charge.status,
    amount: charge.amount,
    currency: charge.currency,
    ...(charge.stripeId ? { stripeId: charge.stripeId } : {}),
  };
}

export const Charge = mongoose.model<ChargeFields>('Charge', chargeSchema);
