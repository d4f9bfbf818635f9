/**
 * Reading the order replica this service keeps from orders' events, when the replica may be behind:
 * whether order.created events are still pending, and finding an order that may be on its way.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { EVENTS_STREAM, type ListenerContext } from '@ticketing/common';
import { OrderCreatedListener } from '../events/order-created.listener';
import { Order, type OrderReplica } from '../models/order.model';

/** Answers whether order.created events are still waiting to be applied to the replica. */
export type OrderFeedLag = () => Promise<boolean>;

/** How the payment route looks an order up: whether the feed is behind, and how long to wait for it. */
export interface OrderLookup {
  /** Whether order.created events are still pending (an order not found may be on its way). */
  orderFeedLag: OrderFeedLag;
  /** How long to wait for such an order before giving up on it. */
  orderWaitMs: number;
}

/** The replica is never behind: for apps built without an event bus. */
export const neverBehind: OrderFeedLag = async () => false;

/**
 * Reads this service's order.created consumer: messages not yet delivered or not yet acked mean an order
 * the buyer already has may not be in the replica yet (typically right after a restart, while the consumer
 * catches up). One round trip to NATS, made only when an order is not found.
 */
export function orderFeedLag(ctx: ListenerContext): OrderFeedLag {
  const durable = new OrderCreatedListener(ctx).durableName;
  return async () => {
    const info = await ctx.bus.jsm.consumers.info(EVENTS_STREAM, durable).catch(() => null);
    return info !== null && info.num_pending + info.num_ack_pending > 0;
  };
}

/** An order the replica does not have while order.created events are still waiting to be applied. */
export const NOT_REPLICATED_YET = 'not-replicated-yet';

/**
 * The order from the replica; null when no such order exists. Orders answers the buyer before payments
 * hears of the order, so a missing order may just be on its way (typically right after a restart, while
 * the consumer catches up): while order.created events are pending, waits for them up to `waitMs`, and
 * answers NOT_REPLICATED_YET if they are still pending then. When the feed is caught up, a missing order is
 * unknown at once.
 */
export async function findOrder(
  orderId: string,
  feedLag: OrderFeedLag,
  waitMs: number,
): Promise<OrderReplica | null | typeof NOT_REPLICATED_YET> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const order = await Order.findById(orderId).lean<OrderReplica>();
    if (order) return order;
    // Caught up: one last look, as the event may have been applied just after the read above.
    if (!(await feedLag())) return Order.findById(orderId).lean<OrderReplica>();
    if (Date.now() >= deadline) return NOT_REPLICATED_YET;
    await sleep(50);
  }
}
