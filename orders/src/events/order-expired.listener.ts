import { Listener, Subjects, type EventData, type ListenerOutcome } from '@ticketing/common';
import { cancelOrder, isPaidAwaitingHold, updateOrder } from '../domain/order-lifecycle';

/**
 * The hold window of this one order is over: cancel it unless it was paid or cancelled already. An
 * order paid in time whose hold tickets has not confirmed yet gets the retry budget as grace (the
 * confirmation completes it meanwhile); on the last delivery it is cancelled anyway and payments refunds,
 * so an order can never stay open for good.
 */
export class OrderExpiredListener extends Listener<typeof Subjects.OrderExpired> {
  readonly subject = Subjects.OrderExpired;

  onMessage(
    data: EventData<typeof Subjects.OrderExpired>,
    meta: { deliveryCount: number },
  ): Promise<ListenerOutcome> {
    return updateOrder(data.id, async (order, tx) => {
      if (!order) throw new Error(`order.expired for unknown order ${data.id}`);
      if (isPaidAwaitingHold(order) && meta.deliveryCount < this.maxDeliver - 1) return 'retry';
      await cancelOrder(order, tx);
      return 'ack';
    });
  }
}
