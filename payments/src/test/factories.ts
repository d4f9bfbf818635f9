/**
 * Test factories: orders in the replica and order.created events, each test arranging its own.
 */
import mongoose from 'mongoose';
import {
  DEFAULT_FEES,
  OrderStatus,
  Subjects,
  priceBreakdown,
  type EventData,
} from '@ticketing/common';
import { Order, type OrderReplica } from '../models/order.model';

const newId = () => new mongoose.Types.ObjectId().toHexString();

/** The listing an order is for, of an event a month away. */
function replicaTicket() {
  return {
    id: newId(),
    title: 'Concert',
    userId: newId(),
    event: {
      name: 'Concert',
      startsAt: new Date(Date.now() + 30 * 24 * 3_600_000),
      timeZone: 'America/Chicago',
    },
  };
}

/**
 * An order in the replica, as the order.created listener would have stored it: open for 15 minutes, for a
 * ticket asked at `price` (default $20) under the default fees (so it is charged the total).
 */
export async function buildOrder(overrides: Partial<OrderReplica> & { price?: number } = {}) {
  const { price = 20, ...fields } = overrides;
  const order = await Order.create({
    _id: new mongoose.Types.ObjectId(),
    userId: newId(),
    amount: priceBreakdown(price, DEFAULT_FEES),
    ticket: replicaTicket(),
    status: OrderStatus.Created,
    expiresAt: new Date(Date.now() + 15 * 60_000),
    version: 0,
    ...fields,
  });
  return {
    id: order.id as string,
    userId: order.userId,
    amount: order.amount,
    ticket: order.ticket,
  };
}

/** An order.created as orders publishes it, for an order open for 15 minutes. */
export function orderCreatedData(
  overrides: Partial<EventData<typeof Subjects.OrderCreated>> = {},
): EventData<typeof Subjects.OrderCreated> {
  const ticket = replicaTicket();
  const startsAt = ticket.event.startsAt.toISOString();
  return {
    id: new mongoose.Types.ObjectId().toHexString(),
    version: 0,
    status: OrderStatus.Created,
    userId: new mongoose.Types.ObjectId().toHexString(),
    expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
    amount: priceBreakdown(20, DEFAULT_FEES),
    ticket: { ...ticket, price: 20, event: { ...ticket.event, id: newId(), startsAt } },
    ...overrides,
  };
}
