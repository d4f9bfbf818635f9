/**
 * Component tests of the order replica's listeners and of the refunds a cancellation causes, over a real
 * JetStream: ordering, duplicates, dead letters, and the payment-versus-cancellation race.
 */
import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import request from 'supertest';
import mongoose from 'mongoose';
import {
  ChargeStatus,
  EVENTS_STREAM,
  createLogger,
  OrderStatus,
  Subjects,
  listDeadLetters,
  type EventData,
  type EventSubject,
  type Listener,
} from '@ticketing/common';
import {
  buildUser,
  durableName,
  publishedEvents,
  readEvents,
  useService,
  waitFor,
} from '@ticketing/common/testing';
import { readConfig } from '../config';
import { definePaymentsService } from '../service';
import { ChargeRecovery } from '../domain/charge-recovery';
import { orderFeedLag } from '../domain/order-replica';
import { CHARGE_LEASE_MS, PaymentProcessor } from '../domain/payment-processor';
import { Charge } from '../models/charge.model';
import { Order } from '../models/order.model';
import { buildOrder, orderCreatedData } from '../test/factories';
import { useRecordingGateway } from '../test/recording-gateway';
import { OrderCancelledListener } from './order-cancelled.listener';
import { OrderCreatedListener } from './order-created.listener';

const gateway = useRecordingGateway();
const logger = createLogger('payments', process.env.LOG_LEVEL ?? 'silent');
/** How often the route asked whether the order feed is behind (it asks only when an order is missing). */
let feedLagChecks = 0;
const t = useService(definePaymentsService, {
  readConfig,
  tuning: {
    gateway,
    // No background sweep: one test runs the sweep itself, over the refund it left owed.
    recovery: false,
    // Longer than a restarted listener can take on a loaded machine: the test is that it waits at all.
    orderWaitMs: 15_000,
    orderFeedLag: (ctx) => {
      const feedLag = orderFeedLag(ctx);
      return () => {
        feedLagChecks += 1;
        return feedLag();
      };
    },
  },
});
let listeners: Array<Listener<EventSubject>>;
let seq = 0;

beforeEach(async () => {
  feedLagChecks = 0;
  listeners = await t.startListeners({ maxDeliver: 3 });
});

/** Publishes as orders would; every call is a distinct message (a redelivery or a duplicate). */
function publish<S extends EventSubject>(subject: S, data: EventData<S>) {
  return t.ctx.publisher.publish(subject, data, `test-${++seq}`);
}

function orderCancelled(id: string, version = 1) {
  return { id, version, ticket: { id: new mongoose.Types.ObjectId().toHexString() } };
}

/** Every message published so far on `subject` has been handled (acked or terminated). */
async function consumerSettled(subject: EventSubject) {
  await waitFor(async () => {
    const info = await t.bus.jsm.consumers.info(EVENTS_STREAM, durableName('payments', subject));
    return info.num_pending === 0 && info.num_ack_pending === 0 && info.delivered.stream_seq > 0;
  });
}

const replicaOf = (id: string) => Order.findById(id).lean();

/** An open order of a fresh buyer, paid with tok_visa through the route. */
async function paidOrder(price = 20) {
  const buyer = buildUser();
  const order = await buildOrder({ userId: buyer.id, price });
  const res = await request(t.url)
    .post('/api/payments')
    .set('Cookie', buyer.cookie)
    .send({ orderId: order.id, token: 'tok_visa' })
    .expect(201);
  return { buyer, order, charge: res.body as { id: string; stripeId: string; amount: number } };
}

describe('order.created listener (the order replica)', () => {
  it('stores the order with its buyer, amount, listing, status, expiry and version', async () => {
    const data = orderCreatedData({ amount: { price: 12.34, fee: 2.73, total: 15.07 } });

    await publish(Subjects.OrderCreated, data);

    const replica = await waitFor(() => replicaOf(data.id));
    expect(replica).toEqual(
      expect.objectContaining({
        userId: data.userId,
        amount: { price: 12.34, fee: 2.73, total: 15.07 },
        ticket: {
          id: data.ticket.id,
          title: data.ticket.title,
          userId: data.ticket.userId,
          event: {
            name: data.ticket.event.name,
            startsAt: new Date(data.ticket.event.startsAt),
            timeZone: data.ticket.event.timeZone,
          },
        },
        status: OrderStatus.Created,
        expiresAt: new Date(data.expiresAt),
        version: 0,
      }),
    );
  });

  it('ignores a duplicate delivery', async () => {
    const data = orderCreatedData();
    await publish(Subjects.OrderCreated, data);
    await waitFor(() => replicaOf(data.id));

    await publish(Subjects.OrderCreated, {
      ...data,
      amount: { price: 99, fee: 11.4, total: 110.4 },
    });
    await consumerSettled(Subjects.OrderCreated);

    expect((await replicaOf(data.id))!.amount.total).toBe(23.5);
    expect(await Order.countDocuments()).toBe(1);
  });
});

describe('order.created racing its own order.cancelled (they have separate consumers)', () => {
  it('keeps every replica when the cancel is tried while the order is being inserted', async () => {
    // Found by the fault suite: on the embedded engine a plain insert racing a transaction that tried to
    // update the same (then missing) document was silently dropped, and the order.cancelled waiting for
    // that replica ended in the dead-letter stream.
    const created = new OrderCreatedListener(t.ctx);
    const cancelled = new OrderCancelledListener(t.ctx, new PaymentProcessor(gateway, logger));
    const orders = Array.from({ length: 120 }, () => orderCreatedData());

    const outcomes = await Promise.all(
      orders.map(async (order, i) => {
        await new Promise((resolve) => setTimeout(resolve, i * 2));
        const [outcome] = await Promise.all([
          cancelled.onMessage(orderCancelled(order.id)),
          created.onMessage(order),
        ]);
        return outcome;
      }),
    );

    const ids = orders.map((o) => o.id);
    expect(await Order.countDocuments({ _id: { $in: ids } })).toBe(orders.length);
    // A cancel that was acked was applied; one that found no replica to change asked to come again.
    // (Found by the fault suite: the replica was inserted between the cancel's update, which matched
    // nothing, and its read, which found the order, and the cancel was acked unapplied.)
    const acked = ids.filter((_id, i) => outcomes[i] === 'ack');
    expect(await Order.countDocuments({ _id: { $in: acked }, status: OrderStatus.Created })).toBe(
      0,
    );
  });

  it('asks for the cancel again when the order appears between its update and its read', async () => {
    const cancelled = new OrderCancelledListener(t.ctx, new PaymentProcessor(gateway, logger));
    const order = orderCreatedData();
    const update = Order.updateOne.bind(Order);
    // The interleaving the race above produces now and then, made certain: the insert lands just after
    // the cancel's update looked for the order.
    const spy = jest.spyOn(Order, 'updateOne').mockImplementationOnce(((
      ...args: Parameters<typeof update>
    ) =>
      update(...args).then(async (result) => {
        await new OrderCreatedListener(t.ctx).onMessage(order);
        return result;
      })) as unknown as typeof Order.updateOne);

    const outcome = await cancelled.onMessage(orderCancelled(order.id));
    spy.mockRestore();

    expect(outcome).toBe('retry');
    expect(await cancelled.onMessage(orderCancelled(order.id))).toBe('ack');
    expect(await Order.findById(order.id).lean()).toMatchObject({
      status: OrderStatus.Cancelled,
      version: 1,
    });
  });
});

describe('POST /api/payments while order.created is still on its way', () => {
  it('waits for the replica to catch up instead of answering 404', async () => {
    const buyer = buildUser();
    const data = orderCreatedData({ userId: buyer.id });
    const [createdListener] = listeners;
    await createdListener!.stop();
    await publish(Subjects.OrderCreated, data);

    const paying = request(t.url)
      .post('/api/payments')
      .set('Cookie', buyer.cookie)
      .send({ orderId: data.id, token: 'tok_visa' })
      .then((res) => res);
    await waitFor(() => feedLagChecks > 0);
    await createdListener!.start();
    const res = await paying;

    expect(res.status).toBe(201);
    expect(res.body.orderId).toBe(data.id);
  });

  it('answers 404 at once for an unknown order when the replica is caught up', async () => {
    await publish(Subjects.OrderCreated, orderCreatedData());
    await consumerSettled(Subjects.OrderCreated);

    const res = await request(t.url)
      .post('/api/payments')
      .set('Cookie', buildUser().cookie)
      .send({ orderId: new mongoose.Types.ObjectId().toHexString(), token: 'tok_visa' });

    expect(res.status).toBe(404);
    expect(feedLagChecks).toBe(1);
  });
});

describe('order.cancelled listener', () => {
  it('marks the order cancelled at the event version; a payment is then refused', async () => {
    const buyer = buildUser();
    const data = orderCreatedData({ userId: buyer.id });
    await publish(Subjects.OrderCreated, data);
    await waitFor(() => replicaOf(data.id));

    await publish(Subjects.OrderCancelled, orderCancelled(data.id, 1));

    const replica = await waitFor(async () => {
      const r = await replicaOf(data.id);
      return r?.status === OrderStatus.Cancelled ? r : null;
    });
    expect(replica.version).toBe(1);
    const res = await request(t.url)
      .post('/api/payments')
      .set('Cookie', buyer.cookie)
      .send({ orderId: data.id, token: 'tok_visa' });
    expect(res.status).toBe(400);
    expect(gateway.charges).toHaveLength(0);
  });

  it('holds back a cancel that arrives before its order, then applies it once the order is there', async () => {
    const data = orderCreatedData();

    await publish(Subjects.OrderCancelled, orderCancelled(data.id, 1));
    await waitFor(async () => {
      const info = await t.bus.jsm.consumers.info(
        EVENTS_STREAM,
        durableName('payments', Subjects.OrderCancelled),
      );
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
    expect(await listDeadLetters(t.bus.jsm, 'payments')).toEqual([]);
  });

  it('sends a cancel for an order that never arrives to the dead-letter stream', async () => {
    const unknown = new mongoose.Types.ObjectId().toHexString();

    await publish(Subjects.OrderCancelled, orderCancelled(unknown, 1));

    const letters = await waitFor(async () => {
      const found = await listDeadLetters(t.bus.jsm, 'payments');
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
    expect(new Set(gateway.refunds.map((r) => JSON.stringify(r)))).toEqual(
      new Set([
        JSON.stringify({ chargeId: charge.stripeId, idempotencyKey: `refund:${order.id}` }),
      ]),
    );
    const events = await waitFor(async () => {
      const found = await readEvents(t.bus.jsm, 'charge.refunded');
      return found.length ? found : null;
    });
    expect(events.map((e) => e.data)).toEqual([
      {
        id: charge.id,
        version: 2,
        orderId: order.id,
        amount: 2350,
        stripeRefundId: refunded.stripeRefundId,
      },
    ]);
    expect(await publishedEvents(t, 'charge.refunded')).toHaveLength(1);
  });

  it('refunds a payment whose order is cancelled while the card is being charged', async () => {
    const buyer = buildUser();
    const order = await buildOrder({ userId: buyer.id, price: 30 });
    // order.cancelled is handled after the gateway took the money and before the charge is recorded.
    gateway.beforeNextAnswer(async () => {
      await publish(Subjects.OrderCancelled, orderCancelled(order.id, 1));
      await waitFor(async () => (await replicaOf(order.id))?.status === OrderStatus.Cancelled);
    });

    const res = await request(t.url)
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
    expect(gateway.refunds).toHaveLength(1);
    expect((await publishedEvents(t, 'charge.succeeded')).map((e) => e.data.id)).toEqual([
      expect.any(String),
    ]);
    expect(await publishedEvents(t, 'charge.refunded')).toHaveLength(1);
  });

  it('leaves a refund the gateway failed owed, for the recovery sweep to pay once', async () => {
    const { order, charge } = await paidOrder();
    gateway.failNextCall();

    await publish(Subjects.OrderCancelled, orderCancelled(order.id, 1));
    await waitFor(async () => gateway.refunds.length === 1);
    await consumerSettled(Subjects.OrderCancelled);
    const owed = await Charge.findById(charge.id).lean();
    const swept = await new ChargeRecovery(new PaymentProcessor(gateway, logger), logger).runOnce(
      new Date(Date.now() + 2 * CHARGE_LEASE_MS),
    );

    expect(owed).toEqual(expect.objectContaining({ refundDue: true }));
    expect(owed!.stripeRefundId).toBeUndefined();
    expect(await listDeadLetters(t.bus.jsm, 'payments')).toEqual([]);
    expect(swept).toEqual({ settled: 0, refunded: 1 });
    expect(gateway.refunds.map((r) => r.idempotencyKey)).toEqual([
      `refund:${order.id}`,
      `refund:${order.id}`,
    ]);
    expect((await Charge.findById(charge.id).lean())!.stripeRefundId).toMatch(/^re_sandbox_/);
    expect(await publishedEvents(t, 'charge.refunded')).toHaveLength(1);
  });

  it('refunds nothing when an unpaid order is cancelled', async () => {
    const order = await buildOrder();

    await publish(Subjects.OrderCancelled, orderCancelled(order.id, 1));
    await waitFor(async () => (await replicaOf(order.id))?.status === OrderStatus.Cancelled);
    await consumerSettled(Subjects.OrderCancelled);

    expect(gateway.refunds).toHaveLength(0);
    expect(await publishedEvents(t, 'charge.refunded')).toHaveLength(0);
  });
});
