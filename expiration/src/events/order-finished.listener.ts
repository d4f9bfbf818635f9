/** The shared listener for order.cancelled and order.completed: the order's pending expiry is dropped. */
import { Subjects, type EventData } from '@ticketing/common';
import { QueueListener } from './queue.listener';

type FinishedSubject = typeof Subjects.OrderCancelled | typeof Subjects.OrderCompleted;

/**
 * The hold ended before its time (paid, or cancelled): drop the expiry that has not fired yet. Only a
 * saving: orders ignores an expiry for a complete or cancelled order. Events of different subjects can
 * arrive in either order, so this may come before the order's `order.created`; its expiry is then
 * scheduled after all and fires harmlessly.
 */
export abstract class OrderFinishedListener<S extends FinishedSubject> extends QueueListener<S> {
  async onMessage(data: EventData<S>): Promise<void> {
    await this.expiration.cancel(data.id);
  }
}
