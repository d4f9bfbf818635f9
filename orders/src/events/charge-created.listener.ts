import { ChargeStatus, Listener, Subjects, type EventData } from '@ticketing/common';
import { Ticket } from '../models/ticket.model';
import {
  cancelOrder,
  completeOrder,
  isOpen,
  recordPayment,
  updateOrder,
} from '../domain/order-lifecycle';

/**
 * A successful charge completes the order (the ticket is then sold) once tickets has confirmed the hold
 * by locking the listing for this order. If that `ticket.updated` has not arrived yet, the payment is
 * recorded on the order and the ticket.updated listener completes it when the confirmation comes — no
 * waiting here, so a slow confirmation never costs the buyer a paid order. If tickets refuses the lock
 * (the price changed), the order is cancelled instead and payments refunds. A declined charge cancels
 * the order. A charge for an order cancelled meanwhile changes nothing here (payments refunds it).
 */
export class ChargeCreatedListener extends Listener<typeof Subjects.ChargeCreated> {
  readonly subject = Subjects.ChargeCreated;

  async onMessage(data: EventData<typeof Subjects.ChargeCreated>): Promise<void> {
    await updateOrder(data.orderId, async (order, tx) => {
      if (!order) throw new Error(`charge.created for unknown order ${data.orderId}`);
      if (data.status === ChargeStatus.Failed) {
        await cancelOrder(order, tx);
      } else if (data.status === ChargeStatus.Completed && isOpen(order)) {
        const ticket = await Ticket.findById(order.ticket.id, { orderId: 1 })
          .session(tx.session)
          .lean();
        if (ticket?.orderId === order.id) await completeOrder(order, data.id, tx);
        else await recordPayment(order, data.id, tx);
      }
    });
  }
}
