/**
 * The orders tickets has seen cancelled, kept as long as the events stream keeps events, so a late
 * order.created cannot lock a ticket for one of them.
 */
import mongoose from 'mongoose';

/**
 * Orders that ended without a sale, as told by `order.cancelled`. Each (service, subject) has its own
 * consumer, so an order's `order.created` can reach us after its `order.cancelled` (the created consumer
 * was retrying behind another hold, or redelivers after a crash). Remembering the cancel stops such a late
 * `order.created` from locking the ticket for an order that no longer exists.
 */
export interface CancelledOrderFields {
  /** The order id. */
  _id: string;
  ticketId: string;
  cancelledAt: Date;
}

/** After this a late `order.created` cannot arrive any more: it is the events stream's `max_age`. */
export const CANCELLED_ORDER_RETENTION_SECONDS = 7 * 24 * 60 * 60;

const cancelledOrderSchema = new mongoose.Schema<CancelledOrderFields>(
  {
    _id: { type: String, required: true },
    ticketId: { type: String, required: true },
    cancelledAt: { type: Date, required: true },
  },
  { versionKey: false },
);
cancelledOrderSchema.index(
  { cancelledAt: 1 },
  { expireAfterSeconds: CANCELLED_ORDER_RETENTION_SECONDS },
);

export const CancelledOrder = mongoose.model<CancelledOrderFields>(
  'CancelledOrder',
  cancelledOrderSchema,
);
