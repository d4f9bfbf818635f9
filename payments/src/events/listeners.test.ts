import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import mongoose from 'mongoose';
import {
  ChargeStatus,
  OrderStatus,
  Subjects,
  listDeadLetters,
  type EventData,
  type EventSubject,
  type Listener,
} from '@ticketing/common';
import { publishedEvents, readEvents, waitFor } from '@ticketing/common/testing';
import { ChargeRecovery } from '../domain/charge-recovery';
import { CHARGE_LEASE_MS } from '../domain/payment-processor';
import { Charge } from '../models/charge.model';
import { Order } from '../models/order.model';
import { buildOrder, buildUser, usePaymentsApp } from '../test/payments-test-app';
import { createListeners } from '.';
import { OrderCancelledListener } from './order-cancelled.listener';
import { OrderCreatedListener } from './order-created.listener';

const t = usePaymentsApp();
let listeners: Array<Listener<EventSubject>>;
let seq = 0;

beforeEach(async () => {
  listeners = createListeners(t.env.ctx, t.processor, { maxDeliver: 3 });
  for (const listener of listeners) await listener.start();
});

afterEach(async () => {
  for (const listener of listeners) await listener.stop();
});

/** Publishes as orders would; every call is a distinct message (a redelivery or a duplicate). */
function publish<S extends EventSubject>(subject: S, data: EventData<S>) {
  return t.env.ctx.publisher.publish(subject, data, `test-${++seq}`);
}

function orderCreated(overrides: Partial<EventData<typeof Subjects.OrderCreated>> = {}) {
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

function orderCancelled(id: string, version = 1) {
  return { id, version, ticket: { id: new mongoose.Types.ObjectId().toHexString() } };
}

/** Every message published so far on `subject` has been handled (acked or terminated). */
async function consumerSettled(subject: EventSubject) {
  await waitFor(async () => {
    const info = await t.env.bus.jsm.consumers.info(
      'TICKETING',
      `payments_${subject.replace('.', '_')}`,
    );
    return info.num_pending === 0 && info.num_ack_pending === 0 && info.delivered.stream_seq > 0;
  });
}

const replicaOf = (id: string) => Order.findById(id).lean();

/** An open order of a fresh buyer, paid with tok_visa through the route. */
async function paidOrder(price = 20) {
  const buyer = buildUser();
  const order = await buildOrder({ userId: buyer.id, price });
  const res = await request(t.app)
    .post('/api/payments')
    .set('Cookie', buyer.cookie)
    .send({ orderId: order.id, token: 'tok_visa' })
    .expect(201);
  return { buyer, order, charge: res.body as { id: string; stripeId: string; amount: number } };
}

describe('order.created listener (the order replica)', () => {
  it('stores the order with its buyer, price, status, expiry and version', async () => {
    const data = orderCreated({
      ticket: { id: new mongoose.Types.ObjectId().toHexString(), price: 12.34 },
    });

    await publish(Subjects.OrderCreated, data);

    const replica = await waitFor(() => replicaOf(data.id));
    expect(replica).toEqual(
      expect.objectContaining({
        userId: data.userId,
        price: 12.34,
        status: OrderStatus.Created,
        expiresAt: new Date(data.expiresAt),
        version: 0,
      }),
    );
  });

  it('ignores a duplicate delivery', async () => {
    const data = orderCreated();
    await publish(Subjects.OrderCreated, data);
    await waitFor(() => replicaOf(data.id));

    await publish(Subjects.OrderCreated, { ...data, ticket: { ...data.ticket, price: 99 } });
    await consumerSettled(Subjects.OrderCreated);

    expect((await replicaOf(data.id))!.price).toBe(20);
    expect(await Order.countDocuments()).toBe(1);
  });
});

describe('order.created racing its own order.cancelled (they have separate consumers)', () => {
  it('keeps every replica when the cancel is tried while the order is being inserted', async () => {
    // Found by the fault suite: on the embedded engine a plain insert racing a transaction that tried to
    // update the same (then missing) document was silently dropped, and the order.cancelled waiting for
    // that replica ended in the dead-letter stream.
    const created = new OrderCreatedListener(t.env.ctx);
    const cancelled = new OrderCancelledListener(t.env.ctx, t.processor);
    const orders = Array.from({ length: 120 }, () => orderCreated());

    await Promise.all(
      orders.map(async (order, i) => {
        await new Promise((resolve) => setTimeout(resolve, i * 2));
        await Promise.all([
          cancelled.onMessage(orderCancelled(order.id)),
          created.onMessage(order),
        ]);
      }),
    );

    const ids = orders.map((o) => o.id);
    expect(await Order.countDocuments({ _id: { $in: ids } })).toBe(orders.length);
  });
});

describe('POST /api/payments while order.created is still on its way', () => {
  it('waits for the replica to catch up instead of answering 404', async () => {
    const buyer = buildUser();
    const data = orderCreated({ userId: buyer.id });
    const [createdListener] = listeners;
    await createdListener!.stop();
    await publish(Subjects.OrderCreated, data);

    const paying = request(t.app)
      .post('/api/payments')
      .set('Cookie', buyer.cookie)
      .send({ orderId: data.id, token: 'tok_visa' })
      .then((res) => res);
    await waitFor(() => t.feedLagChecks > 0);
    await createdListener!.start();
    const res = await paying;

    expect(res.status).toBe(201);
    expect(res.body.orderId).toBe(data.id);
  });

  it('answers 404 at once for an unknown order when the replica is caught up', async () => {
    await publish(Subjects.OrderCreated, orderCreated());
    await consumerSettled(Subjects.OrderCreated);

    const res = await request(t.app)
      .post('/api/payments')
      .set('Cookie', buildUser().cookie)
      .send({ orderId: new mongoose.Types.ObjectId().toHexString(), token: 'tok_visa' });

    expect(res.status).toBe(404);
    expect(t.feedLagChecks).toBe(1);
  });
});

describe('order.cancelled listener', () => {
  it('marks the order cancelled at the event version; a payment is then refused', async () => {
    const buyer = buildUser();
    const data = orderCreated({ userId: buyer.id });
    await publish(Subjects.OrderCreated, data);
    await waitFor(() => replicaOf(data.id));

    await publish(Subjects.OrderCancelled, orderCancelled(data.id, 1));

    const replica = await waitFor(async () => {
      const r = await replicaOf(data.id);
      return r?.status === OrderStatus.Cancelled ? r : null;
    });
    expect(replica.version).toBe(1);
    const res = await request(t.app)
      .post('/api/payments')
      .set('Cookie', buyer.cookie)
      .send({ orderId: data.id, token: 'tok_visa' });
    expect(res.status).toBe(400);
    expect(t.gateway.charges).toHaveLength(0);
  });

  it('holds back a cancel that arrives before its order, then applies it once the order is there', async () => {
    const data = orderCreated();

    await publish(Subjects.OrderCancelled, orderCancelled(data.id, 1));
    await waitFor(async () => {
      const info = await t.env.bus.jsm.consumers.info('TICKETING', 'payments_order_cancelled');
      return info.num_redelivered > 0;
    });
    expect(await replicaOf(data.id)).toBeNull();
    await publish(Subjects.OrderCreated, data);

    const replica = await waitFor(async () => {
      const r = await replicaOf(data.id);
      return r?.status === OrderStatus.Cancelled ? r : null;
    });
    expect(replica.version).toBe(1);
  });

  it('applies a cancel whose version is more than one ahead (orders bumped it for a change we do not consume)', async () => {
    const order = await buildOrder({ version: 0 });

    await publish(Subjects.OrderCancelled, orderCancelled(order.id, 2));

    const replica = await waitFor(async () => {
      const r = await replicaOf(order.id);
      return r?.status === OrderStatus.Cancelled ? r : null;
    });
    expect(replica.version).toBe(2);
  });

  it('ignores a duplicate cancel', async () => {
    const order = await buildOrder({ status: OrderStatus.Cancelled, version: 1 });

    await publish(Subjects.OrderCancelled, orderCancelled(order.id, 1));
    await consumerSettled(Subjects.OrderCancelled);

    expect(await replicaOf(order.id)).toEqual(
      expect.objectContaining({ status: OrderStatus.Cancelled, version: 1 }),
    );
    expect(await listDeadLetters(t.env.bus.jsm, 'payments')).toEqual([]);
  });

  it('sends a cancel for an order that never arrives to the dead-letter stream', async () => {
    const unknown = new mongoose.Types.ObjectId().toHexString();

    await publish(Subjects.OrderCancelled, orderCancelled(unknown, 1));

    const letters = await waitFor(async () => {
      const found = await listDeadLetters(t.env.bus.jsm, 'payments');
      return found.length ? found : null;
    }, 10_000);
    expect(letters).toEqual([
      expect.objectContaining({
        subject: 'order.cancelled',
        deliveries: 3,
        data: expect.objectContaining({ id: unknown }),
      }),
    ]);
  });
});

describe('refunds (ADR 004: a payment raced the cancellation)', () => {
  it('refunds a completed charge when its order is cancelled, once, though the cancel comes twice', async () => {
    const { order, charge } = await paidOrder(20);

    await publish(Subjects.OrderCancelled, orderCancelled(order.id, 1));
    await publish(Subjects.OrderCancelled, orderCancelled(order.id, 1));

    const refunded = await waitFor(async () => {
      const c = await Charge.findById(charge.id).lean();
      return c?.stripeRefundId ? c : null;
    });
    await consumerSettled(Subjects.OrderCancelled);
    expect(refunded.refundDue).toBeUndefined();
    // The two deliveries may be handled at once and both ask: with one idempotency key, one refund.
    expect(new Set(t.gateway.refunds.map((r) => JSON.stringify(r)))).toEqual(
      new Set([
        JSON.stringify({ chargeId: charge.stripeId, idempotencyKey: `refund:${order.id}` }),
      ]),
    );
    const events = await waitFor(async () => {
      const found = await readEvents(t.env.bus.jsm, 'charge.refunded');
      return found.length ? found : null;
    });
    expect(events.map((e) => e.data)).toEqual([
      {
        id: charge.id,
        version: 2,
        orderId: order.id,
        amount: 2000,
        stripeRefundId: refunded.stripeRefundId,
      },
    ]);
    expect(await publishedEvents(t.env, 'charge.refunded')).toHaveLength(1);
  });

  it('refunds a payment whose order is cancelled while the card is being charged', async () => {
    const buyer = buildUser();
    const order = await buildOrder({ userId: buyer.id, price: 30 });
    // order.cancelled is handled after the gateway took the money and before the charge is recorded.
    t.gateway.beforeNextAnswer(async () => {
      await publish(Subjects.OrderCancelled, orderCancelled(order.id, 1));
      await waitFor(async () => (await replicaOf(order.id))?.status === OrderStatus.Cancelled);
    });

    const res = await request(t.app)
      .post('/api/payments')
      .set('Cookie', buyer.cookie)
      .send({ orderId: order.id, token: 'tok_visa' });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [
        {
          message: 'Order was cancelled while it was being paid; the payment has been refunded',
          field: 'orderId',
        },
      ],
    });
    const [stored] = await Charge.find({ orderId: order.id }).lean();
    expect(stored).toEqual(
      expect.objectContaining({
        status: ChargeStatus.Completed,
        stripeRefundId: expect.stringMatching(/^re_sandbox_/),
      }),
    );
    await consumerSettled(Subjects.OrderCancelled);
    expect(t.gateway.refunds).toHaveLength(1);
    expect((await publishedEvents(t.env, 'charge.created')).map((e) => e.data.status)).toEqual([
      ChargeStatus.Completed,
    ]);
    expect(await publishedEvents(t.env, 'charge.refunded')).toHaveLength(1);
  });

  it('leaves a refund the gateway failed owed, for the recovery sweep to pay once', async () => {
    const { order, charge } = await paidOrder();
    t.gateway.failNextCall();

    await publish(Subjects.OrderCancelled, orderCancelled(order.id, 1));
    await waitFor(async () => t.gateway.refunds.length === 1);
    await consumerSettled(Subjects.OrderCancelled);
    const owed = await Charge.findById(charge.id).lean();
    const swept = await new ChargeRecovery(t.processor, t.env.ctx.logger).runOnce(
      new Date(Date.now() + 2 * CHARGE_LEASE_MS),
    );

    expect(owed).toEqual(expect.objectContaining({ refundDue: true }));
    expect(owed!.stripeRefundId).toBeUndefined();
    expect(await listDeadLetters(t.env.bus.jsm, 'payments')).toEqual([]);
    expect(swept).toEqual({ settled: 0, refunded: 1 });
    expect(t.gateway.refunds.map((r) => r.idempotencyKey)).toEqual([
      `refund:${order.id}`,
      `refund:${order.id}`,
    ]);
    expect((await Charge.findById(charge.id).lean())!.stripeRefundId).toMatch(/^re_sandbox_/);
    expect(await publishedEvents(t.env, 'charge.refunded')).toHaveLength(1);
  });

  it('refunds nothing when an unpaid order is cancelled', async () => {
    const order = await buildOrder();

    await publish(Subjects.OrderCancelled, orderCancelled(order.id, 1));
    await waitFor(async () => (await replicaOf(order.id))?.status === OrderStatus.Cancelled);
    await consumerSettled(Subjects.OrderCancelled);

    expect(t.gateway.refunds).toHaveLength(0);
    expect(await publishedEvents(t.env, 'charge.refunded')).toHaveLength(0);
  });
});
