/**
 * The payments service's definition: its app, listeners and recovery sweep over one payment processor.
 */
import {
  connectionSettings,
  type ListenerContext,
  type Logger,
  type ServiceDefinition,
} from '@ticketing/common';
import { buildApp } from './app';
import type { PaymentsConfig } from './config';
import { ChargeRecovery, type ChargeRecoveryOptions } from './domain/charge-recovery';
import { orderFeedLag, type OrderFeedLag } from './domain/order-replica';
import { PaymentProcessor } from './domain/payment-processor';
import { createListeners } from './events';
import { createGateway, type PaymentGateway } from './gateway';
// Registered before the start, so startService builds their indexes (one active charge per order).
import './models/charge.model';
import './models/order.model';

/** Knobs tests turn; production uses the defaults. */
export interface PaymentsTuning {
  /** Charge through this gateway instead of the one the config names (tests: a recording sandbox). */
  gateway?: PaymentGateway;
  /**
   * The recovery sweep's schedule. `false`: no background sweep, for tests that stage half-done charges
   * and run the sweep themselves (runOnce), so a scheduled one never races their arrangement.
   */
  recovery?: ChargeRecoveryOptions | false;
  /** How the route learns whether order.created is behind; default: that consumer's backlog. */
  orderFeedLag?: (ctx: ListenerContext) => OrderFeedLag;
  /** How long the route waits for an order still on its way (default 3 s). */
  orderWaitMs?: number;
}

/**
 * The payments service as common's runService starts it: one payment processor over the configured
 * gateway (Stripe with STRIPE_KEY, else the sandbox) behind the route and the order.cancelled listener,
 * the order replica's listeners, and the recovery sweep that settles charges a crash or an outage left
 * pending, at start-up and then every 30 s. Builds, never starts: tests start it with useService.
 */
export function definePaymentsService(
  config: PaymentsConfig,
  logger: Logger,
  tuning: PaymentsTuning = {},
): ServiceDefinition {
  const processor = new PaymentProcessor(tuning.gateway ?? createGateway(config, logger), logger);
  const recovery =
    tuning.recovery === false ? undefined : new ChargeRecovery(processor, logger, tuning.recovery);
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
    listeners: (ctx, options) => createListeners(ctx, processor, options),
    onStart: async () => recovery?.start(),
    onStop: async () => recovery?.stop(),
  };
}
