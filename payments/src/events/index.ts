/**
 * The payments service's listeners, one per subject it consumes.
 */
import {
  userReplicaListeners,
  type EventSubject,
  type Listener,
  type ListenerContext,
  type ListenerOptions,
} from '@ticketing/common';
import type { PaymentProcessor } from '../domain/payment-processor';
import type { PayoutTerms } from '../domain/payouts';
import { OrderCancelledListener } from './order-cancelled.listener';
import { OrderCompletedListener } from './order-completed.listener';
import { OrderCreatedListener } from './order-created.listener';

export function createListeners(
  ctx: ListenerContext,
  processor: PaymentProcessor,
  payoutTerms: PayoutTerms,
  options?: ListenerOptions,
): Array<Listener<EventSubject>> {
  return [
    new OrderCreatedListener(ctx, options),
    new OrderCancelledListener(ctx, processor, options),
    new OrderCompletedListener(ctx, payoutTerms, options),
    // The users replica: when each user's sessions became valid (a password change ends the others).
    ...userReplicaListeners(ctx, options),
  ];
}
