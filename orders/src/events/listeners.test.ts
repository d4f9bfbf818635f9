import { beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import mongoose from 'mongoose';
import {
  EVENTS_STREAM,
  OrderStatus,
  Subjects,
  TicketStatus,
  listDeadLetters,
  type EventData,
  type EventSubject,
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
import { defineOrdersService } from '../service';
import { Order } from '../models/order.model';
import { Ticket } from '../models/ticket.model';
import { buildTicket } from '../test/factories';
import { TicketCreatedListener } from './ticket-created.listener';
import { TicketUpdatedListener } from './ticket-updated.listener';

const t = useService(defineOrdersService, { readConfig });
let seq = 0;

beforeEach(async () => {
  await t.startListeners({ maxDeliver: 3 });
});

function publish<S extends EventSubject>(subject: S, data: EventData<S>) {
  return t.ctx.publisher.publish(subject, data, `test-${++seq}`);
}

/** True once the orders consumer of `subject` has settled everything it was given. */
async function drained(subject: EventSubject): Promise<boolean> {
  const info = await t.bus.jsm.consumers.info(EVENTS_STREAM, durableName('orders', subject));
  return info.num_pending === 0 && info.num_ack_pending === 0 && info.delivered.stream_seq > 0;
}

function ticketData(overrides: Partial<EventData<typeof Subjects.TicketUpdated>> = {}) {
  return {
    id: new mongoose.Types.ObjectId().toHexString(),
    version: 0,
    title: 'Concert',
    price: 20,
    userId: new mongoose.Types.ObjectId().toHexString(),
    status: TicketStatus.Available,
    ...overrides,
  };
}

async function placeOrder(price = 20) {
  const ticket = await buildTicket({ price });
  const buyer = buildUser();
  const res = await request(t.url)
    .post('/api/orders')
    .set('Cookie', buyer.cookie)
    .send({ ticketId: ticket.id })
    .expect(201);
  return { order: res.body as { id: string; version: number }, ticket, buyer };
}

/** What tickets publishes when it locks the listing for an order: the hold is confirmed. */
async function confirmHold(ticket: Awaited<ReturnType<typeof buildTicket>>, orderId: string) {
  await publish(Subjects.TicketUpdated, {
    ...ticket,
    version: ticket.version + 1,
    status: TicketStatus.Reserved,
    orderId,
  });
  await waitFor(async () => (await replicaOf(ticket.id))?.orderId === orderId);
}

const replicaOf = (id: string) => Ticket.findById(id).lean();
const orderOf = (id: string) => Order.findById(id).lean();

describe('ticket.created / ticket.updated listeners (the listing replica)', () => {
  it('stores a new listing, then applies its updates in version order', async () => {
    const data = ticketData();

    await publish(Subjects.TicketCreated, data);
    await publish(Subjects.TicketUpdated, { ...data, version: 1, title: 'Opera', price: 35 });

    const replica = await waitFor(async () => {
      const r = await replicaOf(data.id);
      return r?.version === 1 ? r : null;
    });
    expect(replica).toEqual(
      expect.objectContaining({ title: 'Opera', price: 35, userId: data.userId }),
    );
  });

  it('ignores a duplicate delivery of an older version', async () => {
    const data = ticketData();
    await publish(Subjects.TicketCreated, data);
    await publish(Subjects.TicketUpdated, { ...data, version: 1, price: 35 });
    await waitFor(async () => (await replicaOf(data.id))?.version === 1);

    await publish(Subjects.TicketUpdated, { ...data, version: 1, price: 99 });
    await publish(Subjects.TicketCreated, { ...data, price: 99 });
    await publish(Subjects.TicketUpdated, { ...data, version: 2, price: 40 });

    const replica = await waitFor(async () => {
      const r = await replicaOf(data.id);
      return r?.version === 2 ? r : null;
    });
    expect(replica.price).toBe(40);
  });

  it('holds back an update that arrives before the version it follows, then applies both in order', async () => {
    const data = ticketData();

    await publish(Subjects.TicketUpdated, { ...data, version: 2, price: 50 });
    await publish(Subjects.TicketUpdated, { ...data, version: 1, price: 30 });
    expect(await replicaOf(data.id)).toBeNull();
    await publish(Subjects.TicketCreated, data);

    const replica = await waitFor(async () => {
      const r = await replicaOf(data.id);
      return r?.version === 2 ? r : null;
    });
    expect(replica.price).toBe(50);
  });

  it('leaves an open order alone when the listing price changes: tickets decides the hold', async () => {
    const { order, ticket } = await placeOrder(20);

    await publish(Subjects.TicketUpdated, {
      ...ticketData(),
      id: ticket.id,
      userId: ticket.userId,
      version: 1,
      price: 25,
    });

    await waitFor(async () => (await replicaOf(ticket.id))?.version === 1);
    expect((await orderOf(order.id))!.status).toBe(OrderStatus.Created);
  });

  it('keeps an order whose ticket was locked for it at the same price', async () => {
    const { order, ticket } = await placeOrder(20);

    await publish(Subjects.TicketUpdated, {
      ...ticketData(),
      id: ticket.id,
      userId: ticket.userId,
      version: 1,
      price: 20,
      status: TicketStatus.Reserved,
      orderId: order.id,
    });

    await waitFor(async () => (await replicaOf(ticket.id))?.version === 1);
    expect((await orderOf(order.id))!.status).toBe(OrderStatus.Created);
  });
});

describe('ticket.hold-refused listener', () => {
  it('cancels the order with the reason the buyer sees and publishes order.cancelled, once', async () => {
    const { order, ticket, buyer } = await placeOrder(20);
    const refusal = {
      id: order.id,
      version: 0,
      ticket: { id: ticket.id, price: 30 },
      reason: 'price-changed' as const,
    };

    await publish(Subjects.TicketHoldRefused, refusal);
    await publish(Subjects.TicketHoldRefused, refusal);

    const cancelled = await waitFor(async () => {
      const o = await orderOf(order.id);
      return o?.status === OrderStatus.Cancelled ? o : null;
    });
    expect(cancelled.holdsTicket).toBeUndefined();
    const shown = await request(t.url).get(`/api/orders/${order.id}`).set('Cookie', buyer.cookie);
    expect(shown.body).toMatchObject({
      status: 'cancelled',
      cancellation: { reason: 'price-changed', message: 'The price changed to $30' },
    });
    const events = await publishedEvents(t, 'order.cancelled');
    expect(events.map((e) => e.data)).toEqual([
      { id: order.id, version: 1, ticket: { id: ticket.id } },
    ]);
  });

  it('frees the ticket for the next buyer at once', async () => {
    const { order, ticket } = await placeOrder(20);

    await publish(Subjects.TicketHoldRefused, {
      id: order.id,
      version: 0,
      ticket: { id: ticket.id, price: 30 },
      reason: 'price-changed',
    });
    await waitFor(async () => (await orderOf(order.id))?.status === OrderStatus.Cancelled);

    await request(t.url)
      .post('/api/orders')
      .set('Cookie', buildUser().cookie)
      .send({ ticketId: ticket.id })
      .expect(201);
  });
});

describe('ticket.created racing a ticket.updated of the same listing (separate consumers)', () => {
  it('keeps every replica when the update is tried while the listing is being inserted', async () => {
    // Found by the fault suite: on the embedded engine a plain insert racing a transaction that tried to
    // update the same (then missing) document was silently dropped, and every later ticket.updated of
    // that listing waited for a version 0 that was gone, until the dead-letter stream.
    const created = new TicketCreatedListener(t.ctx);
    const updated = new TicketUpdatedListener(t.ctx);
    const listings = Array.from({ length: 120 }, () => ticketData());

    await Promise.all(
      listings.map(async (listing, i) => {
        await new Promise((resolve) => setTimeout(resolve, i * 2));
        await Promise.all([
          updated.onMessage({ ...listing, version: 1, title: 'Renamed' }),
          created.onMessage(listing),
        ]);
      }),
    );

    const ids = listings.map((l) => l.id);
    expect(await Ticket.countDocuments({ _id: { $in: ids } })).toBe(listings.length);
  });
});

describe('order.expired listener', () => {
  it('cancels the expired order and publishes order.cancelled', async () => {
    const { order, ticket } = await placeOrder();

    await publish(Subjects.OrderExpired, { id: order.id, version: 0 });

    await waitFor(async () => (await orderOf(order.id))?.status === OrderStatus.Cancelled);
    const events = await waitFor(async () => {
      const found = await readEvents(t.bus.jsm, 'order.cancelled');
      return found.length ? found : null;
    });
    expect(events.map((e) => e.data)).toEqual([
      { id: order.id, version: 1, ticket: { id: ticket.id } },
    ]);
  });

  it('leaves a complete order complete', async () => {
    const { order, ticket } = await placeOrder();
    await confirmHold(ticket, order.id);
    await publish(Subjects.ChargeSucceeded, {
      id: 'ch_1',
      version: 1,
      orderId: order.id,
      amount: 2000,
    });
    await waitFor(async () => (await orderOf(order.id))?.status === OrderStatus.Complete);

    await publish(Subjects.OrderExpired, { id: order.id, version: 0 });
    await waitFor(() => drained(Subjects.OrderExpired));

    expect((await orderOf(order.id))!.status).toBe(OrderStatus.Complete);
  });

  it("never touches another order for the same ticket: A's late expiry leaves B's hold alone", async () => {
    const { order: a, ticket } = await placeOrder();
    await Order.updateOne(
      { _id: a.id },
      { $set: { status: OrderStatus.Cancelled }, $unset: { holdsTicket: 1 } },
    );
    const b = await request(t.url)
      .post('/api/orders')
      .set('Cookie', buildUser().cookie)
      .send({ ticketId: ticket.id })
      .expect(201);

    await publish(Subjects.OrderExpired, { id: a.id, version: 0 });
    await waitFor(() => drained(Subjects.OrderExpired));

    expect((await orderOf(b.body.id))!.status).toBe(OrderStatus.Created);
    expect(await readEvents(t.bus.jsm, 'order.cancelled')).toHaveLength(0);
  });

  it('sends an expiry for an order it never had to the dead-letter stream', async () => {
    const unknown = new mongoose.Types.ObjectId().toHexString();

    await publish(Subjects.OrderExpired, { id: unknown, version: 0 });

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

describe('charge.succeeded and charge.failed listeners', () => {
  it('completes the order on a successful charge and publishes order.completed', async () => {
    const { order, ticket } = await placeOrder();
    await confirmHold(ticket, order.id);

    await publish(Subjects.ChargeSucceeded, {
      id: 'ch_1',
      version: 1,
      orderId: order.id,
      amount: 2000,
    });

    const completed = await waitFor(async () => {
      const o = await orderOf(order.id);
      return o?.status === OrderStatus.Complete ? o : null;
    });
    expect(completed.chargeId).toBe('ch_1');
    expect(completed.holdsTicket).toBe(true);
    const events = await waitFor(async () => {
      const found = await readEvents(t.bus.jsm, 'order.completed');
      return found.length ? found : null;
    });
    expect(events.map((e) => e.data)).toEqual([
      { id: order.id, version: 1, ticket: { id: ticket.id } },
    ]);
  });

  it('records a payment that beats the hold confirmation, and completes when tickets confirms', async () => {
    const { order, ticket } = await placeOrder();

    await publish(Subjects.ChargeSucceeded, {
      id: 'ch_early',
      version: 1,
      orderId: order.id,
      amount: 2000,
    });
    const paid = await waitFor(async () => {
      const o = await orderOf(order.id);
      return o?.chargeId === 'ch_early' ? o : null;
    });
    expect([paid.status, paid.version]).toEqual([OrderStatus.Created, 0]);
    expect(await readEvents(t.bus.jsm, 'order.completed')).toHaveLength(0);

    await confirmHold(ticket, order.id);

    const completed = await waitFor(async () => {
      const o = await orderOf(order.id);
      return o?.status === OrderStatus.Complete ? o : null;
    });
    expect(completed.chargeId).toBe('ch_early');
    const events = await waitFor(async () => {
      const found = await readEvents(t.bus.jsm, 'order.completed');
      return found.length ? found : null;
    });
    expect(events.map((e) => e.data)).toEqual([
      { id: order.id, version: 1, ticket: { id: ticket.id } },
    ]);
  });

  it('completes every paid order whose payment and hold confirmation arrive at the same moment', async () => {
    const placed = await Promise.all(Array.from({ length: 20 }, () => placeOrder()));

    await Promise.all(
      placed.flatMap(({ order, ticket }, i) => [
        publish(Subjects.ChargeSucceeded, {
          id: `ch_race_${i}`,
          version: 1,
          orderId: order.id,
          amount: 2000,
        }),
        publish(Subjects.TicketUpdated, {
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
    const { order, ticket } = await placeOrder();
    // The replica already shows the lock (step one ran), but the process died before completing.
    await Order.updateOne({ _id: order.id }, { $set: { chargeId: 'ch_crash' } });
    await Ticket.updateOne(
      { _id: ticket.id },
      { $set: { version: 1, status: TicketStatus.Reserved, orderId: order.id } },
    );

    await publish(Subjects.TicketUpdated, {
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
    const { order, ticket } = await placeOrder();
    await publish(Subjects.ChargeSucceeded, {
      id: 'ch_grace',
      version: 1,
      orderId: order.id,
      amount: 2000,
    });
    await waitFor(async () => (await orderOf(order.id))?.chargeId === 'ch_grace');

    await publish(Subjects.OrderExpired, { id: order.id, version: 0 });
    await waitFor(async () => {
      const info = await t.bus.jsm.consumers.info(
        EVENTS_STREAM,
        durableName('orders', Subjects.OrderExpired),
      );
      return info.num_redelivered > 0;
    });
    expect((await orderOf(order.id))!.status).toBe(OrderStatus.Created);
    await confirmHold(ticket, order.id);

    await waitFor(async () => (await orderOf(order.id))?.status === OrderStatus.Complete);
    await waitFor(async () => {
      const info = await t.bus.jsm.consumers.info(
        EVENTS_STREAM,
        durableName('orders', Subjects.OrderExpired),
      );
      return info.num_pending === 0 && info.num_ack_pending === 0;
    });
    expect((await orderOf(order.id))!.status).toBe(OrderStatus.Complete);
    expect(await readEvents(t.bus.jsm, 'order.cancelled')).toHaveLength(0);
  });

  it('cancels a paid order whose hold is never confirmed once the expiry has used its grace', async () => {
    const { order } = await placeOrder();
    await publish(Subjects.ChargeSucceeded, {
      id: 'ch_never',
      version: 1,
      orderId: order.id,
      amount: 2000,
    });
    await waitFor(async () => (await orderOf(order.id))?.chargeId === 'ch_never');

    await publish(Subjects.OrderExpired, { id: order.id, version: 0 });

    await waitFor(async () => (await orderOf(order.id))?.status === OrderStatus.Cancelled, 10_000);
    const cancelled = await waitFor(async () => {
      const found = await readEvents(t.bus.jsm, 'order.cancelled');
      return found.length ? found : null;
    });
    expect(cancelled.map((e) => e.data.id)).toEqual([order.id]);
    expect(await listDeadLetters(t.bus.jsm, 'orders')).toEqual([]);
  });

  it('completes once when the same charge event is delivered twice', async () => {
    const { order, ticket } = await placeOrder();
    await confirmHold(ticket, order.id);
    const charge = {
      id: 'ch_1',
      version: 1,
      orderId: order.id,
      amount: 2000,
    };

    await publish(Subjects.ChargeSucceeded, charge);
    await publish(Subjects.ChargeSucceeded, charge);

    await waitFor(async () => (await readEvents(t.bus.jsm, 'order.completed')).length === 1);
    await waitFor(async () => {
      const info = await t.bus.jsm.consumers.info(
        EVENTS_STREAM,
        durableName('orders', Subjects.ChargeSucceeded),
      );
      return info.num_pending === 0 && info.num_ack_pending === 0;
    });
    expect((await orderOf(order.id))!.version).toBe(1);
    expect(await publishedEvents(t, 'order.completed')).toHaveLength(1);
  });

  it('cancels the order when the charge failed', async () => {
    const { order } = await placeOrder();

    await publish(Subjects.ChargeFailed, {
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
    const { order, buyer } = await placeOrder();
    await request(t.url).delete(`/api/orders/${order.id}`).set('Cookie', buyer.cookie).expect(204);

    await publish(Subjects.ChargeSucceeded, {
      id: 'ch_3',
      version: 1,
      orderId: order.id,
      amount: 2000,
    });
    await waitFor(() => drained(Subjects.ChargeSucceeded));

    expect((await orderOf(order.id))!.status).toBe(OrderStatus.Cancelled);
    expect(await readEvents(t.bus.jsm, 'order.completed')).toHaveLength(0);
  });
});

describe('charge.refunded listener', () => {
  it('records the refund on the order, once', async () => {
    const { order, buyer } = await placeOrder();
    await request(t.url).delete(`/api/orders/${order.id}`).set('Cookie', buyer.cookie).expect(204);
    const refund = {
      id: 'ch_3',
      version: 2,
      orderId: order.id,
      amount: 2000,
      stripeRefundId: 're_1',
    };

    await publish(Subjects.ChargeRefunded, refund);
    await waitFor(async () => (await orderOf(order.id))?.refund);
    // A second refund event for the same order (a replay with another refund id) changes nothing:
    // the first one recorded stays.
    await publish(Subjects.ChargeRefunded, { ...refund, stripeRefundId: 're_other' });
    await waitFor(() => drained(Subjects.ChargeRefunded));

    expect((await orderOf(order.id))!.refund).toEqual(
      expect.objectContaining({ chargeId: 'ch_3', amount: 2000, stripeRefundId: 're_1' }),
    );
    const res = await request(t.url).get(`/api/orders/${order.id}`).set('Cookie', buyer.cookie);
    expect(res.body).toEqual(
      expect.objectContaining({ status: OrderStatus.Cancelled, refunded: true }),
    );
  });
});
