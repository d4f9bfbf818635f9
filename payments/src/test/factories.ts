/**
 * Test factories: orders in the replica and order.created events, each test arranging its own.
 */
import mongoose from 'mongoose';
import { OrderStatus, Subjects, type EventData } from '@ticketing/common';
import { Order, type OrderReplica } from '../models/order.model';

/** An order in the replica, as the order.created listener would have stored it: open for 15 minutes. */
export async function buildOrder(overrides: Partial<OrderReplica> = {}) {
  const order = await Order.create({
    _id: new mongoose.Types.ObjectId(),
    userId: new mongoose.Types.ObjectId().toHexString(),
    price: 20,
    status: OrderStatus.Created,
    expiresAt: new Date(Date.now() + 15 * 60_000),
    version: 0,
    ...overrides,
  });
  return { id: order.id as string, userId: order.userId, price: order.price };
}

/** An order.created as orders publishes it, for an order open for 15 minutes. */
export function orderCreatedData(
  overrides: Partial<EventData<typeof Subjects.OrderCreated>> = {},
): EventData<typeof Subjects.OrderCreated> {
  return {
    id: new mongoose.Types.ObjectId().toHexString(),
    version: 0,
    status: OrderStatus.Created,
    userId: new mongoose.Types.ObjectId().toHexString(),
    expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
    ticket: { id: new mongoose.Types.ObjectId().toHexString(), price: 20 },
    ...overrides,
  };
}
