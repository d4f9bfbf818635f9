/**
 * The payments HTTP app: common's Express setup with the payment route and the seller's payout routes.
 */
import type { Express } from 'express';
import { createServiceApp, replicaSessionsValidFrom, type Logger } from '@ticketing/common';
import type { PaymentsConfig } from './config';
import { neverBehind, type OrderFeedLag } from './domain/order-replica';
import type { PaymentProcessor } from './domain/payment-processor';
import { newPaymentRouter } from './routes/new-payment.route';
import { payoutsRouter } from './routes/payouts.route';

export interface PaymentsAppOptions {
  /** Tells the route whether an order it cannot find may still be on its way (see findOrder). */
  orderFeedLag?: OrderFeedLag;
  /** How long the route waits for such an order (default 3 s). */
  orderWaitMs?: number;
}

/** Builds the payments HTTP app; never listens (tests drive it in-process). */
export function buildApp(
  config: PaymentsConfig,
  logger: Logger,
  processor: PaymentProcessor,
  options: PaymentsAppOptions = {},
): Express {
  return createServiceApp(
    config,
    logger,
    [
      newPaymentRouter(processor, {
        orderFeedLag: options.orderFeedLag ?? neverBehind,
        orderWaitMs: options.orderWaitMs ?? 3_000,
      }),
      payoutsRouter(),
    ],
    replicaSessionsValidFrom(),
  );
}
