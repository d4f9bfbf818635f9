/**
 * order.expired in orders: an open order is cancelled and order.cancelled published; a complete
 * order, and another order for the same ticket, are left alone; an expiry for an unknown order is
 * dead-lettered.
 */
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import mongoose from 'mongoose';
import { OrderStatus, Subjects, listDeadLetters } from '@ticketing/common';
import { buildUser, readEvents, waitFor } from '@ticketing/common/testing';
import { Order } from '../models/order.model';
import { confirmHold, drained, publishEvent, waitForEvents } from '../test/events';
import { chargeSucceededData } from '../test/factories';
import { orderOf, placeOrder, useOrdersWithListeners } from '../test/service-under-test';

const t = useOrdersWithListeners();

describe('order.expired listener', () => {
  it('cancels the expired order and publishes order.cancelled', async () => {
    const { order, ticket } = await placeOrder(t);

    await publishEvent(t, Subjects.OrderExpired, { id: order.id, version: 0 });

    await waitFor(async () => (await orderOf(order.id))?.status === OrderStatus.Cancelled);
    const events = await waitForEvents(t, 'order.cancelled');
    expect(events.map((e) => e.data)).toEqual([
      { id: order.id, version: 1, ticket: { id: ticket.id } },
    ]);
  });

  it('leaves a complete order complete', async () => {
    const { order, ticket } = await placeOrder(t);
    await confirmHold(t, ticket, order.id);
    await publishEvent(t, Subjects.ChargeSucceeded, chargeSucceededData(order.id, 'ch_1'));
    await waitFor(async () => (await orderOf(order.id))?.status === OrderStatus.Complete);

    await publishEvent(t, Subjects.OrderExpired, { id: order.id, version: 0 });
    await waitFor(() => drained(t, Subjects.OrderExpired));

    expect((await orderOf(order.id))!.status).toBe(OrderStatus.Complete);
  });

  it("never touches another order for the same ticket: A's late expiry leaves B's hold alone", async () => {
    const { order: a, ticket } = await placeOrder(t);
    await Order.updateOne(
      { _id: a.id },
      { $set: { status: OrderStatus.Cancelled }, $unset: { holdsTicket: 1 } },
    );
    const b = await request(t.url)
      .post('/api/orders')
      .set('Cookie', buildUser().cookie)
      .send({ ticketId: ticket.id })
      .expect(201);

    await publishEvent(t, Subjects.OrderExpired, { id: a.id, version: 0 });
    await waitFor(() => drained(t, Subjects.OrderExpired));

    expect((await orderOf(b.body.id))!.status).toBe(OrderStatus.Created);
    expect(await readEvents(t.bus.jsm, 'order.cancelled')).toHaveLength(0);
  });

  it('sends an expiry for an order it never had to the dead-letter stream', async () => {
    const unknown = new mongoose.Types.ObjectId().toHexString();

    await publishEvent(t, Subjects.OrderExpired, { id: unknown, version: 0 });

    const letters = await waitFor(async () => {
      const found = await listDeadLetters(t.bus.jsm, 'orders');
      return found.length ? found : null;
    }, 10_000);
    expect(letters[0]).toEqual(
      expect.objectContaining({
        subject: 'order.expired',
        deliveries: 3,
        error: `order.expired for unknown order ${unknown}`,
      }),
    );
  });
});
