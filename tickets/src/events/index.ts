/**
 * The listeners of the tickets service: order.created locks a ticket or refuses the hold,
 * order.cancelled unlocks it, order.completed sells it.
 */
import {
  userReplicaListeners,
  type EventSubject,
  type Listener,
  type ListenerContext,
  type ListenerOptions,
} from '@ticketing/common';
import { OrderCancelledListener } from './order-cancelled.listener';
import { OrderCompletedListener } from './order-completed.listener';
import { OrderCreatedListener } from './order-created.listener';

/** One durable consumer per subject, named `tickets_<subject>`, shared by every replica. */
export function createListeners(
  ctx: ListenerContext,
  options?: ListenerOptions,
): Array<Listener<EventSubject>> {
  return [
    new OrderCreatedListener(ctx, options),
    new OrderCancelledListener(ctx, options),
    new OrderCompletedListener(ctx, options),
    // The users replica: when each user's sessions became valid (a password change ends the others).
    ...userReplicaListeners(ctx, options),
  ];
}
