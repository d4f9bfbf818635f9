/**
 * order.cancelled: marks the order cancelled in the replica and refunds a charge that completed for it.
 */
import {
  Listener,
  OrderStatus,
  Subjects,
  type EventData,
  type ListenerContext,
  type ListenerOptions,
  type ListenerOutcome,
} from '@ticketing/common';
import type { PaymentProcessor } from '../domain/payment-processor';
import { markChargeRefundDue } from '../models/charge.model';
import { Order } from '../models/order.model';

/**
 * Marks the replica cancelled, so no payment starts for it any more, and refunds a charge that completed
 * for it (ADR 004: a payment raced the cancellation).
 *
 * Version rule: applied when the replica's version is lower than the event's, not only when it is exactly
 * one lower. Orders also bumps the version for changes payments does not hear of (a hold confirmed); so
 * "exactly +1" would wait forever if a cancel ever followed such a change. It cannot skip anything that
 * matters here: a complete order is never cancelled, and cancelled is final.
 * Missing replica → `retry` (its order.created is on its own consumer and may come later); an older or
 * equal version → a duplicate.
 *
 * A charge still `created` (a payment between its gateway call and its record) is left to that payment:
 * its record step reads this replica and refunds if it finds it cancelled (see recordCompleted in
 * domain/settle-charge.ts), so this listener does not wait for it — waiting could outlast the
 * redeliveries during a gateway outage and dead-letter the event.
 */
export class OrderCancelledListener extends Listener<typeof Subjects.OrderCancelled> {
  readonly subject = Subjects.OrderCancelled;

  constructor(
    ctx: ListenerContext,
    private readonly processor: PaymentProcessor,
    options?: ListenerOptions,
  ) {
    super(ctx, options);
  }

  async onMessage(data: EventData<typeof Subjects.OrderCancelled>): Promise<ListenerOutcome> {
    const applied = await Order.updateOne(
      { _id: data.id, version: { $lt: data.version } },
      { $set: { status: OrderStatus.Cancelled, version: data.version } },
    );
    // Read after the write: a payment recording its charge writes the replica and reads its status, so
    // one of the two sees both facts (see recordCompleted in domain/settle-charge.ts). Also on a
    // duplicate: a redelivery after a crash between these steps finishes them.
    const order = await Order.findById(data.id, { status: 1, chargeId: 1, version: 1 }).lean();
    // Not there yet, or inserted just after the update looked (its order.created has its own consumer):
    // the cancel is not applied, so it must come again.
    if (!order || (applied.matchedCount === 0 && order.version < data.version)) return 'retry';
    if (order.status === OrderStatus.Cancelled && order.chargeId) {
      // The charge may still be `created` (its record step is under way): it reads this mark after saving.
      await markChargeRefundDue(order.chargeId);
    }
    try {
      await this.processor.refundOrder(data.id);
    } catch (err) {
      // The refund stays owed (`refundDue` is stored) and the recovery sweep retries it every 30 s.
      // Redelivering this event would only end in the dead-letter stream during a long gateway outage.
      this.ctx.logger.warn(
        { err, orderId: data.id },
        'refund failed; the recovery sweep will retry it',
      );
    }
    return 'ack';
  }
}
