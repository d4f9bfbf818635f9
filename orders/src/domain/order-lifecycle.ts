import { OrderStatus, Subjects, withOutbox, type OutboxTransaction } from '@ticketing/common';
import { Order, type OrderDoc } from '../models/order.model';

/**
 * Reads the order and applies `change` in one transaction with the events it records. `withOutbox` runs
 * it again on fresh state if another writer saved the order in between, so two racing transitions (a
 * payment and an expiry, say) are decided one after the other.
 */
export function updateOrder<T>(
  orderId: string,
  change: (order: OrderDoc | null, tx: OutboxTransaction) => Promise<T>,
): Promise<T> {
  return withOutbox(async (tx) => change(await Order.findById(orderId).session(tx.session), tx));
}

/** Orders that still hold their ticket and may yet be paid. */
export function isOpen(order: OrderDoc): boolean {
  return order.status === OrderStatus.Created || order.status === OrderStatus.AwaitingPayment;
}

/** Cancels an open order and records `order.cancelled`; returns false (and changes nothing) otherwise. */
export async function cancelOrder(order: OrderDoc, tx: OutboxTransaction): Promise<boolean> {
  if (!isOpen(order)) return false;
  order.status = OrderStatus.Cancelled;
  order.set('holdsTicket', undefined);
  await order.save({ session: tx.session });
  tx.publish(Subjects.OrderCancelled, {
    id: order.id,
    version: order.version,
    ticket: { id: String(order.ticket.id) },
  });
  return true;
}

/** Completes an open order after its successful charge and records `order.completed`. */
export async function completeOrder(
  order: OrderDoc,
  chargeId: string,
  tx: OutboxTransaction,
): Promise<boolean> {
  if (!isOpen(order)) return false;
  order.status = OrderStatus.Complete;
  order.chargeId = chargeId;
  await order.save({ session: tx.session });
  tx.publish(Subjects.OrderCompleted, {
    id: order.id,
    version: order.version,
    ticket: { id: String(order.ticket.id) },
  });
  return true;
}

/**
 * Records a successful charge on an open order whose hold tickets has not confirmed yet. No version
 * change and no event: the order completes when the confirming `ticket.updated` arrives (ADR 004).
 */
export async function recordPayment(
  order: OrderDoc,
  chargeId: string,
  tx: OutboxTransaction,
): Promise<void> {
  order.chargeId = chargeId;
  await Order.updateOne({ _id: order._id }, { $set: { chargeId } }, { session: tx.session });
}

/** An open order paid in time whose hold tickets has not confirmed yet. */
export function isPaidAwaitingHold(order: OrderDoc): boolean {
  return isOpen(order) && Boolean(order.chargeId);
}
