/**
 * order.completed: the sale is final, so the seller's payout is recorded (and the replica marked complete).
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
import { recordPayout, type PayoutTerms } from '../domain/payouts';
import { Order } from '../models/order.model';

/**
 * Records the payout of a complete order, once: a redelivery, or the same event on another replica, finds
 * it recorded (unique per order). The order is always in the replica by then — payments charged it — but
 * should it not be, the event comes again.
 */
export class OrderCompletedListener extends Listener<typeof Subjects.OrderCompleted> {
  readonly subject = Subjects.OrderCompleted;

  constructor(
    ctx: ListenerContext,
    private readonly terms: PayoutTerms,
    options?: ListenerOptions,
  ) {
    super(ctx, options);
  }

  async onMessage(data: EventData<typeof Subjects.OrderCompleted>): Promise<ListenerOutcome> {
    if ((await recordPayout(data.id, this.terms)) === 'retry') return 'retry';
    await Order.updateOne(
      { _id: data.id, version: { $lt: data.version } },
      { $set: { status: OrderStatus.Complete, version: data.version } },
    );
    return 'ack';
  }
}
