/**
 * order.expired → the order is cancelled unless it is paid or finished; a paid order still awaiting
 * its hold confirmation gets the delivery budget as grace.
 */
import {
  Listener,
  Subjects,
  type EventData,
  type ListenerOutcome,
  type MessageMeta,
} from '@ticketing/common';
import { expireOrder } from '../domain/order-use-cases';

export class OrderExpiredListener extends Listener<typeof Subjects.OrderExpired> {
  readonly subject = Subjects.OrderExpired;

  onMessage(
    data: EventData<typeof Subjects.OrderExpired>,
    meta: MessageMeta,
  ): Promise<ListenerOutcome> {
    return expireOrder(data, meta.deliveryCount >= this.maxDeliver - 1);
  }
}
