/**
 * order.cancelled → the order's pending expiry is dropped.
 */
import { Subjects } from '@ticketing/common';
import { OrderFinishedListener } from './order-finished.listener';

/** A cancelled order's hold is over: its pending expiry is dropped. */
export class OrderCancelledListener extends OrderFinishedListener<typeof Subjects.OrderCancelled> {
  readonly subject = Subjects.OrderCancelled;
}
