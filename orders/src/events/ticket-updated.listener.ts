import {
  Listener,
  OrderStatus,
  Subjects,
  withOutbox,
  type EventData,
  type ListenerOutcome,
} from '@ticketing/common';
import { cancelOrder, completeOrder, isPaidAwaitingHold } from '../domain/order-lifecycle';
import { Order } from '../models/order.model';
import { Ticket } from '../models/ticket.model';

/**
 * Applies a listing change to the replica strictly in version order. An open order priced on an older
 * listing is cancelled in the same transaction (ADR 004): tickets will not lock a ticket for it, so a
 * reserved ticket always carries the price its order pays.
 */
export class TicketUpdatedListener extends Listener<typeof Subjects.TicketUpdated> {
  readonly subject = Subjects.TicketUpdated;

  onMessage(data: EventData<typeof Subjects.TicketUpdated>): Promise<ListenerOutcome> {
    const { id, title, price, userId, status, version, orderId } = data;
    return withOutbox(async (tx) => {
      const applied = await Ticket.updateOne(
        { _id: id, version: version - 1 },
        orderId
          ? { $set: { title, price, userId, status, version, orderId } }
          : { $set: { title, price, userId, status, version }, $unset: { orderId: 1 } },
        { session: tx.session },
      );
      if (applied.matchedCount === 0) {
        const replica = await Ticket.findById(id, { version: 1 }).session(tx.session).lean();
        // Already applied (or older): a duplicate. Missing or further behind: wait for the earlier versions.
        return replica && replica.version >= version ? 'ack' : 'retry';
      }
      const stale = await Order.find({
        'ticket.id': id,
        holdsTicket: true,
        status: { $in: [OrderStatus.Created, OrderStatus.AwaitingPayment] },
        'ticket.price': { $ne: price },
      }).session(tx.session);
      for (const order of stale) await cancelOrder(order, tx);
      // tickets confirmed the hold of an order that was already paid: it completes now.
      if (orderId) {
        const held = await Order.findById(orderId).session(tx.session);
        if (held && isPaidAwaitingHold(held) && String(held.ticket.id) === id) {
          await completeOrder(held, held.chargeId!, tx);
        }
      }
      return 'ack';
    });
  }
}
