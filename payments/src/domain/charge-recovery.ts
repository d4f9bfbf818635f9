/**
 * The recovery sweep: settles charges a crash or a gateway outage left pending, and pays refunds still
 * owed, at start-up and then on a timer.
 */
import { ChargeStatus, type Logger } from '@ticketing/common';
import { Charge, type ChargeRecord } from '../models/charge.model';
import { CHARGE_LEASE_MS, type PaymentProcessor } from './payment-processor';
import { Periodic } from './periodic';

export interface ChargeRecoveryOptions {
  /** How often the sweep runs after the one at start-up. */
  intervalMs?: number;
  /** A refund still owed this long after it was decided is retried by the sweep. */
  refundGraceMs?: number;
  /** Charges handled per kind and run; the next run takes the rest. */
  batchSize?: number;
}

/**
 * Finishes what a crash or an outage left half done, at start-up and then every 30 s:
 * - a charge still `created` whose lease has run out (its process died between claiming the slot and
 *   recording the outcome, or the gateway was unreachable) is re-issued with the same idempotency key and
 *   card — Stripe answers with what it did the first time, or does it now — and the answer is recorded;
 * - a completed charge still owed a refund (the refund call failed) is refunded.
 * Every step is idempotent and leased, so several replicas sweeping at once do each thing once.
 */
export class ChargeRecovery {
  private readonly sweep: Periodic;

  constructor(
    private readonly processor: PaymentProcessor,
    private readonly logger: Logger,
    private readonly options: ChargeRecoveryOptions = {},
  ) {
    this.sweep = new Periodic(
      () => this.runOnce(),
      options.intervalMs ?? 30_000,
      logger,
      'charge recovery sweep failed; will retry',
    );
  }

  start(): void {
    this.sweep.start();
  }

  stop(): Promise<void> {
    return this.sweep.stop();
  }

  /** One sweep; resolves with how many charges it settled and refunds it recorded. */
  async runOnce(now = new Date()): Promise<{ settled: number; refunded: number }> {
    const batchSize = this.options.batchSize ?? 100;
    let settled = 0;
    let refunded = 0;
    const stalled = await Charge.find({
      status: ChargeStatus.Created,
      lockedUntil: { $lte: now },
    })
      .limit(batchSize)
      .lean<ChargeRecord[]>();
    for (const charge of stalled) {
      try {
        const outcome = await this.processor.resume(charge);
        if (outcome.kind !== 'in-progress' && outcome.kind !== 'unavailable') settled += 1;
      } catch (err) {
        this.logger.error(
          { err, chargeId: String(charge._id) },
          'could not recover a pending charge',
        );
      }
    }
    const graceMs = this.options.refundGraceMs ?? CHARGE_LEASE_MS;
    const owed = await Charge.find(
      { refundDue: true, updatedAt: { $lte: new Date(now.getTime() - graceMs) } },
      { _id: 1 },
    )
      .limit(batchSize)
      .lean();
    for (const { _id } of owed) {
      try {
        if ((await this.processor.refundCharge(_id))?.stripeRefundId) refunded += 1;
      } catch (err) {
        this.logger.error({ err, chargeId: String(_id) }, 'could not refund a charge; will retry');
      }
    }
    if (settled || refunded) this.logger.info({ settled, refunded }, 'recovered pending charges');
    return { settled, refunded };
  }
}
