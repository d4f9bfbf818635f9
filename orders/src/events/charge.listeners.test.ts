/**
 * charge.succeeded, charge.failed and charge.refunded in orders: a paid order completes once tickets
 * has confirmed its hold, whichever arrives first (with grace past its expiry, then cancelled); a
 * declined one is cancelled; a late charge leaves a cancelled order alone; a refund is recorded once.
 */
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { OrderStatus, Subjects, TicketStatus, listDeadLetters } from '@ticketing/common';
import { publishedEvents, readEvents, waitFor } from '@ticketing/common/testing';
import { Order } from '../models/order.model';
import { Ticket } from '../models/ticket.model';
import { confirmHold, drained, publishEvent, redeliveries, waitForEvents } from '../test/events';
import { chargeSucceededData } from '../test/factories';
import { orderOf, placeOrder, useOrdersWithListeners } from '../test/service-under-test';

const t = useOrdersWithListeners();

describe('charge.succeeded and charge.failed listeners', () => {
  it('completes the order on a successful charge and publishes order.completed', async () => {
    const { order, ticket } = await placeOrder(t);
    await confirmHold(t, ticket, order.id);

    await publishEvent(t, Subjects.ChargeSucceeded, chargeSucceededData(order.id, 'ch_1'));

    const completed = await waitFor(async () => {
      const o = await orderOf(order.id);
      return o?.status === OrderStatus.Complete ? o : null;
    });
    expect(completed.chargeId).toBe('ch_1');
    expect(completed.holdsTicket).toBe(true);
    const events = await waitForEvents(t, 'order.completed');
    expect(events.map((e) => e.data)).toEqual([
      { id: order.id, version: 1, ticket: { id: ticket.id } },
    ]);
  });

  it('records a payment that beats the hold confirmation, and completes when tickets confirms', async () => {
    const { order, ticket } = await placeOrder(t);

    await publishEvent(t, Subjects.ChargeSucceeded, chargeSucceededData(order.id, 'ch_early'));
    const paid = await waitFor(async () => {
      const o = await orderOf(order.id);
      return o?.chargeId === 'ch_early' ? o : null;
    });
    expect([paid.status, paid.version]).toEqual([OrderStatus.Created, 0]);
    expect(await readEvents(t.bus.jsm, 'order.completed')).toHaveLength(0);

    await confirmHold(t, ticket, order.id);

    const completed = await waitFor(async () => {
      const o = await orderOf(order.id);
      return o?.status === OrderStatus.Complete ? o : null;
    });
    expect(completed.chargeId).toBe('ch_early');
    const events = await waitForEvents(t, 'order.completed');
    expect(events.map((e) => e.data)).toEqual([
      { id: order.id, version: 1, ticket: { id: ticket.id } },
    ]);
  });

  it('completes every paid order whose payment and hold confirmation arrive at the same moment', async () => {
    const placed = await Promise.all(Array.from({ length: 20 }, () => placeOrder(t)));

    await Promise.all(
      placed.flatMap(({ order, ticket }, i) => [
        publishEvent(t, Subjects.ChargeSucceeded, chargeSucceededData(order.id, `ch_race_${i}`)),
        publishEvent(t, Subjects.TicketUpdated, {
          ...ticket,
          version: ticket.version + 1,
          status: TicketStatus.Reserved,
          orderId: order.id,
        }),
      ]),
    );

    await waitFor(async () => {
      const orders = await Order.find({ _id: { $in: placed.map((p) => p.order.id) } }).lean();
      return orders.every((o) => o.status === OrderStatus.Complete);
    });
    expect(await publishedEvents(t, 'order.completed')).toHaveLength(20);
  });

  it('completes a paid order when the confirming ticket.updated is delivered again after a crash', async () => {
    const { order, ticket } = await placeOrder(t);
    // The replica already shows the lock (step one ran), but the process died before completing.
    await Order.updateOne({ _id: order.id }, { $set: { chargeId: 'ch_crash' } });
    await Ticket.updateOne(
      { _id: ticket.id },
      { $set: { version: 1, status: TicketStatus.Reserved, orderId: order.id } },
    );

    await publishEvent(t, Subjects.TicketUpdated, {
      ...ticket,
      version: 1,
      status: TicketStatus.Reserved,
      orderId: order.id,
    });

    await waitFor(async () => (await orderOf(order.id))?.status === OrderStatus.Complete);
  });

  it('gives a paid order whose hold is not confirmed yet grace past its expiry, then completes it', async () => {
    // The production delivery budget, so the grace lasts seconds rather than one 100 ms retry.
    await t.stopListeners();
    await t.startListeners({ maxDeliver: 10 });
    const { order, ticket } = await placeOrder(t);
    await publishEvent(t, Subjects.ChargeSucceeded, chargeSucceededData(order.id, 'ch_grace'));
    await waitFor(async () => (await orderOf(order.id))?.chargeId === 'ch_grace');

    await publishEvent(t, Subjects.OrderExpired, { id: order.id, version: 0 });
    await waitFor(async () => (await redeliveries(t, Subjects.OrderExpired)) > 0);
    expect((await orderOf(order.id))!.status).toBe(OrderStatus.Created);
    await confirmHold(t, ticket, order.id);

    await waitFor(async () => (await orderOf(order.id))?.status === OrderStatus.Complete);
    await waitFor(() => drained(t, Subjects.OrderExpired));
    expect((await orderOf(order.id))!.status).toBe(OrderStatus.Complete);
    expect(await readEvents(t.bus.jsm, 'order.cancelled')).toHaveLength(0);
  });

  it('cancels a paid order whose hold is never confirmed once the expiry has used its grace', async () => {
    const { order } = await placeOrder(t);
    await publishEvent(t, Subjects.ChargeSucceeded, chargeSucceededData(order.id, 'ch_never'));
    await waitFor(async () => (await orderOf(order.id))?.chargeId === 'ch_never');

    await publishEvent(t, Subjects.OrderExpired, { id: order.id, version: 0 });

    await waitFor(async () => (await orderOf(order.id))?.status === OrderStatus.Cancelled, 10_000);
    const cancelled = await waitForEvents(t, 'order.cancelled');
    expect(cancelled.map((e) => e.data.id)).toEqual([order.id]);
    expect(await listDeadLetters(t.bus.jsm, 'orders')).toEqual([]);
  });

  it('completes once when the same charge event is delivered twice', async () => {
    const { order, ticket } = await placeOrder(t);
    await confirmHold(t, ticket, order.id);
    const charge = chargeSucceededData(order.id, 'ch_1');

    await publishEvent(t, Subjects.ChargeSucceeded, charge);
    await publishEvent(t, Subjects.ChargeSucceeded, charge);

    await waitFor(async () => (await readEvents(t.bus.jsm, 'order.completed')).length === 1);
    await waitFor(() => drained(t, Subjects.ChargeSucceeded));
    expect((await orderOf(order.id))!.version).toBe(1);
    expect(await publishedEvents(t, 'order.completed')).toHaveLength(1);
  });

  it('cancels the order when the charge failed', async () => {
    const { order } = await placeOrder(t);

    await publishEvent(t, Subjects.ChargeFailed, {
      id: 'ch_2',
      version: 1,
      orderId: order.id,
      amount: 2000,
      reason: 'card_declined',
    });

    await waitFor(async () => (await orderOf(order.id))?.status === OrderStatus.Cancelled);
    await waitFor(async () => (await readEvents(t.bus.jsm, 'order.cancelled')).length === 1);
  });

  it('leaves a cancelled order cancelled when a late charge succeeds (payments refunds it)', async () => {
    const { order, buyer } = await placeOrder(t);
    await request(t.url).delete(`/api/orders/${order.id}`).set('Cookie', buyer.cookie).expect(204);

    await publishEvent(t, Subjects.ChargeSucceeded, chargeSucceededData(order.id, 'ch_3'));
    await waitFor(() => drained(t, Subjects.ChargeSucceeded));

    expect((await orderOf(order.id))!.status).toBe(OrderStatus.Cancelled);
    expect(await readEvents(t.bus.jsm, 'order.completed')).toHaveLength(0);
  });
});

describe('charge.refunded listener', () => {
  it('records the refund on the order, once', async () => {
    const { order, buyer } = await placeOrder(t);
    await request(t.url).delete(`/api/orders/${order.id}`).set('Cookie', buyer.cookie).expect(204);
    const refund = {
      id: 'ch_3',
      version: 2,
      orderId: order.id,
      amount: 2000,
      stripeRefundId: 're_1',
    };

    await publishEvent(t, Subjects.ChargeRefunded, refund);
    await waitFor(async () => (await orderOf(order.id))?.refund);
    // A second refund event for the same order (a replay with another refund id) changes nothing:
    // the first one recorded stays.
    await publishEvent(t, Subjects.ChargeRefunded, { ...refund, stripeRefundId: 're_other' });
    await waitFor(() => drained(t, Subjects.ChargeRefunded));

    expect((await orderOf(order.id))!.refund).toEqual(
      expect.objectContaining({ chargeId: 'ch_3', amount: 2000, stripeRefundId: 're_1' }),
    );
    const res = await request(t.url).get(`/api/orders/${order.id}`).set('Cookie', buyer.cookie);
    expect(res.body).toEqual(
      expect.objectContaining({ status: OrderStatus.Cancelled, refunded: true }),
    );
  });
});
