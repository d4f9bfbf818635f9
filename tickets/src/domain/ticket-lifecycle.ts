import type { ClientSession } from 'mongoose';
import {
  BadRequestError,
  NotAuthorizedError,
  NotFoundError,
  ServiceUnavailableError,
  Subjects,
  TicketStatus,
  toCents,
  withOutbox,
  type EventData,
  type ListenerOutcome,
  type OutboxTransaction,
} from '@ticketing/common';
import { CancelledOrder } from '../models/cancelled-order.model';
import { Ticket, toTicketEvent, type TicketAttrs, type TicketDoc } from '../models/ticket.model';
import { changeTicket, isConcurrencyConflict } from './ticket-changes';

/** An event names a ticket this service never listed: nothing will ever make it applicable. */
export class UnknownTicketError extends Error {
  constructor(ticketId: string) {
    super(`Ticket ${ticketId} does not exist`);
    this.name = 'UnknownTicketError';
  }
}

/** Lists a ticket for sale and records its `ticket.created`, in one transaction. */
export function createTicket(attrs: TicketAttrs): Promise<TicketDoc> {
  return withOutbox(async (tx) => {
    const ticket = new Ticket({ ...attrs, status: TicketStatus.Available });
    await ticket.save({ session: tx.session });
    tx.publish(Subjects.TicketCreated, toTicketEvent(ticket));
    return ticket;
  });
}

export interface ListingChanges {
  title: string;
  price: number;
}

/**
 * The seller edits title and price, only while the ticket is available (ADR 004: the listing's price is
 * tickets' fact, but a held ticket keeps the price its order pays). Decided on a re-read inside the
 * transaction, so a concurrent lock is either seen (400) or made to see this edit (price check).
 */
export async function updateListing(
  ticketId: string,
  sellerId: string,
  changes: ListingChanges,
): Promise<TicketDoc> {
  try {
    return await changeTicket(ticketId, async (tx) => {
      const ticket = await Ticket.findById(ticketId).session(tx.session);
      if (!ticket) throw new NotFoundError('Ticket not found');
      if (ticket.userId !== sellerId) throw new NotAuthorizedError();
      if (ticket.status === TicketStatus.Reserved) throw new BadRequestError('Ticket is reserved');
      if (ticket.status === TicketStatus.Sold) throw new BadRequestError('Ticket is sold');
      ticket.set(changes);
      await saveAndPublish(ticket, tx);
      return ticket;
    });
  } catch (err) {
    // Still losing after every retry: the ticket is changing right now; the edit may succeed later.
    if (isConcurrencyConflict(err))
      throw new ServiceUnavailableError('Ticket is being changed, try again');
    throw err;
  }
}

async function loadForEvent(ticketId: string, session: ClientSession): Promise<TicketDoc> {
  const ticket = await Ticket.findById(ticketId).session(session);
  if (!ticket) throw new UnknownTicketError(ticketId);
  return ticket;
}

async function saveAndPublish(ticket: TicketDoc, tx: OutboxTransaction): Promise<void> {
  await ticket.save({ session: tx.session });
  tx.publish(Subjects.TicketUpdated, toTicketEvent(ticket));
}

/**
 * `order.created` (ADR 004): lock the ticket for the order only if it is available and its price is the
 * one the order pays. Held by another order → retry (that order's `order.cancelled` is on its way on
 * another subject). Already held or sold by this order → duplicate. Sold to another, priced differently
 * (the order was priced on a stale listing; orders cancels it when it applies our `ticket.updated`), or
 * the order was already cancelled (its cancel overtook it) → ack without locking.
 */
export function lockTicket(
  order: EventData<typeof Subjects.OrderCreated>,
): Promise<ListenerOutcome> {
  const ticketId = order.ticket.id;
  return changeTicket<ListenerOutcome>(ticketId, async (tx) => {
    const ticket = await loadForEvent(ticketId, tx.session);
    if (ticket.orderId === order.id) return 'ack';
    if (ticket.status === TicketStatus.Sold) return 'ack';
    if (await CancelledOrder.exists({ _id: order.id }).session(tx.session)) return 'ack';
    if (ticket.status === TicketStatus.Reserved) return 'retry';
    if (toCents(ticket.price) !== toCents(order.ticket.price)) return 'ack';
    ticket.set({ status: TicketStatus.Reserved, orderId: order.id });
    await saveAndPublish(ticket, tx);
    return 'ack';
  });
}

/**
 * `order.cancelled`: unlock only if this very order holds the ticket and it is not sold; anything else
 * is acked unchanged, so a late cancel never unlocks someone else's hold. The cancel is remembered either
 * way, so the order's own `order.created`, arriving late or again, cannot lock the ticket afterwards.
 */
export function unlockTicket(
  order: EventData<typeof Subjects.OrderCancelled>,
): Promise<ListenerOutcome> {
  const ticketId = order.ticket.id;
  return changeTicket<ListenerOutcome>(ticketId, async (tx) => {
    const ticket = await loadForEvent(ticketId, tx.session);
    await CancelledOrder.updateOne(
      { _id: order.id },
      { $setOnInsert: { ticketId, cancelledAt: new Date() } },
      { upsert: true, session: tx.session },
    );
    if (ticket.orderId !== order.id || ticket.status !== TicketStatus.Reserved) return 'ack';
    ticket.set({ status: TicketStatus.Available, orderId: undefined });
    await saveAndPublish(ticket, tx);
    return 'ack';
  });
}

/**
 * `order.completed`: the order holding the ticket paid, so it is sold (the order id stays, naming the
 * buyer's order). If this order's lock has not been applied yet → retry until it has; already sold by
 * it → duplicate.
 */
export function markTicketSold(
  order: EventData<typeof Subjects.OrderCompleted>,
): Promise<ListenerOutcome> {
  const ticketId = order.ticket.id;
  return changeTicket<ListenerOutcome>(ticketId, async (tx) => {
    const ticket = await loadForEvent(ticketId, tx.session);
    if (ticket.orderId !== order.id) return 'retry';
    if (ticket.status === TicketStatus.Sold) return 'ack';
    ticket.set({ status: TicketStatus.Sold });
    await saveAndPublish(ticket, tx);
    return 'ack';
  });
}
