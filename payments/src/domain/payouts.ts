/**
 * Sellers' payouts (ADR 008): recorded once per complete order, and paid once each when due, by a sweep
 * over the payouts themselves — the database is the schedule, so nothing is lost when a process dies.
 */
import {
  PayoutStatus,
  isDuplicateKeyError,
  sellerProceeds,
  type FeeSchedule,
  type Logger,
} from '@ticketing/common';
import type { PaymentGateway } from '../gateway';
import { Order, type OrderReplica } from '../models/order.model';
import { payoutAccountOf } from '../models/payout-account.model';
import {
  Payout,
  changePayout,
  insertPayout,
  markPayoutPaid,
  payoutCents,
  postponePayout,
  takePayoutLease,
  type PayoutRecord,
} from '../models/payout.model';
import { Periodic } from './periodic';

/** What a payout is recorded under: the seller's fee, and how long after the event it becomes due. */
export interface PayoutTerms {
  fees: FeeSchedule;
  delayHours: number;
}

/** Why a due payout is still pending when the processor needs an account the seller has not connected. */
export const NO_PAYOUT_ACCOUNT = 'Connect a payout account to be paid';

/**
 * Records the seller's payout for a complete order: the ask minus the seller's fee, due at the event's
 * start + the delay. `exists` for a redelivery (the unique index on `orderId` decides, also between
 * replicas); `retry` while the order is not in the replica yet.
 */
export async function recordPayout(
  orderId: string,
  terms: PayoutTerms,
): Promise<'recorded' | 'exists' | 'retry'> {
  const order = await Order.findById(orderId).lean<OrderReplica>();
  if (!order) return 'retry';
  const { ticket } = order;
  const proceeds = sellerProceeds(order.amount.price, terms.fees);
  try {
    await insertPayout({
      orderId,
      ticketId: ticket.id,
      userId: ticket.userId,
      title: ticket.title,
      event: ticket.event,
      ...proceeds,
      availableAt: new Date(ticket.event.startsAt.getTime() + terms.delayHours * 3_600_000),
    });
    return 'recorded';
  } catch (err) {
    if (isDuplicateKeyError(err)) return 'exists';
    throw err;
  }
}

export interface PayoutSchedulerOptions {
  /** How often due payouts are looked for (default 1 s: a payout is paid within about a second of due). */
  intervalMs?: number;
  /**
   * How long the payer of a payout owns it (default 60 s): longer than one transfer with its retries.
   * A payer that dies leaves it to the next sweep after this.
   */
  leaseMs?: number;
  /** When a payout waiting for the seller's account is looked at again, unless they connect one. */
  accountRetryMs?: number;
  /** Payouts paid per run, at once; the next run takes the rest. */
  batchSize?: number;
}

export type PayoutAttempt = 'paid' | 'taken' | 'no-account' | 'unavailable';

/**
 * Pays due payouts through the gateway, exactly once each:
 * - one payer at a time: a payer first takes the payout's lease (a conditional write only one caller wins,
 *   whatever the number of replicas);
 * - the transfer is keyed by the payout's id, so re-issuing it after a crash between the transfer and its
 *   record (the lease runs out, the next sweep pays again) gets the first transfer back, never a second;
 * - pending → paid is one version-guarded write with payout.paid: it happens once.
 */
export class PayoutScheduler {
  private readonly sweep: Periodic;
  private readonly leaseMs: number;

  constructor(
    private readonly gateway: PaymentGateway,
    private readonly logger: Logger,
    private readonly options: PayoutSchedulerOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 60_000;
    this.sweep = new Periodic(
      () => this.runOnce(),
      options.intervalMs ?? 1_000,
      logger,
      'payout sweep failed; will retry',
    );
  }

  start(): void {
    this.sweep.start();
  }

  stop(): Promise<void> {
    return this.sweep.stop();
  }

  /** Pays what is due at `now`; resolves with how many payouts it paid. */
  async runOnce(now = new Date()): Promise<number> {
    const due = await Payout.find({ status: PayoutStatus.Pending, nextAttemptAt: { $lte: now } })
      .sort({ nextAttemptAt: 1 })
      .limit(this.options.batchSize ?? 20)
      .lean<PayoutRecord[]>();
    const attempts = await Promise.all(due.map((payout) => this.pay(payout, now)));
    return attempts.filter((attempt) => attempt === 'paid').length;
  }

  /** One attempt to pay a payout read as due at `now`. */
  async pay(payout: PayoutRecord, now = new Date()): Promise<PayoutAttempt> {
    const payoutId = String(payout._id);
    if (!(await takePayoutLease(payout, new Date(now.getTime() + this.leaseMs)))) return 'taken';
    let destination: string | undefined;
    if (this.gateway.needsPayoutAccount) {
      destination = (await payoutAccountOf(payout.userId)) ?? undefined;
      if (!destination) {
        const later = new Date(now.getTime() + (this.options.accountRetryMs ?? 60_000));
        await postponePayout(payout._id, later, NO_PAYOUT_ACCOUNT);
        return 'no-account';
      }
    }
    let transferId: string;
    try {
      ({ id: transferId } = await this.gateway.transfer({
        amount: payoutCents(payout),
        currency: 'usd',
        ...(destination ? { destination } : {}),
        idempotencyKey: payoutId,
        description: `Ticketing payout for order ${payout.orderId}`,
      }));
    } catch (err) {
      // The transfer may or may not have happened: the lease runs out and the same request (same key) is
      // made again, which the processor answers with what it did.
      this.logger.warn({ err, payoutId }, 'payout transfer failed; outcome unknown, will retry');
      return 'unavailable';
    }
    await changePayout(payout._id, (doc) => markPayoutPaid(doc, transferId));
    this.logger.info({ payoutId, orderId: payout.orderId, transferId }, 'payout paid');
    return 'paid';
  }
}
