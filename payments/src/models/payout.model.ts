/**
 * The Payout: what one complete order owes its seller. Its schema and indexes, its API JSON and events,
 * and every write it can go through, named. Life: recorded `pending` when the order completes, due at
 * `availableAt` (the event's start + PAYOUT_DELAY_HOURS) → `paid` once, with the processor's transfer id.
 */
import mongoose, { type HydratedDocument } from 'mongoose';
import {
  PayoutStatus,
  Subjects,
  VERSIONED,
  event,
  pendingEventsPlugin,
  retryOnConflict,
  saveWithEvents,
  toCents,
  type EventData,
  type PayoutJson,
} from '@ticketing/common';
import { soldEventSchema, type ReplicaTicket } from './order.model';

export interface PayoutFields {
  /** The complete order this pays for; one payout per order (unique). */
  orderId: string;
  ticketId: string;
  /** The seller, who is paid. */
  userId: string;
  /** The listing's title and its event, as sold: what the seller's payouts page shows. */
  title: string;
  event: ReplicaTicket['event'];
  /** Dollars: the ask, the seller's fee, and what the seller receives (`price - fee`). */
  price: number;
  fee: number;
  amount: number;
  status: PayoutStatus;
  /** When it is due: the event's start + the payout delay. */
  availableAt: Date;
  /**
   * While pending: when the scheduler may next try to pay it. `availableAt` at first; moved on by the
   * lease a payer takes (a crash mid-payment is retried once it runs out) and by a retry after a refusal.
   */
  nextAttemptAt?: Date;
  /** Why a due payout is still pending (shown to the seller). */
  reason?: string;
  paidAt?: Date;
  /** The processor's transfer id, once paid. */
  transferId?: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export type PayoutDoc = HydratedDocument<PayoutFields>;
export type PayoutRecord = PayoutFields & { _id: mongoose.Types.ObjectId };

const payoutSchema = new mongoose.Schema<PayoutFields>(
  {
    orderId: { type: String, required: true },
    ticketId: { type: String, required: true },
    userId: { type: String, required: true },
    title: { type: String, required: true },
    event: { type: soldEventSchema, required: true },
    price: { type: Number, required: true },
    fee: { type: Number, required: true },
    amount: { type: Number, required: true },
    status: { type: String, enum: Object.values(PayoutStatus), required: true },
    availableAt: { type: Date, required: true },
    nextAttemptAt: { type: Date },
    reason: { type: String },
    paidAt: { type: Date },
    transferId: { type: String },
  },
  // Every save is conditioned on the version read and bumps it: concurrent writers cannot both win.
  { ...VERSIONED, timestamps: true },
);
// The payout carries its own events until they are published (ADR 005).
payoutSchema.plugin(pendingEventsPlugin);
payoutSchema.index({ orderId: 1 }, { unique: true });
// The scheduler's question (pending and due), and the seller's page (newest first).
payoutSchema.index({ status: 1, nextAttemptAt: 1 });
payoutSchema.index({ userId: 1, createdAt: -1 });

export const Payout = mongoose.model<PayoutFields>('Payout', payoutSchema);

/** The API's payout shape. */
export function toPayoutJson(payout: PayoutRecord): PayoutJson {
  return {
    id: String(payout._id),
    orderId: payout.orderId,
    ticketId: payout.ticketId,
    title: payout.title,
    event: {
      name: payout.event.name,
      startsAt: payout.event.startsAt.toISOString(),
      timeZone: payout.event.timeZone,
    },
    price: payout.price,
    fee: payout.fee,
    amount: payout.amount,
    status: payout.status,
    availableAt: payout.availableAt.toISOString(),
    createdAt: payout.createdAt.toISOString(),
    ...(payout.paidAt ? { paidAt: payout.paidAt.toISOString() } : {}),
    ...(payout.transferId ? { transferId: payout.transferId } : {}),
    ...(payout.reason ? { reason: payout.reason } : {}),
  };
}

type PayoutFacts = Pick<PayoutFields, 'orderId' | 'ticketId' | 'userId' | 'amount'> & {
  _id: unknown;
};

function payoutEventBase(payout: PayoutFacts, version: number) {
  return {
    id: String(payout._id),
    version,
    orderId: payout.orderId,
    ticketId: payout.ticketId,
    userId: payout.userId,
    amount: payout.amount,
  };
}

export function toPayoutCreatedEvent(
  payout: PayoutFacts & Pick<PayoutFields, 'availableAt'>,
  version: number,
): EventData<typeof Subjects.PayoutCreated> {
  return { ...payoutEventBase(payout, version), availableAt: payout.availableAt.toISOString() };
}

export function toPayoutPaidEvent(
  payout: PayoutFacts & Pick<PayoutFields, 'transferId'>,
  version: number,
): EventData<typeof Subjects.PayoutPaid> {
  if (!payout.transferId) throw new Error(`payout ${String(payout._id)} has no transfer`);
  return { ...payoutEventBase(payout, version), transferId: payout.transferId };
}

/** The payout's amount in cents, as the processor is asked to transfer it. */
export const payoutCents = (payout: Pick<PayoutFields, 'amount'>) => toCents(payout.amount);

/*
 * The writes: the insert with payout.created (version 0), the one transition pending → paid with
 * payout.paid (version 1), and bookkeeping that changes no version (the payer's lease, a retry later).
 */

export type NewPayout = Omit<
  PayoutFields,
  | 'status'
  | 'nextAttemptAt'
  | 'reason'
  | 'paidAt'
  | 'transferId'
  | 'version'
  | 'createdAt'
  | 'updatedAt'
>;

/**
 * Records a pending payout with its payout.created, due (`nextAttemptAt`) at `availableAt`. Rejects with
 * E11000 when the order's payout exists already (the unique index on `orderId`).
 */
export async function insertPayout(fields: NewPayout): Promise<PayoutDoc> {
  const payout = new Payout({
    ...fields,
    status: PayoutStatus.Pending,
    nextAttemptAt: fields.availableAt,
  });
  await saveWithEvents(payout, (version) => [
    event(Subjects.PayoutCreated, toPayoutCreatedEvent(payout, version)),
  ]);
  return payout;
}

/**
 * Takes the payout to pay it, if it is pending and its next attempt (read as `due`) has come, until
 * `until`. Only one caller wins, whatever the number of replicas sweeping.
 */
export async function takePayoutLease(payout: PayoutRecord, until: Date): Promise<boolean> {
  const leased = await Payout.updateOne(
    { _id: payout._id, status: PayoutStatus.Pending, nextAttemptAt: payout.nextAttemptAt },
    { $set: { nextAttemptAt: until } },
  );
  return leased.modifiedCount > 0;
}

/** Leaves a pending payout for later (`at`), saying why it was not paid now. */
export async function postponePayout(
  payoutId: mongoose.Types.ObjectId,
  at: Date,
  reason: string,
): Promise<void> {
  await Payout.updateOne(
    { _id: payoutId, status: PayoutStatus.Pending },
    { $set: { nextAttemptAt: at, reason } },
  );
}

/** A seller's pending payouts waiting for an account become payable at once (they connected one). */
export async function retryPayoutsOf(userId: string, now: Date): Promise<void> {
  await Payout.updateMany(
    { userId, status: PayoutStatus.Pending, reason: { $exists: true } },
    { $set: { nextAttemptAt: now } },
  );
}

/** pending → paid, with payout.paid. False (nothing written) when it is not pending any more. */
export async function markPayoutPaid(payout: PayoutDoc, transferId: string): Promise<boolean> {
  if (payout.status !== PayoutStatus.Pending) return false;
  payout.status = PayoutStatus.Paid;
  payout.transferId = transferId;
  payout.paidAt = new Date();
  payout.set('nextAttemptAt', undefined);
  payout.set('reason', undefined);
  await saveWithEvents(payout, (version) => [
    event(Subjects.PayoutPaid, toPayoutPaidEvent(payout, version)),
  ]);
  return true;
}

/** Reads the payout and applies `change`; on a lost race, again on a fresh read. Null if none. */
export function changePayout(
  payoutId: mongoose.Types.ObjectId,
  change: (payout: PayoutDoc) => Promise<unknown>,
): Promise<PayoutRecord | null> {
  return retryOnConflict(async () => {
    const payout = await Payout.findById(payoutId);
    if (!payout) return null;
    await change(payout);
    return payout.toObject() as PayoutRecord;
  });
}
