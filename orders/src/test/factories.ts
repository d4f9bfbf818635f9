/**
 * Test data for orders' tests: listings in the replica, as the ticket.created listener stores them.
 */
import mongoose from 'mongoose';
import { TicketStatus } from '@ticketing/common';
import { Ticket, type TicketReplica } from '../models/ticket.model';

/** A listing in the replica, as the ticket.created listener would have stored it. */
export async function buildTicket(overrides: Partial<TicketReplica> = {}) {
  const ticket = await Ticket.create({
    _id: new mongoose.Types.ObjectId(),
    title: 'Concert',
    price: 20,
    userId: new mongoose.Types.ObjectId().toHexString(),
    status: TicketStatus.Available,
    version: 0,
    ...overrides,
  });
  return {
    id: ticket.id as string,
    title: ticket.title,
    price: ticket.price,
    userId: ticket.userId,
    version: ticket.version,
  };
}

/** A charge.succeeded as payments publishes it: $20 (the default listing's price) paid for `orderId`. */
export function chargeSucceededData(orderId: string, id: string) {
  return { id, version: 1, orderId, amount: 2000 };
}
