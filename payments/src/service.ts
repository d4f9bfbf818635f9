/**
 * The payments service's definition: its app, listeners and recovery sweep over one payment processor.
 */
import {
  connectionSettings,
  feeSchedule,
  type ListenerContext,
  type Logger,
  type ServiceDefinition,
} from '@ticketing/common';
import { buildApp } from './app';
import type { PaymentsConfig } from './config';
import { ChargeRecovery, type ChargeRecoveryOptions } from './domain/charge-recovery';
import { orderFeedLag, type OrderFeedLag } from './domain/order-replica';
import { PaymentProcessor } from './domain/payment-processor';
import { PayoutScheduler, type PayoutSchedulerOptions } from './domain/payouts';
import { createListeners } from './events';
import { createGateway, type PaymentGateway } from './gateway';
// Registered before the start, so startService builds their indexes (one active charge per order).
import './models/charge.model';
import './models/order.model';
import './models/payout.model';
import './models/payout-account.model';

/** Knobs tests turn; production uses the defaults. */
export interface PaymentsTuning {
  /** Charge through this gateway instead of the one the config names (tests: a recording sandbox). */
  gateway?: PaymentGateway;
  /**
   * The recovery sweep's schedule. `false`: no background sweep, for tests that stage half-done charges
   * and run the sweep themselves (runOnce), so a scheduled one never races their arrangement.
   */
  recovery?: ChargeRecoveryOptions | false;
  /** The payout scheduler's schedule; `false`: none (tests that pay payouts themselves, with runOnce). */
  payouts?: PayoutSchedulerOptions | false;
  /** How the route learns whether order.created is behind; default: that consumer's backlog. */
  orderFeedLag?: (ctx: ListenerContext) => OrderFeedLag;
  /** How long the route waits for an order still on its way (default 3 s). */
  orderWaitMs?: number;
}

/**
 * The payments service as common's runService starts it: one payment processor over the configured
 * gateway (Stripe with STRIPE_KEY, else the sandbox) behind the route and the order.cancelled listener,
 * the order replica's listeners, the recovery sweep that settles charges a crash or an outage left
 * pending (at start-up, then every 30 s), and the payout scheduler that pays sellers' payouts when due
 * (every second; ADR 008). Builds, never starts: tests start it with useService.
 */
export function definePaymentsService(
  config: PaymentsConfig,
  logger: Logger,
  tuning: PaymentsTuning = {},
): ServiceDefinition {
  const processor = new PaymentProcessor(tuning.gateway ?? createGateway(config, logger), logger);
  const recovery =
    tuning.recovery === false ? undefined : new ChargeRecovery(processor, logger, tuning.recovery);
  const payouts =
    tuning.payouts === false
      ? undefined
      : new PayoutScheduler(processor.gateway, logger, tuning.payouts);
  const payoutTerms = { fees: feeSchedule(config), delayHours: config.PAYOUT_DELAY_HOURS };
  const feedLag = tuning.orderFeedLag ?? orderFeedLag;
  return {
    name: 'payments',
    logger,
    ...connectionSettings(config),
    createApp: (ctx) =>
      buildApp(config, logger, processor, {
        orderFeedLag: feedLag(ctx),
        orderWaitMs: tuning.orderWaitMs,
      }),
    listeners: (ctx, options) => createListeners(ctx, processor, payoutTerms, options),
    onStart: async () => {
      recovery?.start();
      payouts?.start();
    },
    onStop: async () => {
      await Promise.all([recovery?.stop(), payouts?.stop()]);
    },
  };
}
