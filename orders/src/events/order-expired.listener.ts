import { Listener, Subjects, type EventData } from '@ticketing/common';
import { cancelOrder, updateOrder } from '../domain/order-lifecycle';

/** The hold window of this one order is over: cancel it unless it was paid or cancelled already. */
export class OrderExpiredListener extends Listener<typeof Subjects.OrderExpired> {
  readonly subject = Subjects.OrderExpired;

  async onMessage(data: EventData<typeof Subjects.OrderExpired>): Promise<void> {
    await updateOrder(data.id, async (order, tx) => {
      if (!order) throw new Error(`order.expired for unknown order ${data.id}`);
      await cancelOrder(order, tx);
    });
  }
}
