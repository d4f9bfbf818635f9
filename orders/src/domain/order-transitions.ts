/**
 * The rules of one order's life. Each transition is one single-document write with its event,
 * guarded by the version read (a stale writer gets VersionError, and its use case re-reads and
 * decides again). An order's version changes only by created (v0) → cancelled or complete, each
 * published (ADR 004).
 */
import mongoose from 'mongoose';
import { OrderStatus, Subjects, event, saveWithEvents } from '@ticketing/common';
import { CancelReason, Order, type OrderDoc } from '../models/order.model';
import { Ticket } from '../models/ticket.model';

/** Orders that still hold their ticket and may yet be paid. */
export function isOpen(order: OrderDoc): boolean {
  return order.status === OrderStatus.Created;
}

/** An open order paid in time whose hold tickets has not confirmed yet. */
export function isPaidAwaitingHold(order: OrderDoc): boolean {
  return isOpen(order) && Boolean(order.chargeId);
}

/** Whether tickets has locked the listing for this order (the replica carries tickets' `orderId`). */
export async function isHoldConfirmed(order: OrderDoc): Promise<boolean> {
  const replica = await Ticket.findById(order.ticket.id, { orderId: 1 }).lean();
  return replica?.orderId === order.id;
}

/** "$30" or "$30.50": a price as the buyer reads it. */
export function formatPrice(price: number): string {
  return Number.isInteger(price) ? `$${price}` : `$${price.toFixed(2)}`;
}

const MESSAGES: Record<CancelReason, (price?: number) => string> = {
  [CancelReason.CancelledByBuyer]: () => 'You cancelled this order',
  [CancelReason.Expired]: () => 'The hold expired before the order was paid',
  [CancelReason.PaymentDeclined]: () => 'The payment was declined',
  [CancelReason.PriceChanged]: (price) =>
    price === undefined ? 'The price changed' : `The price changed to ${formatPrice(price)}`,
  [CancelReason.TicketSold]: () => 'The ticket has been sold to someone else',
};

/**
 * Cancels an open order with its reason and `order.cancelled`; the ticket is free for another order at
 * once (the unique hold index no longer counts it). Returns false, changing nothing, if it is not open.
 */
export async function cancel(
  order: OrderDoc,
  reason: CancelReason,
  currentPrice?: number,
): Promise<boolean> {
  if (!isOpen(order)) return false;
  order.status = OrderStatus.Cancelled;
  order.set('holdsTicket', undefined);
  order.cancellation = { reason, message: MESSAGES[reason](currentPrice), at: new Date() };
  await saveWithEvents(order, (version) => [
    event(Subjects.OrderCancelled, {
      id: order.id as string,
      version,
      ticket: { id: String(order.ticket.id) },
    }),
  ]);
  return true;
}

/** Completes an open order after its successful charge, with `order.completed` (the ticket is sold). */
export async function complete(order: OrderDoc, chargeId: string): Promise<boolean> {
  if (!isOpen(order)) return false;
  order.status = OrderStatus.Complete;
  order.chargeId = chargeId;
  await saveWithEvents(order, (version) => [
    event(Subjects.OrderCompleted, {
      id: order.id as string,
      version,
      ticket: { id: String(order.ticket.id) },
    }),
  ]);
  return true;
}

/**
 * Records a successful charge on an open order whose hold is not confirmed yet: no version change and
 * no event (the order completes when the confirmation arrives), but guarded by the version read like
 * every write, so it never lands on an order that was cancelled meanwhile.
 */
export async function recordPayment(order: OrderDoc, chargeId: string): Promise<void> {
  const stored = await Order.updateOne(
    { _id: order._id, version: order.version },
    { $set: { chargeId } },
  );
  if (stored.matchedCount === 0) {
    throw new mongoose.Error.VersionError(order, order.version, ['chargeId']);
  }
  order.set('chargeId', chargeId);
}
