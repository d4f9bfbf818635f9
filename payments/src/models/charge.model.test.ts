/**
 * The Charge's writes, on the real embedded engine: each transition is legal from one state only, is
 * guarded by the version read, and stores the event its builder makes; the bookkeeping writes (lease,
 * refund mark) change no version.
 */
import { describe, expect, it } from '@jest/globals';
import mongoose from 'mongoose';
import { ChargeStatus, type EventSubject } from '@ticketing/common';
import { publishedEvents, useService } from '@ticketing/common/testing';
import { readConfig } from '../config';
import { definePaymentsService } from '../service';
import { useRecordingGateway } from '../test/recording-gateway';
import {
  Charge,
  FailureReason,
  changeCharge,
  completeCharge,
  failCharge,
  insertPendingCharge,
  markChargeRefundDue,
  markChargeRefunded,
  takeChargeLease,
  toChargeFailedEvent,
  toChargeRefundedEvent,
} from './charge.model';

// No background sweep: nothing but the test writes these charges.
const t = useService(definePaymentsService, {
  readConfig,
  tuning: { gateway: useRecordingGateway(), recovery: false },
});

/** A charge as a payment claims it: pending, holding the slot, leased for a minute. */
function pendingCharge(lockedUntil = new Date(Date.now() + 60_000)) {
  return insertPendingCharge({
    orderId: new mongoose.Types.ObjectId().toHexString(),
    amount: 2000,
    attempt: 1,
    token: 'tok_visa',
    lockedUntil,
  });
}

/** The charge read fresh, as a hydrated document a transition takes. */
async function load(id: mongoose.Types.ObjectId) {
  const charge = await Charge.findById(id);
  if (!charge) throw new Error(`no charge ${String(id)}`);
  return charge;
}

/** The data of every event published on `subject`. */
async function eventData<S extends EventSubject>(subject: S) {
  return (await publishedEvents(t, subject)).map((e) => e.data);
}

/** Which of `fields` the stored charge still has (a settled charge keeps none of its pending ones). */
function kept(charge: object | null, fields: string[]): string[] {
  return fields.filter((field) => charge !== null && field in charge);
}

/** What every event of this charge carries (its id, version, order, amount), with the event's own fields. */
function payload(charge: { _id: unknown; orderId: string }, version: number, own: object) {
  return { id: String(charge._id), version, orderId: charge.orderId, amount: 2000, ...own };
}

async function completedCharge() {
  const { _id } = await pendingCharge();
  await completeCharge(await load(_id), 'ch_1', false);
  return load(_id);
}

describe('Charge transitions', () => {
  it('completes a pending charge with charge.succeeded at version 1, dropping token and lease', async () => {
    const claimed = await pendingCharge();

    const done = await completeCharge(await load(claimed._id), 'ch_1', false);

    expect(done).toBe(true);
    const stored = await Charge.findById(claimed._id).lean();
    expect(stored).toEqual(
      expect.objectContaining({
        status: ChargeStatus.Completed,
        stripeId: 'ch_1',
        active: true,
        version: 1,
      }),
    );
    expect(kept(stored, ['token', 'lockedUntil', 'refundDue'])).toEqual([]);
    expect(await eventData('charge.succeeded')).toEqual([
      payload(claimed, 1, { stripeId: 'ch_1' }),
    ]);
  });

  it('marks a charge completed for a cancelled order as owed a refund', async () => {
    const claimed = await pendingCharge();

    await completeCharge(await load(claimed._id), 'ch_1', true);

    expect((await Charge.findById(claimed._id).lean())!.refundDue).toBe(true);
  });

  it('fails a declined charge with charge.failed, releasing the slot', async () => {
    const claimed = await pendingCharge();

    const done = await failCharge(await load(claimed._id), FailureReason.CardDeclined);

    expect(done).toBe(true);
    const stored = await Charge.findById(claimed._id).lean();
    expect(stored).toEqual(
      expect.objectContaining({
        status: ChargeStatus.Failed,
        failureReason: FailureReason.CardDeclined,
        version: 1,
      }),
    );
    expect(kept(stored, ['active', 'token', 'lockedUntil'])).toEqual([]);
    expect(await eventData('charge.failed')).toEqual([
      payload(claimed, 1, { reason: 'card_declined' }),
    ]);
  });

  it('fails a charge with an unusable token without announcing it', async () => {
    const claimed = await pendingCharge();

    await failCharge(await load(claimed._id), FailureReason.InvalidToken);

    expect((await Charge.findById(claimed._id).lean())!.status).toBe(ChargeStatus.Failed);
    expect(await eventData('charge.failed')).toEqual([]);
  });

  it('records the refund of a completed charge with charge.refunded at version 2', async () => {
    const charge = await completedCharge();
    await markChargeRefundDue(charge._id);

    const done = await markChargeRefunded(await load(charge._id), 're_1');

    expect(done).toBe(true);
    const stored = await Charge.findById(charge._id).lean();
    expect(stored).toEqual(expect.objectContaining({ stripeRefundId: 're_1', version: 2 }));
    expect(kept(stored, ['refundDue'])).toEqual([]);
    expect(await eventData('charge.refunded')).toEqual([
      payload(charge, 2, { stripeRefundId: 're_1' }),
    ]);
  });

  it('refuses to settle a charge that is no longer pending: nothing is written, no event', async () => {
    const charge = await completedCharge();

    const completedAgain = await completeCharge(await load(charge._id), 'ch_2', false);
    const failed = await failCharge(await load(charge._id), FailureReason.CardDeclined);

    expect([completedAgain, failed]).toEqual([false, false]);
    expect(await Charge.findById(charge._id).lean()).toEqual(
      expect.objectContaining({ status: ChargeStatus.Completed, stripeId: 'ch_1', version: 1 }),
    );
    expect(await eventData('charge.failed')).toEqual([]);
    expect(await eventData('charge.succeeded')).toHaveLength(1);
  });

  it('refuses to refund a pending charge, or a refunded one a second time', async () => {
    const pending = await pendingCharge();
    const refunded = await completedCharge();
    await markChargeRefunded(await load(refunded._id), 're_1');

    const pendingRefund = await markChargeRefunded(await load(pending._id), 're_x');
    const secondRefund = await markChargeRefunded(await load(refunded._id), 're_2');

    expect([pendingRefund, secondRefund]).toEqual([false, false]);
    expect((await Charge.findById(pending._id).lean())!.stripeRefundId).toBeUndefined();
    expect((await Charge.findById(refunded._id).lean())!.stripeRefundId).toBe('re_1');
    expect(await eventData('charge.refunded')).toHaveLength(1);
  });

  it('matches nothing from a stale version: the second writer gets VersionError, the first record stands', async () => {
    const claimed = await pendingCharge();
    const first = await load(claimed._id);
    const stale = await load(claimed._id);
    await completeCharge(first, 'ch_first', false);

    const second = completeCharge(stale, 'ch_second', false);

    await expect(second).rejects.toBeInstanceOf(mongoose.Error.VersionError);
    expect(await Charge.findById(claimed._id).lean()).toEqual(
      expect.objectContaining({ stripeId: 'ch_first', version: 1 }),
    );
    expect((await eventData('charge.succeeded')).map((data) => data.stripeId)).toEqual([
      'ch_first',
    ]);
  });

  it('changeCharge decides again on a fresh read when its save lost to another writer', async () => {
    const claimed = await pendingCharge();
    let decisions = 0;

    const record = await changeCharge(claimed._id, async (charge) => {
      decisions += 1;
      // Another process records the charge between this read and this save.
      if (decisions === 1) await completeCharge(await load(claimed._id), 'ch_other', false);
      return failCharge(charge, FailureReason.CardDeclined);
    });

    expect(decisions).toBe(2);
    expect(record).toEqual(
      expect.objectContaining({ status: ChargeStatus.Completed, stripeId: 'ch_other', version: 1 }),
    );
    expect(await eventData('charge.failed')).toEqual([]);
  });

  it('answers null for a charge that does not exist', async () => {
    const missing = await changeCharge(new mongoose.Types.ObjectId(), async () => undefined);

    expect(missing).toBeNull();
  });
});

describe('Charge bookkeeping writes', () => {
  it('gives an expired lease to one taker only, and never a live one', async () => {
    const now = new Date();
    const expired = await pendingCharge(new Date(now.getTime() - 1_000));
    const live = await pendingCharge(new Date(now.getTime() + 60_000));
    const until = new Date(now.getTime() + 60_000);

    const takers = await Promise.all([
      takeChargeLease(expired._id, now, until),
      takeChargeLease(expired._id, now, until),
    ]);
    const liveTaken = await takeChargeLease(live._id, now, until);

    expect(takers.filter(Boolean)).toHaveLength(1);
    expect(liveTaken).toBe(false);
    expect((await Charge.findById(expired._id).lean())!.version).toBe(0);
  });

  it('marks a refund owed only on a charge not refunded yet, without a new version', async () => {
    const owed = await completedCharge();
    const refunded = await completedCharge();
    await markChargeRefunded(await load(refunded._id), 're_1');

    await markChargeRefundDue(owed._id);
    await markChargeRefundDue(refunded._id);

    expect(await Charge.findById(owed._id).lean()).toEqual(
      expect.objectContaining({ refundDue: true, version: 1 }),
    );
    expect((await Charge.findById(refunded._id).lean())!.refundDue).toBeUndefined();
  });
});

describe('charge event builders', () => {
  it('refuse a charge.failed for a charge that was not declined, and a charge.refunded without a refund', () => {
    const charge = {
      _id: new mongoose.Types.ObjectId(),
      orderId: 'o',
      amount: 100,
      failureReason: FailureReason.InvalidToken,
    };

    expect(() => toChargeFailedEvent(charge, 1)).toThrow(/not declined/);
    expect(() => toChargeRefundedEvent(charge, 2)).toThrow(/no refund/);
  });
});
