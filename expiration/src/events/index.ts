/**
 * The listeners of the expiration service: order.created schedules a hold's expiry; order.cancelled
 * and order.completed drop it.
 */
import type { EventSubject, Listener, ListenerContext, ListenerOptions } from '@ticketing/common';
import type { ExpirationQueue } from '../jobs/expiration.queue';
import { OrderCreatedListener } from './order-created.listener';
import { OrderCancelledListener } from './order-cancelled.listener';
import { OrderCompletedListener } from './order-completed.listener';

export function createListeners(
  ctx: ListenerContext,
  expiration: ExpirationQueue,
  options?: ListenerOptions,
): Array<Listener<EventSubject>> {
  return [
    new OrderCreatedListener(ctx, expiration, options),
    new OrderCancelledListener(ctx, expiration, options),
    new OrderCompletedListener(ctx, expiration, options),
  ];
}
