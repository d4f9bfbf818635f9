/**
 * Component tests of the recovery sweep: pending charges re-issued under their key, refunds still owed
 * paid once, live leases left alone.
 */
import { describe, expect, it } from '@jest/globals';
import { ChargeStatus, OrderStatus, createLogger } from '@ticketing/common';
import { publishedEvents, useService, waitFor } from '@ticketing/common/testing';
import { readConfig } from '../config';
import { definePaymentsService } from '../service';
import { Charge } from '../models/charge.model';
import { buildOrder } from '../test/factories';
import { useRecordingGateway } from '../test/recording-gateway';
import { CHARGE_LEASE_MS, PaymentProcessor } from './payment-processor';
import { ChargeRecovery } from './charge-recovery';

const gateway = useRecordingGateway();
// The service's own sweep is off: each test runs the sweep it is about.
const t = useService(definePaymentsService, { readConfig, tuning: { gateway, recovery: false } });
const logger = createLogger('payments', process.env.LOG_LEVEL ?? 'silent');
const recovery = () => new ChargeRecovery(new PaymentProcessor(gateway, logger), logger);

/** A charge as a process leaves it when it dies between claiming the slot and recording the outcome. */
async function pendingCharge(orderId: string, overrides: Record<string, unknown> = {}) {
  return Charge.create({
    orderId,
    status: ChargeStatus.Created,
    amount: 2000,
    currency: 'usd',
    active: true,
    attempt: 1,
    token: 'tok_visa',
    lockedUntil: new Date(Date.now() - 1_000),
    ...overrides,
  });
}

describe('charge recovery sweep', () => {
  it('records a charge a crashed process had already made, re-issuing it under its key without charging twice', async () => {
    const order = await buildOrder();
    const charge = await pendingCharge(order.id);
    // What the crashed process had done: the processor took the money, nothing was recorded.
    const made = await gateway.charge({
      amount: 2000,
      currency: 'usd',
      token: 'tok_visa',
      idempotencyKey: order.id,
      description: `Ticketing order ${order.id}`,
    });

    const result = await recovery().runOnce();

    expect(result).toEqual({ settled: 1, refunded: 0 });
    const stored = await Charge.findById(charge.id).lean();
    expect(stored).toEqual(
      expect.objectContaining({ status: ChargeStatus.Completed, stripeId: made.id }),
    );
    expect(stored!.token).toBeUndefined();
    expect(gateway.charges.map((c) => c.idempotencyKey)).toEqual([order.id, order.id]);
    expect((await publishedEvents(t, 'charge.succeeded')).map((e) => e.data)).toEqual([
      expect.objectContaining({ id: charge.id, stripeId: made.id }),
    ]);
  });

  it('settles a pending charge as declined when that is what the processor answers', async () => {
    const order = await buildOrder();
    const charge = await pendingCharge(order.id, { token: 'tok_chargeDeclined' });

    await recovery().runOnce();

    const stored = await Charge.findById(charge.id).lean();
    expect(stored).toEqual(expect.objectContaining({ status: ChargeStatus.Failed }));
    expect(stored!.active).toBeUndefined();
    expect((await publishedEvents(t, 'charge.failed')).map((e) => e.data.reason)).toEqual([
      'card_declined',
    ]);
  });

  it('leaves a pending charge alone while the process that claimed it still holds its lease', async () => {
    const order = await buildOrder();
    const charge = await pendingCharge(order.id, {
      lockedUntil: new Date(Date.now() + CHARGE_LEASE_MS),
    });

    const result = await recovery().runOnce();

    expect(result).toEqual({ settled: 0, refunded: 0 });
    expect((await Charge.findById(charge.id).lean())!.status).toBe(ChargeStatus.Created);
    expect(gateway.charges).toHaveLength(0);
  });

  it('keeps a charge pending while the processor is still unreachable', async () => {
    const order = await buildOrder();
    const charge = await pendingCharge(order.id);
    gateway.failNextCall();

    const result = await recovery().runOnce();

    expect(result).toEqual({ settled: 0, refunded: 0 });
    const stored = await Charge.findById(charge.id).lean();
    expect(stored).toEqual(
      expect.objectContaining({ status: ChargeStatus.Created, token: 'tok_visa', active: true }),
    );
  });

  it('refunds a recovered charge whose order was cancelled meanwhile', async () => {
    const order = await buildOrder({ status: OrderStatus.Cancelled, version: 1 });
    const charge = await pendingCharge(order.id);

    const result = await recovery().runOnce();

    expect(result.settled).toBe(1);
    const stored = await Charge.findById(charge.id).lean();
    expect(stored).toEqual(
      expect.objectContaining({
        status: ChargeStatus.Completed,
        stripeRefundId: expect.stringMatching(/^re_sandbox_/),
      }),
    );
    expect(await publishedEvents(t, 'charge.refunded')).toHaveLength(1);
  });

  it('pays a refund that is still owed, once', async () => {
    const order = await buildOrder({ status: OrderStatus.Cancelled, version: 1 });
    const charge = await Charge.create({
      orderId: order.id,
      status: ChargeStatus.Completed,
      amount: 2000,
      currency: 'usd',
      active: true,
      attempt: 1,
      stripeId: 'ch_sandbox_paid',
      refundDue: true,
    });
    const later = new Date(Date.now() + 2 * CHARGE_LEASE_MS);

    const first = await recovery().runOnce(later);
    const second = await recovery().runOnce(later);

    expect(first).toEqual({ settled: 0, refunded: 1 });
    expect(second).toEqual({ settled: 0, refunded: 0 });
    expect(gateway.refunds).toEqual([
      { chargeId: 'ch_sandbox_paid', idempotencyKey: `refund:${order.id}` },
    ]);
    expect((await Charge.findById(charge.id).lean())!.stripeRefundId).toMatch(/^re_sandbox_/);
    expect(await publishedEvents(t, 'charge.refunded')).toHaveLength(1);
  });

  it('sweeps once as soon as it starts', async () => {
    const order = await buildOrder();
    const charge = await pendingCharge(order.id);
    const sweeper = recovery();

    sweeper.start();
    try {
      await waitFor(
        async () => (await Charge.findById(charge.id).lean())?.status === ChargeStatus.Completed,
      );
    } finally {
      await sweeper.stop();
    }

    expect(gateway.charges).toHaveLength(1);
  });

  it('ignores a charge that is already settled', async () => {
    const order = await buildOrder();
    await Charge.create({
      orderId: order.id,
      status: ChargeStatus.Failed,
      amount: 2000,
      currency: 'usd',
      attempt: 1,
    });

    const result = await recovery().runOnce(new Date(Date.now() + 2 * CHARGE_LEASE_MS));

    expect(result).toEqual({ settled: 0, refunded: 0 });
    expect(gateway.charges).toHaveLength(0);
  });
});
