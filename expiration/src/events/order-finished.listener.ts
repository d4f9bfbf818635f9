/**
 * The listener order.cancelled and order.completed share: a finished order's pending expiry is
 * dropped.
 */
import {
  Listener,
  Subjects,
  type EventData,
  type ListenerContext,
  type ListenerOptions,
} from '@ticketing/common';
import type { ExpirationQueue } from '../jobs/expiration.queue';

type FinishedSubject = typeof Subjects.OrderCancelled | typeof Subjects.OrderCompleted;

/**
 * The hold ended before its time (paid, or cancelled): drop the expiry that has not fired yet. Only a
 * saving: orders ignores an expiry for a complete or cancelled order. Events of different subjects can
 * arrive in either order, so this may come before the order's `order.created`; its expiry is then
 * scheduled after all and fires harmlessly.
 */
export abstract class OrderFinishedListener<S extends FinishedSubject> extends Listener<S> {
  constructor(
    ctx: ListenerContext,
    private readonly expiration: ExpirationQueue,
    options?: ListenerOptions,
  ) {
    super(ctx, options);
  }

  async onMessage(data: EventData<S>): Promise<void> {
    await this.expiration.cancel(data.id);
  }
}
