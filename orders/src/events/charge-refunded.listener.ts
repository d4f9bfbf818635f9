import { Listener, Subjects, serialized, type EventData } from '@ticketing/common';
import { Order } from '../models/order.model';

/** Records that the money for this (cancelled) order went back to the buyer. Not a version change. */
export class ChargeRefundedListener extends Listener<typeof Subjects.ChargeRefunded> {
  readonly subject = Subjects.ChargeRefunded;

  async onMessage(data: EventData<typeof Subjects.ChargeRefunded>): Promise<void> {
    const refund = {
      chargeId: data.id,
      amount: data.amount,
      stripeRefundId: data.stripeRefundId,
      at: new Date(),
    };
    // Queued behind this process's transactions: the embedded engine can drop a plain write that
    // overlaps a transaction on the same collection (see `serialized`).
    const result = await serialized(() =>
      Order.updateOne({ _id: data.orderId, refund: { $exists: false } }, { $set: { refund } }),
    );
    if (result.matchedCount === 0 && !(await Order.exists({ _id: data.orderId }))) {
      throw new Error(`charge.refunded for unknown order ${data.orderId}`);
    }
  }
}
