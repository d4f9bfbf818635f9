/**
 * Sellers' payouts over the real engine and JetStream: recorded once per complete order (redeliveries and
 * concurrent deliveries included), paid once when due (racing schedulers, a crash between the transfer and
 * its record, an outage), held for an account where the processor needs one; and the seller's routes.
 */
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import {
  DEFAULT_FEES,
  EVENTS_STREAM,
  PayoutStatus,
  Subjects,
  createLogger,
  type EventSubject,
} from '@ticketing/common';
import {
  buildUser,
  durableName,
  publishedEvents,
  sessionCookie,
  useService,
  waitFor,
} from '@ticketing/common/testing';
import { readConfig } from '../config';
import { definePaymentsService } from '../service';
import { Payout, type PayoutRecord } from '../models/payout.model';
import { buildOrder } from '../test/factories';
import { useRecordingGateway } from '../test/recording-gateway';
import { NO_PAYOUT_ACCOUNT, PayoutScheduler, recordPayout } from './payouts';

const gateway = useRecordingGateway();
const logger = createLogger('payments', process.env.LOG_LEVEL ?? 'silent');
// No background sweeps: each test runs the scheduler itself, at the instants it chooses.
const t = useService(definePaymentsService, {
  readConfig,
  tuning: { gateway, recovery: false, payouts: false },
});
const terms = { fees: DEFAULT_FEES, delayHours: 24 };
const HOUR = 3_600_000;
let seq = 0;

/** A complete order of a $40 ticket whose event starts at `startsAt`, with its payout recorded. */
async function soldTicket(startsAt = new Date(Date.now() - 25 * HOUR), price = 40) {
  const order = await buildOrder({ price });
  await Payout.db
    .collection('orders')
    .updateOne(
      { _id: new Payout.base.Types.ObjectId(order.id) },
      { $set: { 'ticket.event.startsAt': startsAt } },
    );
  expect(await recordPayout(order.id, terms)).toBe('recorded');
  const payout = await Payout.findOne({ orderId: order.id }).lean<PayoutRecord>();
  return { order, payout: payout! };
}

/** The session of the seller with this id. */
const sellerSession = (id: string) => ({
  id,
  cookie: sessionCookie({ id, email: 'seller@example.com' }),
});

const stored = (orderId: string) => Payout.findOne({ orderId }).lean<PayoutRecord>();
const scheduler = (options = {}) => new PayoutScheduler(gateway, logger, options);

async function consumerSettled(subject: EventSubject) {
  await waitFor(async () => {
    const info = await t.bus.jsm.consumers.info(EVENTS_STREAM, durableName('payments', subject));
    return info.num_pending === 0 && info.num_ack_pending === 0 && info.delivered.stream_seq > 0;
  });
}

describe('recording a payout when an order completes', () => {
  it('records ask − 5 % for a $40 sale, pending, due 24 h after the event starts, with payout.created', async () => {
    const startsAt = new Date(Date.now() + 7 * 24 * HOUR);
    const { order, payout } = await soldTicket(startsAt);

    expect(payout).toEqual(
      expect.objectContaining({
        orderId: order.id,
        ticketId: order.ticket.id,
        userId: order.ticket.userId,
        title: order.ticket.title,
        price: 40,
        fee: 2,
        amount: 38,
        status: PayoutStatus.Pending,
        availableAt: new Date(startsAt.getTime() + 24 * HOUR),
        version: 0,
      }),
    );
    expect((await publishedEvents(t, 'payout.created')).map((e) => e.data)).toEqual([
      {
        id: String(payout._id),
        version: 0,
        orderId: order.id,
        ticketId: order.ticket.id,
        userId: order.ticket.userId,
        amount: 38,
        availableAt: new Date(startsAt.getTime() + 24 * HOUR).toISOString(),
      },
    ]);
  });

  it('records one payout for 10 deliveries of the same order.completed at once, and acks them all', async () => {
    const order = await buildOrder({ price: 19.99 });
    await t.startListeners();

    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.ctx.publisher.publish(
          Subjects.OrderCompleted,
          { id: order.id, version: 2, ticket: { id: order.ticket.id } },
          `completed-${++seq}-${i}`,
        ),
      ),
    );
    await consumerSettled(Subjects.OrderCompleted);

    const payouts = await Payout.find({ orderId: order.id }).lean();
    expect(payouts).toHaveLength(1);
    expect(payouts[0]).toEqual(expect.objectContaining({ price: 19.99, fee: 1, amount: 18.99 }));
    expect(await publishedEvents(t, 'payout.created')).toHaveLength(1);
  });

  it('asks for the event again while the order is not in the replica', async () => {
    expect(await recordPayout(new Payout.base.Types.ObjectId().toHexString(), terms)).toBe('retry');
  });
});

describe('paying payouts when due', () => {
  it('pays a due payout once: a transfer of the amount in cents keyed by the payout id, and payout.paid', async () => {
    const { order, payout } = await soldTicket();

    expect(await scheduler().runOnce()).toBe(1);
    expect(await scheduler().runOnce()).toBe(0);

    const paid = await stored(order.id);
    expect(paid).toEqual(
      expect.objectContaining({
        status: PayoutStatus.Paid,
        transferId: expect.stringMatching(/^tr_sandbox_/),
        paidAt: expect.any(Date),
        version: 1,
      }),
    );
    expect(paid!.nextAttemptAt).toBeUndefined();
    expect(gateway.transfers).toEqual([
      {
        amount: 3800,
        currency: 'usd',
        idempotencyKey: String(payout._id),
        description: `Ticketing payout for order ${order.id}`,
      },
    ]);
    expect((await publishedEvents(t, 'payout.paid')).map((e) => e.data)).toEqual([
      expect.objectContaining({ id: String(payout._id), version: 1, transferId: paid!.transferId }),
    ]);
  });

  it('leaves a payout that is not due yet', async () => {
    const { order } = await soldTicket(new Date(Date.now() - 23 * HOUR));

    expect(await scheduler().runOnce()).toBe(0);

    expect((await stored(order.id))!.status).toBe(PayoutStatus.Pending);
    expect(gateway.transfers).toEqual([]);
  });

  it('pays each of 20 due payouts exactly once while three schedulers (replicas) sweep at once', async () => {
    const sold = await Promise.all(Array.from({ length: 20 }, () => soldTicket()));

    const runs = await Promise.all([scheduler(), scheduler(), scheduler()].map((s) => s.runOnce()));

    expect(runs.reduce((a, b) => a + b, 0)).toBe(20);
    expect(new Set(gateway.transfers.map((r) => r.idempotencyKey)).size).toBe(20);
    expect(gateway.transfers).toHaveLength(20);
    const payouts = await Payout.find({ orderId: { $in: sold.map((s) => s.order.id) } }).lean();
    expect(payouts.map((p) => [p.status, p.version])).toEqual(
      Array.from({ length: 20 }, () => [PayoutStatus.Paid, 1]),
    );
    expect(await publishedEvents(t, 'payout.paid')).toHaveLength(20);
  });

  it('after a crash between the transfer and its record, pays again under the same key: one transfer, recorded once', async () => {
    const { order, payout } = await soldTicket();
    // What the dead payer had done: taken the lease, made the transfer, recorded nothing.
    const now = new Date();
    await Payout.updateOne(
      { _id: payout._id },
      { $set: { nextAttemptAt: new Date(now.getTime() + 60_000) } },
    );
    const made = await gateway.transfer({
      amount: 3800,
      currency: 'usd',
      idempotencyKey: String(payout._id),
      description: 'the crashed attempt',
    });

    expect(await scheduler().runOnce(now)).toBe(0);
    expect(await scheduler().runOnce(new Date(now.getTime() + 61_000))).toBe(1);

    expect(await stored(order.id)).toEqual(
      expect.objectContaining({ status: PayoutStatus.Paid, transferId: made.id, version: 1 }),
    );
    expect(gateway.transfers.map((r) => r.idempotencyKey)).toEqual([
      String(payout._id),
      String(payout._id),
    ]);
  });

  it('keeps a payout pending when the processor cannot be reached, and pays it once the lease runs out', async () => {
    const { order } = await soldTicket();
    gateway.failNextCall();
    const now = new Date();

    expect(await scheduler({ leaseMs: 5_000 }).runOnce(now)).toBe(0);
    expect((await stored(order.id))!.status).toBe(PayoutStatus.Pending);
    expect(await scheduler({ leaseMs: 5_000 }).runOnce(new Date(now.getTime() + 1_000))).toBe(0);
    expect(await scheduler({ leaseMs: 5_000 }).runOnce(new Date(now.getTime() + 6_000))).toBe(1);

    expect((await stored(order.id))!.status).toBe(PayoutStatus.Paid);
  });

  it('with a processor that needs an account: holds the payout with a reason, and pays it to the account once connected', async () => {
    gateway.needsPayoutAccount = true;
    const { order } = await soldTicket();
    const seller = sellerSession(order.ticket.userId);

    expect(await scheduler().runOnce()).toBe(0);
    expect(await stored(order.id)).toEqual(
      expect.objectContaining({ status: PayoutStatus.Pending, reason: NO_PAYOUT_ACCOUNT }),
    );
    const listed = await request(t.url).get('/api/payments/payouts').set('Cookie', seller.cookie);
    expect(listed.body.payouts[0].reason).toBe(NO_PAYOUT_ACCOUNT);

    await request(t.url)
      .put('/api/payments/account')
      .set('Cookie', seller.cookie)
      .send({ stripeAccountId: 'acct_1Nv0FGQ9RKHgCVdK' })
      .expect(200, { stripeAccountId: 'acct_1Nv0FGQ9RKHgCVdK' });
    expect(await scheduler().runOnce()).toBe(1);

    expect(gateway.transfers.map((r) => r.destination)).toEqual(['acct_1Nv0FGQ9RKHgCVdK']);
    const paid = await stored(order.id);
    expect(paid).toEqual(expect.objectContaining({ status: PayoutStatus.Paid }));
    expect(paid!.reason).toBeUndefined();
  });
});

describe('GET /api/payments/payouts and the payout account', () => {
  it("lists the seller's payouts newest first with exact pending and paid totals, and no one else's", async () => {
    const first = await soldTicket(new Date(Date.now() - 25 * HOUR), 19.99);
    const sellerId = first.order.ticket.userId;
    await scheduler().runOnce();
    const second = await soldTicket(new Date(Date.now() + HOUR), 40);
    const third = await soldTicket(new Date(Date.now() + HOUR), 0.5);
    await Payout.updateMany(
      { _id: { $in: [second.payout._id, third.payout._id] } },
      { $set: { userId: sellerId } },
    );
    await soldTicket(); // another seller's
    const seller = sellerSession(sellerId);

    const res = await request(t.url).get('/api/payments/payouts').set('Cookie', seller.cookie);

    expect(res.status).toBe(200);
    expect(res.body.totals).toEqual({ pending: 38.47, paid: 18.99 });
    expect(res.body.payouts.map((p: { orderId: string }) => p.orderId)).toEqual([
      third.order.id,
      second.order.id,
      first.order.id,
    ]);
    expect(res.body.payouts[2]).toEqual({
      id: String(first.payout._id),
      orderId: first.order.id,
      ticketId: first.order.ticket.id,
      title: 'Concert',
      event: {
        name: 'Concert',
        startsAt: expect.any(String),
        timeZone: 'America/Chicago',
      },
      price: 19.99,
      fee: 1,
      amount: 18.99,
      status: 'paid',
      availableAt: first.payout.availableAt.toISOString(),
      createdAt: expect.any(String),
      paidAt: expect.any(String),
      transferId: expect.stringMatching(/^tr_sandbox_/),
    });
  });

  it('answers an empty list with zero totals, and 401 when signed out', async () => {
    await request(t.url)
      .get('/api/payments/payouts')
      .set('Cookie', buildUser().cookie)
      .expect(200, { payouts: [], totals: { pending: 0, paid: 0 } });
    await request(t.url).get('/api/payments/payouts').expect(401);
    await request(t.url).get('/api/payments/account').expect(401);
    await request(t.url)
      .put('/api/payments/account')
      .send({ stripeAccountId: 'acct_1' })
      .expect(401);
  });

  it('keeps one account per seller, replaced by the last PUT, and refuses what is not an account id', async () => {
    const seller = buildUser();
    const put = (body: unknown) =>
      request(t.url)
        .put('/api/payments/account')
        .set('Cookie', seller.cookie)
        .send(body as object);

    await request(t.url)
      .get('/api/payments/account')
      .set('Cookie', seller.cookie)
      .expect(200, { stripeAccountId: null });
    await Promise.all([put({ stripeAccountId: 'acct_A1' }), put({ stripeAccountId: 'acct_A1' })]);
    await put({ stripeAccountId: 'acct_B2' }).expect(200);
    for (const bad of [
      {},
      { stripeAccountId: 42 },
      { stripeAccountId: 'ba_123' },
      { stripeAccountId: 'acct_' },
    ]) {
      const res = await put(bad);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('stripeAccountId');
    }

    await request(t.url)
      .get('/api/payments/account')
      .set('Cookie', seller.cookie)
      .expect(200, { stripeAccountId: 'acct_B2' });
    expect(await Payout.db.collection('payoutaccounts').countDocuments({ userId: seller.id })).toBe(
      1,
    );
  });
});
