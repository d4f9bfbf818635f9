/**
 * order.completed → the order's pending expiry is dropped.
 */
import { Subjects } from '@ticketing/common';
import { OrderFinishedListener } from './order-finished.listener';

/** A paid order's hold is over: its pending expiry is dropped. */
export class OrderCompletedListener extends OrderFinishedListener<typeof Subjects.OrderCompleted> {
  readonly subject = Subjects.OrderCompleted;
}
