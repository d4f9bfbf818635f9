/**
 * What an order.created asks expiration to schedule: the order's expiry, keyed by the order id, and
 * the delay until it is due.
 */
import type { EventData, Subjects } from '@ticketing/common';
import { z } from 'zod';

/** When one order's hold ends, and the order version its `order.expired` carries. */
export interface OrderExpiry {
  orderId: string;
  version: number;
  expiresAt: Date;
}

// The job id is the order id. BullMQ refuses purely numeric custom ids and ids with ':', and orders
// only ever creates 24-hex ObjectIds, so anything else is a broken event, not a new kind of order.
// (The rest of the event, `expiresAt` an instant and `version` a count among them, is common's schema,
// checked by the listener before the handler runs.)
const jobId = z.string().regex(/^[0-9a-f]{24}$/i, 'must be a 24-hex order id');

/**
 * The expiry an `order.created` asks for. Throws on an order id BullMQ cannot key a job by, so the
 * listener retries it and then moves it to the dead letters instead of scheduling garbage silently.
 */
export function orderExpiryOf(data: EventData<typeof Subjects.OrderCreated>): OrderExpiry {
  const id = jobId.safeParse(data.id);
  if (!id.success) {
    throw new Error(`order.created cannot be scheduled: id: ${id.error.issues[0]!.message}`);
  }
  return { orderId: id.data, version: data.version, expiresAt: new Date(data.expiresAt) };
}

/**
 * How long to wait before expiring: measured from `expiresAt`, never from when the event arrived, so a
 * late or redelivered `order.created` does not extend the hold. A moment already past fires at once.
 */
export function delayUntil(expiresAt: Date, now: number = Date.now()): number {
  return Math.max(0, expiresAt.getTime() - now);
}
