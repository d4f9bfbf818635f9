/**
 * Component tests of POST /api/payments: the answers, the stored charges and the events published, over
 * the sandbox gateway (declines, retries, concurrent payments, an unreachable provider).
 */
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import mongoose from 'mongoose';
import { ChargeStatus, OrderStatus, Subjects } from '@ticketing/common';
import {
  buildUser,
  publishedEvents,
  readEvents,
  useService,
  waitFor,
  type TestUser,
} from '@ticketing/common/testing';
import { readConfig } from '../config';
import { definePaymentsService } from '../service';
import { Charge } from '../models/charge.model';
import { buildOrder, orderCreatedData } from '../test/factories';
import { useRecordingGateway } from '../test/recording-gateway';

const gateway = useRecordingGateway();
const t = useService(definePaymentsService, {
  readConfig,
  // No background sweep: the tests that leave a charge pending assert it stays so. A short wait for an
  // order still on its way, so the 503 comes quickly.
  tuning: { gateway, recovery: false, orderWaitMs: 100 },
});

function pay(user: TestUser | null, body: Record<string, unknown>) {
  const req = request(t.url).post('/api/payments');
  if (user) req.set('Cookie', user.cookie);
  return req.send(body);
}

/** An open order of a fresh buyer. */
async function openOrder(price = 20) {
  const buyer = buildUser();
  const order = await buildOrder({ userId: buyer.id, price });
  return { buyer, order };
}

const chargesOf = (orderId: string) => Charge.find({ orderId }).sort({ attempt: 1 }).lean();

async function publishedCharges(subject: 'charge.succeeded' | 'charge.failed') {
  return waitFor(async () => {
    const events = await readEvents(t.bus.jsm, subject);
    return events.length ? events : null;
  });
}

describe('POST /api/payments', () => {
  it("charges the order's total (ask $12.34 + fee $2.73) in integer cents and answers 201 with the charge", async () => {
    const { buyer, order } = await openOrder(12.34);

    const res = await pay(buyer, { orderId: order.id, token: 'tok_visa' });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      orderId: order.id,
      status: ChargeStatus.Completed,
      amount: 1507,
      currency: 'usd',
      stripeId: expect.stringMatching(/^ch_sandbox_/),
    });
    const [stored] = await chargesOf(order.id);
    expect(stored).toEqual(
      expect.objectContaining({
        status: ChargeStatus.Completed,
        amount: 1507,
        stripeId: res.body.stripeId,
        active: true,
        attempt: 1,
        version: 1,
      }),
    );
    expect(stored!.token).toBeUndefined();
    expect(gateway.charges).toEqual([
      {
        amount: 1507,
        currency: 'usd',
        token: 'tok_visa',
        idempotencyKey: order.id,
        description: `Ticketing order ${order.id}`,
      },
    ]);
  });

  it('publishes charge.succeeded with the completed charge', async () => {
    const { buyer, order } = await openOrder(45.5);

    const res = await pay(buyer, { orderId: order.id, token: 'tok_visa' }).expect(201);

    const events = await publishedCharges('charge.succeeded');
    expect(events.map((e) => e.data)).toEqual([
      {
        id: res.body.id,
        version: 1,
        orderId: order.id,
        amount: 5155,
        stripeId: res.body.stripeId,
      },
    ]);
  });

  it('refuses a signed-out caller with 401 and charges nothing', async () => {
    const { order } = await openOrder();

    const res = await pay(null, { orderId: order.id, token: 'tok_visa' });

    expect(res.status).toBe(401);
    expect(await Charge.countDocuments()).toBe(0);
    expect(gateway.charges).toHaveLength(0);
  });

  it("refuses another user's order with 401 and charges nothing", async () => {
    const { order } = await openOrder();

    const res = await pay(buildUser(), { orderId: order.id, token: 'tok_visa' });

    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: [{ message: 'Not authorized' }] });
    expect(await Charge.countDocuments()).toBe(0);
  });

  it('answers 404 for an order it does not know', async () => {
    const res = await pay(buildUser(), {
      orderId: new mongoose.Types.ObjectId().toHexString(),
      token: 'tok_visa',
    });

    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errors: [{ message: 'Order not found' }] });
  });

  it('answers 503 with Retry-After for a missing order while order.created events are still pending', async () => {
    // The order.created consumer exists but is not running: what it has not handed over is pending.
    await t.startListeners({}, ['order.created']);
    await t.stopListeners();
    await t.ctx.publisher.publish(Subjects.OrderCreated, orderCreatedData(), 'pending-order');

    const res = await request(t.url)
      .post('/api/payments')
      .set('Cookie', buildUser().cookie)
      .send({ orderId: new mongoose.Types.ObjectId().toHexString(), token: 'tok_visa' });

    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body.errors[0].message).toMatch(/has not reached the payment service yet/);
  });

  it.each([
    ['a malformed id', { orderId: 'abc', token: 'tok_visa' }],
    ['a missing id', { token: 'tok_visa' }],
    ['a numeric id', { orderId: 12, token: 'tok_visa' }],
    ['an operator object', { orderId: { $gt: '' }, token: 'tok_visa' }],
  ])('refuses %s with 400 on orderId', async (_name, body) => {
    const res = await pay(buildUser(), body);

    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [{ message: 'orderId must be a valid id', field: 'orderId' }],
    });
  });

  it.each([
    ['a missing token', {}],
    ['an empty token', { token: '' }],
    ['a blank token', { token: '   ' }],
    ['a numeric token', { token: 12 }],
    ['an overlong token', { token: 'x'.repeat(256) }],
  ])('refuses %s with 400 on token, charging nothing', async (_name, body) => {
    const { buyer, order } = await openOrder();

    const res = await pay(buyer, { orderId: order.id, ...body });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [{ message: 'token must be a card token', field: 'token' }],
    });
    expect(await Charge.countDocuments()).toBe(0);
  });

  it('reports a bad id and a missing token together', async () => {
    const res = await pay(buildUser(), { orderId: 'abc' });

    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['orderId', 'token']);
  });

  it('refuses a cancelled order with 400 and never calls the gateway', async () => {
    const buyer = buildUser();
    const order = await buildOrder({ userId: buyer.id, status: OrderStatus.Cancelled, version: 1 });

    const res = await pay(buyer, { orderId: order.id, token: 'tok_visa' });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: 'Order is cancelled', field: 'orderId' }] });
    expect(gateway.charges).toHaveLength(0);
    expect(await Charge.countDocuments()).toBe(0);
  });

  it('refuses an order whose hold has expired, even while the replica still says created', async () => {
    const buyer = buildUser();
    const order = await buildOrder({
      userId: buyer.id,
      status: OrderStatus.Created,
      expiresAt: new Date(Date.now() - 1_000),
    });

    const res = await pay(buyer, { orderId: order.id, token: 'tok_visa' });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: 'Order has expired', field: 'orderId' }] });
    expect(gateway.charges).toHaveLength(0);
  });

  it('refuses to pay an order twice', async () => {
    const { buyer, order } = await openOrder();
    await pay(buyer, { orderId: order.id, token: 'tok_visa' }).expect(201);

    const res = await pay(buyer, { orderId: order.id, token: 'tok_visa' });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [{ message: 'Order has already been paid', field: 'orderId' }],
    });
    expect(gateway.charges).toHaveLength(1);
    expect(await Charge.countDocuments({ orderId: order.id })).toBe(1);
  });

  it('stores a declined charge as failed, answers 400 and publishes charge.failed', async () => {
    const { buyer, order } = await openOrder(20);

    const res = await pay(buyer, { orderId: order.id, token: 'tok_chargeDeclined' });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: 'Your card was declined', field: 'token' }] });
    const [stored] = await chargesOf(order.id);
    expect(stored).toEqual(
      expect.objectContaining({ status: ChargeStatus.Failed, failureReason: 'card_declined' }),
    );
    expect(stored!.active).toBeUndefined();
    expect(stored!.token).toBeUndefined();
    const events = await publishedCharges('charge.failed');
    expect(events.map((e) => e.data)).toEqual([
      {
        id: String(stored!._id),
        version: 1,
        orderId: order.id,
        reason: 'card_declined',
        amount: 2350,
      },
    ]);
  });

  it('refuses a token the gateway does not know with 400, completing and announcing nothing', async () => {
    const { buyer, order } = await openOrder();

    const res = await pay(buyer, { orderId: order.id, token: 'tok_nonsense' });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [{ message: 'The card token is not valid', field: 'token' }],
    });
    const stored = await chargesOf(order.id);
    expect(stored.map((c) => [c.status, c.failureReason])).toEqual([
      [ChargeStatus.Failed, 'invalid_token'],
    ]);
    expect(await publishedEvents(t, 'charge.failed')).toHaveLength(0);
  });

  it('lets the buyer pay with another card after a decline, under a new idempotency key', async () => {
    const { buyer, order } = await openOrder();
    await pay(buyer, { orderId: order.id, token: 'tok_chargeDeclined' }).expect(400);

    const res = await pay(buyer, { orderId: order.id, token: 'tok_visa' });

    expect(res.status).toBe(201);
    expect(gateway.charges.map((c) => c.idempotencyKey)).toEqual([order.id, `${order.id}:2`]);
    const stored = await chargesOf(order.id);
    expect(stored.map((c) => [c.attempt, c.status])).toEqual([
      [1, ChargeStatus.Failed],
      [2, ChargeStatus.Completed],
    ]);
    await publishedCharges('charge.succeeded');
    expect(await readEvents(t.bus.jsm, 'charge.failed')).toHaveLength(1);
    expect(await readEvents(t.bus.jsm, 'charge.succeeded')).toHaveLength(1);
  });

  it('charges exactly once when five payments for one order arrive at the same time', async () => {
    const { buyer, order } = await openOrder();

    const responses = await Promise.all(
      Array.from({ length: 5 }, () => pay(buyer, { orderId: order.id, token: 'tok_visa' })),
    );

    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(4);
    for (const res of responses.filter((r) => r.status === 400)) {
      expect(['Order has already been paid', 'A payment for this order is in progress']).toContain(
        res.body.errors[0].message,
      );
    }
    expect(gateway.charges).toHaveLength(1);
    expect(await Charge.countDocuments({ orderId: order.id })).toBe(1);
    expect(await publishedEvents(t, 'charge.succeeded')).toHaveLength(1);
  });

  it('has the database refuse a second in-progress or completed charge for one order', async () => {
    const { order } = await openOrder();
    const charge = {
      orderId: order.id,
      status: ChargeStatus.Created,
      amount: 2350,
      currency: 'usd',
      active: true,
    };
    await Charge.create({ ...charge, attempt: 1 });

    await expect(Charge.create({ ...charge, attempt: 2 })).rejects.toMatchObject({ code: 11000 });
  });

  describe('when the payment provider cannot be reached', () => {
    it('answers 503 and keeps the charge pending with its card, its slot held', async () => {
      const { buyer, order } = await openOrder();
      gateway.failNextCall();

      const res = await pay(buyer, { orderId: order.id, token: 'tok_visa' });

      expect(res.status).toBe(503);
      expect(res.body.errors[0].message).toMatch(/could not be reached/);
      const [stored] = await chargesOf(order.id);
      expect(stored).toEqual(
        expect.objectContaining({ status: ChargeStatus.Created, active: true, token: 'tok_visa' }),
      );
      expect(stored!.lockedUntil!.getTime()).toBeLessThanOrEqual(Date.now());
      expect(await publishedEvents(t, 'charge.succeeded')).toHaveLength(0);
    });

    it("re-issues the same request (same key, same card) on the buyer's retry, charging once", async () => {
      const { buyer, order } = await openOrder();
      gateway.failNextCall();
      await pay(buyer, { orderId: order.id, token: 'tok_visa' }).expect(503);

      // Whatever card the retry names, the interrupted attempt is finished first, as it was made.
      const res = await pay(buyer, { orderId: order.id, token: 'tok_chargeDeclined' });

      expect(res.status).toBe(201);
      expect(gateway.charges.map((c) => [c.idempotencyKey, c.token])).toEqual([
        [order.id, 'tok_visa'],
        [order.id, 'tok_visa'],
      ]);
      const stored = await chargesOf(order.id);
      expect(stored.map((c) => c.status)).toEqual([ChargeStatus.Completed]);
      expect(stored[0]!.token).toBeUndefined();
      expect(await publishedEvents(t, 'charge.succeeded')).toHaveLength(1);
    });
  });
});
