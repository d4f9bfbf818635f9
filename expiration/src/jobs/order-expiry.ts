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
const orderCreatedFields = z.object({
  id: z.string().regex(/^[0-9a-f]{24}$/i, 'must be a 24-hex order id'),
  version: z.number().int().min(0),
  expiresAt: z.iso.datetime({ offset: true }),
});

/**
 * The expiry an `order.created` asks for. Throws on a payload that cannot be scheduled, so the listener
 * retries it and then moves it to the dead letters instead of scheduling garbage (or nothing) silently.
 */
export function orderExpiryOf(data: EventData<typeof Subjects.OrderCreated>): OrderExpiry {
  const parsed = orderCreatedFields.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new Error(`order.created cannot be scheduled: ${problems.join('; ')}`);
  }
  const { id, version, expiresAt } = parsed.data;
  return { orderId: id, version, expiresAt: new Date(expiresAt) };
}

/**
 * How long to wait before expiring: measured from `expiresAt`, never from when the event arrived, so a
 * late or redelivered `order.created` does not extend the hold. A moment already past fires at once.
 */
export function delayUntil(expiresAt: Date, now: number = Date.now()): number {
  return Math.max(0, expiresAt.getTime() - now);
}
