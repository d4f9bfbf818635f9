/**
 * The listeners of the orders service, one per subject it consumes: the listing replica (ticket.*),
 * hold refusals, expiries and the outcome of charges.
 */
import {
  userReplicaListeners,
  type EventSubject,
  type Listener,
  type ListenerContext,
  type ListenerOptions,
} from '@ticketing/common';
import { ChargeFailedListener } from './charge-failed.listener';
import { ChargeRefundedListener } from './charge-refunded.listener';
import { ChargeSucceededListener } from './charge-succeeded.listener';
import { OrderExpiredListener } from './order-expired.listener';
import { TicketCreatedListener } from './ticket-created.listener';
import { TicketHoldRefusedListener } from './ticket-hold-refused.listener';
import { TicketUpdatedListener } from './ticket-updated.listener';

export function createListeners(
  ctx: ListenerContext,
  options?: ListenerOptions,
): Array<Listener<EventSubject>> {
  return [
    new TicketCreatedListener(ctx, options),
    new TicketUpdatedListener(ctx, options),
    new TicketHoldRefusedListener(ctx, options),
    new OrderExpiredListener(ctx, options),
    new ChargeSucceededListener(ctx, options),
    new ChargeFailedListener(ctx, options),
    new ChargeRefundedListener(ctx, options),
    // The users replica: when each user's sessions became valid (a password change ends the others).
    ...userReplicaListeners(ctx, options),
  ];
}
