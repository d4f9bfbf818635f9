/**
 * The Charge: one attempt to take the money for an order. Its schema and indexes, the shapes built from it
 * (API JSON, one builder per event), and every write it can go through, named: the domain never builds an
 * update of a charge itself. Life: inserted `created` (pending, holding the order's one payment slot) →
 * `completed` or `failed`; a completed charge may be owed a refund, then refunded.
 */
import mongoose, { type HydratedDocument } from 'mongoose';
import {
  ChargeStatus,
  Subjects,
  VERSIONED,
  event,
  insertDocument,
  pendingEventsPlugin,
  retryOnConflict,
  saveWithEvents,
  type EventData,
} from '@ticketing/common';

/** Why a charge failed: the card was declined (the order is then cancelled), or the token was unusable. */
export const FailureReason = {
  /** The bank said no: the order is cancelled. */
  CardDeclined: 'card_declined',
  /** The token was unusable: the buyer may try another card. */
  InvalidToken: 'invalid_token',
} as const;
export type FailureReason = (typeof FailureReason)[keyof typeof FailureReason];

export interface ChargeFields {
  /** The order paid for (its id as a string, as in events). */
  orderId: string;
  status: ChargeStatus;
  /** Integer cents: `toCents(order price)`. */
  amount: number;
  currency: 'usd';
  /**
   * `true` while the charge is `created` (gateway call in progress) or `completed`; absent once it failed.
   * A unique index over the charges that have it makes "at most one successful or in-progress charge per
   * order" the database's rule: the losing insert gets E11000.
   */
  active?: true;
  /** 1 for the first charge of an order, n for the n-th; unique per order. Keys the gateway call. */
  attempt: number;
  /**
   * The card token, kept only while the outcome is unknown, so the same request (same key, same card) can
   * be re-issued after a crash or a network failure. Cleared once the charge is settled.
   */
  token?: string;
  /**
   * While `created`: until when one process is driving the gateway call. Past it (a crash, a network
   * failure), the charge is up for recovery: the buyer's next attempt or the periodic sweep re-issues it.
   */
  lockedUntil?: Date;
  /** The processor's charge id, once completed. */
  stripeId?: string;
  failureReason?: FailureReason;
  /** A completed charge whose order was cancelled: to be refunded (set by the write that learns of it). */
  refundDue?: true;
  /** The processor's refund id, once the money went back. */
  stripeRefundId?: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export type ChargeDoc = HydratedDocument<ChargeFields>;
export type ChargeRecord = ChargeFields & { _id: mongoose.Types.ObjectId };

const chargeSchema = new mongoose.Schema<ChargeFields>(
  {
    orderId: { type: String, required: true },
    status: { type: String, enum: Object.values(ChargeStatus), required: true },
    amount: { type: Number, required: true },
    currency: { type: String, enum: ['usd'], required: true },
    active: { type: Boolean },
    attempt: { type: Number, required: true },
    token: { type: String },
    lockedUntil: { type: Date },
    stripeId: { type: String },
    failureReason: { type: String, enum: Object.values(FailureReason) },
    refundDue: { type: Boolean },
    stripeRefundId: { type: String },
  },
  {
    // Every save is conditioned on the version read and bumps it: concurrent writers cannot both win.
    ...VERSIONED,
    timestamps: true,
    toJSON: {
      transform(_doc, ret: Record<string, unknown>) {
        return toChargeJson(ret as unknown as ChargeRecord);
      },
    },
  },
);
// The charge carries its own events until they are published (ADR 005).
chargeSchema.plugin(pendingEventsPlugin);
chargeSchema.index({ orderId: 1 }, { unique: true, partialFilterExpression: { active: true } });
chargeSchema.index({ orderId: 1, attempt: 1 }, { unique: true });
// The recovery sweep's two questions: stalled pending charges, and refunds still owed.
chargeSchema.index({ status: 1, lockedUntil: 1 });
chargeSchema.index({ refundDue: 1, updatedAt: 1 });

/** The API's charge shape. */
export function toChargeJson(charge: ChargeRecord) {
  return {
    id: String(charge._id),
    orderId: charge.orderId,
    status: charge.status,
    amount: charge.amount,
    currency: charge.currency,
    ...(charge.stripeId ? { stripeId: charge.stripeId } : {}),
  };
}

export const Charge = mongoose.model<ChargeFields>('Charge', chargeSchema);

/** What the event builders read: a hydrated charge or a lean read of one. */
type ChargeFacts = Pick<
  ChargeFields,
  'orderId' | 'amount' | 'stripeId' | 'failureReason' | 'stripeRefundId'
> & { _id: unknown };

/** The fields every charge event starts with; `version` is the one the charge has once saved. */
function chargeEventBase(charge: ChargeFacts, version: number) {
  return { id: String(charge._id), version, orderId: charge.orderId, amount: charge.amount };
}

/** `charge.succeeded`: the card was charged; orders completes the order. */
export function toChargeSucceededEvent(
  charge: ChargeFacts,
  version: number,
): EventData<typeof Subjects.ChargeSucceeded> {
  return {
    ...chargeEventBase(charge, version),
    ...(charge.stripeId ? { stripeId: charge.stripeId } : {}),
  };
}

/** `charge.failed`: the card was declined; orders cancels the order. Only a decline is announced. */
export function toChargeFailedEvent(
  charge: ChargeFacts,
  version: number,
): EventData<typeof Subjects.ChargeFailed> {
  if (charge.failureReason !== FailureReason.CardDeclined)
    throw new Error(`charge ${String(charge._id)} was not declined: nothing to announce`);
  return { ...chargeEventBase(charge, version), reason: charge.failureReason };
}

/** `charge.refunded`: the money went back; orders records it on the order. */
export function toChargeRefundedEvent(
  charge: ChargeFacts,
  version: number,
): EventData<typeof Subjects.ChargeRefunded> {
  if (!charge.stripeRefundId)
    throw new Error(`charge ${String(charge._id)} has no refund to announce`);
  return { ...chargeEventBase(charge, version), stripeRefundId: charge.stripeRefundId };
}

/** The charge as stored, as a plain record (what the domain hands around and the route serializes). */
export function toChargeRecord(charge: ChargeDoc): ChargeRecord {
  return charge.toObject() as ChargeRecord;
}

type ChargeId = ChargeRecord['_id'] | string;

/*
 * The writes. Two kinds:
 * - state transitions (pending → completed | failed, completed → refunded): on a hydrated charge, one
 *   `saveWithEvents` guarded by the version read, with the transition's event. A stale document matches
 *   nothing (VersionError; `changeCharge` re-reads and decides again). A transition from any other state
 *   is refused: it returns false and writes nothing, so the record that stands is the first one.
 * - bookkeeping that is not a change of state: the claim's insert, and conditional updates of the lease
 *   and the refund mark, which bump no version and carry no event, so the versions stay 0 claimed,
 *   1 settled, 2 refunded, as the events announce them.
 */

/**
 * Inserts the pending charge that takes the order's one payment slot (version 0, no event). Rejects with
 * E11000 when another charge is active for the order or this attempt number is taken.
 */
export async function insertPendingCharge(claim: {
  orderId: string;
  amount: number;
  attempt: number;
  token: string;
  lockedUntil: Date;
}): Promise<ChargeRecord> {
  const charge = new Charge({
    orderId: claim.orderId,
    status: ChargeStatus.Created,
    amount: claim.amount,
    currency: 'usd',
    active: true,
    attempt: claim.attempt,
    token: claim.token,
    lockedUntil: claim.lockedUntil,
  });
  await insertDocument(charge);
  return toChargeRecord(charge);
}

/**
 * Takes over a pending charge whose lease had run out by `now`, until `until`. Only one caller wins;
 * false when another process holds the lease or the charge is settled.
 */
export async function takeChargeLease(
  chargeId: ChargeId,
  now: Date,
  until: Date,
): Promise<boolean> {
  const leased = await Charge.updateOne(
    { _id: chargeId, status: ChargeStatus.Created, lockedUntil: { $lte: now } },
    { $set: { lockedUntil: until } },
  );
  return leased.modifiedCount > 0;
}

/** Ends the lease of a pending charge now, so the next attempt may re-issue its gateway call at once. */
export async function releaseChargeLease(chargeId: ChargeId): Promise<void> {
  await Charge.updateOne(
    { _id: chargeId, status: ChargeStatus.Created },
    { $set: { lockedUntil: new Date() } },
  );
}

/**
 * Marks a charge owed a refund (its order was cancelled), unless it is refunded already. Also while it is
 * still pending: its own completion re-reads the charge after saving and refunds it.
 */
export async function markChargeRefundDue(chargeId: ChargeId): Promise<void> {
  await Charge.updateOne(
    { _id: chargeId, stripeRefundId: { $exists: false } },
    { $set: { refundDue: true } },
  );
}

/**
 * pending → completed, with `charge.succeeded`. The slot stays taken (`active`); the token and the lease
 * go. `refundDue`: the order was cancelled while the card was being charged.
 */
export async function completeCharge(
  charge: ChargeDoc,
  stripeId: string,
  refundDue: boolean,
): Promise<boolean> {
  if (charge.status !== ChargeStatus.Created) return false;
  charge.status = ChargeStatus.Completed;
  charge.stripeId = stripeId;
  charge.set('token', undefined);
  charge.set('lockedUntil', undefined);
  if (refundDue) charge.refundDue = true;
  await saveWithEvents(charge, (version) => [
    event(Subjects.ChargeSucceeded, toChargeSucceededEvent(charge, version)),
  ]);
  return true;
}

/**
 * pending → failed. The slot is released (`active` dropped) so another card may be tried; the token and
 * the lease go. A decline is announced (`charge.failed`: orders cancels the order, ADR 004); an unusable
 * token moved no money and is not announced, so the order stays payable.
 */
export async function failCharge(charge: ChargeDoc, reason: FailureReason): Promise<boolean> {
  if (charge.status !== ChargeStatus.Created) return false;
  charge.status = ChargeStatus.Failed;
  charge.failureReason = reason;
  charge.set('active', undefined);
  charge.set('token', undefined);
  charge.set('lockedUntil', undefined);
  await saveWithEvents(charge, (version) =>
    reason === FailureReason.CardDeclined
      ? [event(Subjects.ChargeFailed, toChargeFailedEvent(charge, version))]
      : [],
  );
  return true;
}

/** completed → refunded, with `charge.refunded`: the refund id is stored, the refund no longer owed. */
export async function markChargeRefunded(
  charge: ChargeDoc,
  stripeRefundId: string,
): Promise<boolean> {
  if (charge.status !== ChargeStatus.Completed || charge.stripeRefundId) return false;
  charge.stripeRefundId = stripeRefundId;
  charge.set('refundDue', undefined);
  await saveWithEvents(charge, (version) => [
    event(Subjects.ChargeRefunded, toChargeRefundedEvent(charge, version)),
  ]);
  return true;
}

/**
 * Reads the charge and lets `change` apply a transition; when the save loses to another writer, reads
 * again and runs `change` on the fresh document (retryOnConflict). Resolves with the charge as stored
 * afterwards, changed by this call or not, or null if there is no such charge.
 */
export function changeCharge(
  chargeId: ChargeId,
  change: (charge: ChargeDoc) => Promise<unknown>,
): Promise<ChargeRecord | null> {
  return retryOnConflict(async () => {
    const charge = await Charge.findById(chargeId);
    if (!charge) return null;
    await change(charge);
    return toChargeRecord(charge);
  });
}
