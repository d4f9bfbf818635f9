import type mongoose from 'mongoose';
import {
  ChargeStatus,
  OrderStatus,
  Subjects,
  event,
  isDuplicateKeyError,
  retryOnConflict,
  saveWithEvents,
  toCents,
  type Logger,
} from '@ticketing/common';
import {
  CardDeclinedError,
  InvalidTokenError,
  chargeIdempotencyKey,
  refundIdempotencyKey,
  type PaymentGateway,
} from '../gateway';
import { Charge, FailureReason, type ChargeRecord } from '../models/charge.model';
import { Order, type OrderReplica } from '../models/order.model';

/**
 * How long the process that claimed (or resumed) a charge owns its gateway call. Longer than one Stripe
 * request with its network retries (StripeGateway: 15 s timeout, 2 retries), so a live call is not taken
 * over; after it, a charge left `created` by a crash is re-issued by the recovery sweep.
 */
export const CHARGE_LEASE_MS = 60_000;

/** What became of a payment; the route turns it into a response. */
export type PaymentOutcome =
  | { kind: 'completed'; charge: ChargeRecord }
  /** The charge went through after the order had been cancelled: the money is (being) given back. */
  | { kind: 'refunded'; charge: ChargeRecord }
  | { kind: 'declined'; charge: ChargeRecord }
  | { kind: 'invalid-token'; charge: ChargeRecord }
  /** The gateway could not be reached: outcome unknown, the charge stays pending and is re-issued later. */
  | { kind: 'unavailable'; charge: ChargeRecord }
  | { kind: 'already-paid' }
  | { kind: 'in-progress' };

export interface PaymentProcessorOptions {
  leaseMs?: number;
}

/**
 * Charges orders and refunds them, keeping three promises:
 *
 * - **At most one successful charge per order**, by the database: a charge is first *claimed* with a plain
 *   insert (`active: true`, unique per order), and only the winner calls the gateway.
 * - **No charge with an unknown outcome is forgotten.** The claim stores the token and a lease; if the
 *   process dies or the gateway cannot be reached, the charge stays `created` and is re-issued later with
 *   the same idempotency key and the same card (by the buyer's next attempt or the recovery sweep), so the
 *   processor answers with what it actually did and never charges twice.
 * - **A charge that completes for a cancelled order is refunded exactly once** (see `recordCompleted`).
 */
export class PaymentProcessor {
  private readonly leaseMs: number;

  constructor(
    readonly gateway: PaymentGateway,
    private readonly logger: Logger,
    options: PaymentProcessorOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? CHARGE_LEASE_MS;
  }

  /**
   * Pays an order the caller has checked is the buyer's, open and not expired. Returns what happened;
   * throws only when the database fails.
   */
  async pay(order: Pick<OrderReplica, '_id' | 'price'>, token: string): Promise<PaymentOutcome> {
    const orderId = String(order._id);
    // A lost claim with no active charge means our attempt number was taken by an attempt that has failed
    // since; counting again gives the next one. A couple of rounds is plenty.
    for (let round = 0; round < 3; round++) {
      const claimed = await this.claim(orderId, toCents(order.price), token);
      if (claimed) return this.settle(claimed, token);
      const active = await Charge.findOne({ orderId, active: true }).lean<ChargeRecord>();
      if (active?.status === ChargeStatus.Completed) return { kind: 'already-paid' };
      if (active?.status === ChargeStatus.Created) {
        // A pending charge nobody is driving (its gateway call failed, or its process died): finish it
        // first, with the card it was made with. Its result is this payment's result.
        if (active.lockedUntil && active.lockedUntil <= new Date()) return this.resume(active);
        return { kind: 'in-progress' };
      }
    }
    return { kind: 'in-progress' };
  }

  /**
   * Re-issues the gateway call of a pending charge whose lease has run out (same key, same card), and
   * records the answer. Only one caller at a time gets the lease; the others see `in-progress`.
   */
  async resume(charge: ChargeRecord): Promise<PaymentOutcome> {
    const now = new Date();
    const leased = await Charge.updateOne(
      { _id: charge._id, status: ChargeStatus.Created, lockedUntil: { $lte: now } },
      { $set: { lockedUntil: new Date(now.getTime() + this.leaseMs) } },
    );
    if (leased.modifiedCount === 0) return { kind: 'in-progress' };
    if (!charge.token) {
      // Cannot happen: every claim stores its token. Without it the call cannot be re-issued safely.
      this.logger.error(
        { chargeId: String(charge._id) },
        'pending charge has no token to re-issue',
      );
      return { kind: 'in-progress' };
    }
    this.logger.info(
      { chargeId: String(charge._id), orderId: charge.orderId, attempt: charge.attempt },
      're-issuing a charge whose outcome was unknown',
    );
    return this.settle(charge, charge.token);
  }

  /** Refunds every charge of this order that is owed a refund (none, or the one that completed). */
  async refundOrder(orderId: string): Promise<void> {
    const owed = await Charge.find({ orderId, refundDue: true }, { _id: 1 }).lean();
    for (const { _id } of owed) await this.refundCharge(_id);
  }

  /**
   * Gives the money of a completed charge back, if it is owed (`refundDue`) and not refunded yet, and
   * records it with `charge.refunded`. Safe to run twice, or from two places at once: the processor sees
   * one refund per order (idempotency key `refund:<orderId>`), and the record step stores the first answer
   * only, so there is exactly one `stripeRefundId` and one `charge.refunded`.
   */
  async refundCharge(chargeId: mongoose.Types.ObjectId): Promise<ChargeRecord | null> {
    const charge = await Charge.findById(chargeId).lean<ChargeRecord>();
    if (!charge?.refundDue || charge.stripeRefundId) return charge;
    if (!charge.stripeId)
      throw new Error(`charge ${String(chargeId)} is owed a refund but has no stripeId`);
    const refund = await this.gateway.refund({
      chargeId: charge.stripeId,
      idempotencyKey: refundIdempotencyKey(charge.orderId),
    });
    return retryOnConflict(async () => {
      const doc = await Charge.findById(chargeId);
      if (!doc || doc.stripeRefundId) return doc ? toRecord(doc) : null;
      doc.stripeRefundId = refund.id;
      doc.set('refundDue', undefined);
      await saveWithEvents(doc, (version) => [
        event(Subjects.ChargeRefunded, {
          id: doc.id as string,
          version,
          orderId: doc.orderId,
          amount: doc.amount,
          stripeRefundId: refund.id,
        }),
      ]);
      this.logger.info(
        { chargeId: doc.id, orderId: doc.orderId, stripeRefundId: refund.id },
        'charge refunded: its order was cancelled',
      );
      return toRecord(doc);
    });
  }

  /** Inserts the pending charge that reserves the order's one payment slot; null if the slot is taken. */
  private async claim(
    orderId: string,
    amount: number,
    token: string,
  ): Promise<ChargeRecord | null> {
    const attempt = (await Charge.countDocuments({ orderId })) + 1;
    try {
      const charge = await Charge.create({
        orderId,
        status: ChargeStatus.Created,
        amount,
        currency: 'usd',
        active: true,
        attempt,
        token,
        lockedUntil: new Date(Date.now() + this.leaseMs),
      });
      return toRecord(charge);
    } catch (err) {
      // Another charge is active for this order, or took this attempt number.
      if (isDuplicateKeyError(err)) return null;
      throw err;
    }
  }

  private async settle(charge: ChargeRecord, token: string): Promise<PaymentOutcome> {
    let stripeId: string;
    try {
      ({ id: stripeId } = await this.gateway.charge({
        amount: charge.amount,
        currency: charge.currency,
        token,
        idempotencyKey: chargeIdempotencyKey(charge.orderId, charge.attempt),
        description: `Ticketing order ${charge.orderId}`,
      }));
    } catch (err) {
      if (err instanceof CardDeclinedError)
        return this.recordFailed(charge, FailureReason.CardDeclined);
      if (err instanceof InvalidTokenError)
        return this.recordFailed(charge, FailureReason.InvalidToken);
      // The request may or may not have reached the processor. Calling it failed could hide money taken;
      // starting a new attempt (new key) could take it twice. So the charge stays pending, and its lease is
      // released now so that the buyer's next attempt re-issues exactly this request.
      this.logger.warn(
        { err, chargeId: String(charge._id), orderId: charge.orderId },
        'payment gateway failed; outcome unknown, the charge stays pending',
      );
      await Charge.updateOne(
        { _id: charge._id, status: ChargeStatus.Created },
        { $set: { lockedUntil: new Date() } },
      );
      return { kind: 'unavailable', charge };
    }
    return this.recordCompleted(charge, stripeId);
  }

  /**
   * Records a successful charge and its `charge.succeeded`, in two idempotent steps, each one
   * atomic single-document write. If the order was cancelled meanwhile (its `order.cancelled` was handled
   * while the gateway call was in flight), the charge is owed a refund, and refunded right after.
   *
   * Why no refund is missed: step one writes this charge's id into the order replica and reads, in the
   * same write, whether the replica is cancelled; the order.cancelled listener writes "cancelled" into the
   * replica and then reads its charge id. Whichever writes second sees the other's fact, and marks the
   * charge `refundDue` (this step, or the listener). `refundDue` is stored before the gateway is asked, so
   * a crash before the refund is recorded leaves it owed, and the sweep pays it.
   */
  private async recordCompleted(charge: ChargeRecord, stripeId: string): Promise<PaymentOutcome> {
    const chargeId = String(charge._id);
    const replica = await Order.findOneAndUpdate(
      { _id: charge.orderId },
      { $set: { chargeId } },
      { new: true, projection: { status: 1 } },
    ).lean<Pick<OrderReplica, '_id' | 'status'>>();
    const orderCancelled = replica?.status === OrderStatus.Cancelled;
    let record = await retryOnConflict(async () => {
      const doc = await Charge.findById(charge._id);
      if (!doc) throw new Error(`charge ${chargeId} disappeared`);
      // Recorded already by another process re-issuing the same request: its record stands.
      if (doc.status !== ChargeStatus.Created) return toRecord(doc);
      doc.status = ChargeStatus.Completed;
      doc.stripeId = stripeId;
      doc.set('token', undefined);
      doc.set('lockedUntil', undefined);
      if (orderCancelled) doc.refundDue = true;
      await saveWithEvents(doc, (version) => [
        event(Subjects.ChargeSucceeded, {
          id: chargeId,
          version,
          orderId: doc.orderId,
          amount: doc.amount,
          stripeId,
        }),
      ]);
      return toRecord(doc);
    });
    // The order.cancelled listener may have marked it owed between our two steps.
    if (!record.refundDue)
      record = (await Charge.findById(charge._id).lean<ChargeRecord>()) ?? record;
    if (record.refundDue) {
      this.logger.warn(
        { chargeId, orderId: record.orderId },
        'charge completed for a cancelled order; refunding it',
      );
      const refunded = await this.refundCharge(record._id).catch((err: unknown) => {
        // Still owed (refundDue stays set): the order.cancelled redelivery or the sweep refunds it.
        this.logger.error({ err, chargeId }, 'refund failed; will retry');
        return null;
      });
      return { kind: 'refunded', charge: refunded ?? record };
    }
    return outcomeOf(record);
  }

  /**
   * Records a definite failure: the slot is released (`active` dropped) so the buyer may try another card.
   * A decline is announced (`charge.failed`: orders then cancels the order, ADR 004). An unusable
   * token is a client error that moved no money; it is stored (its attempt number stays used, as Stripe
   * may have stored that answer under its key) but not announced, so the order stays payable.
   */
  private async recordFailed(charge: ChargeRecord, reason: FailureReason): Promise<PaymentOutcome> {
    const record = await retryOnConflict(async () => {
      const doc = await Charge.findById(charge._id);
      if (!doc) throw new Error(`charge ${String(charge._id)} disappeared`);
      if (doc.status !== ChargeStatus.Created) return toRecord(doc);
      doc.status = ChargeStatus.Failed;
      doc.failureReason = reason;
      doc.set('active', undefined);
      doc.set('token', undefined);
      doc.set('lockedUntil', undefined);
      await saveWithEvents(doc, (version) =>
        reason === FailureReason.CardDeclined
          ? [
              event(Subjects.ChargeFailed, {
                id: doc.id as string,
                version,
                orderId: doc.orderId,
                amount: doc.amount,
                reason: FailureReason.CardDeclined,
              }),
            ]
          : [],
      );
      return toRecord(doc);
    });
    return outcomeOf(record);
  }
}

function toRecord(doc: { toObject(): unknown }): ChargeRecord {
  return doc.toObject() as ChargeRecord;
}

/** The outcome a stored charge stands for. */
function outcomeOf(charge: ChargeRecord): PaymentOutcome {
  switch (charge.status) {
    case ChargeStatus.Completed:
      return charge.refundDue || charge.stripeRefundId
        ? { kind: 'refunded', charge }
        : { kind: 'completed', charge };
    case ChargeStatus.Failed:
      return charge.failureReason === FailureReason.InvalidToken
        ? { kind: 'invalid-token', charge }
        : { kind: 'declined', charge };
    default:
      return { kind: 'in-progress' };
  }
}
