import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import mongoose from 'mongoose';
import { OrderStatus, EventRelay, createLogger } from '@ticketing/common';
import {
  TEST_JWT_KEY,
  sessionCookie,
  useTestEnvironment,
  type TestEnvironment,
} from '@ticketing/common/testing';
import { afterAll, afterEach, beforeAll, beforeEach } from '@jest/globals';
import { buildApp } from '../app';
import { readConfig, type PaymentsConfig } from '../config';
import { orderFeedLag } from '../domain/order-replica';
import { PaymentProcessor } from '../domain/payment-processor';
import { createGateway, type PaymentGateway } from '../gateway';
import '../models/charge.model';
import { Order, type OrderReplica } from '../models/order.model';
import { RecordingGateway } from './recording-gateway';

export interface PaymentsTestContext {
  env: TestEnvironment;
  app: Express;
  config: PaymentsConfig;
  processor: PaymentProcessor;
  /** The sandbox gateway behind the app, recording every call (unless `useConfiguredGateway`). */
  gateway: RecordingGateway;
  /** How often the route asked whether the order feed is behind (it asks only when an order is missing). */
  feedLagChecks: number;
}

export interface PaymentsTestOptions {
  /** Extra environment variables for the config (e.g. STRIPE_KEY and STRIPE_API_URL). */
  env?: Record<string, string> | (() => Record<string, string>);
  /** Build the gateway from the config, as the service does, instead of the recording sandbox. */
  useConfiguredGateway?: boolean;
}

/**
 * The payments app in-process over a real embedded Mongo and a real JetStream, with the event relay
 * running, and a recording sandbox gateway.
 */
export function usePaymentsApp(options: PaymentsTestOptions = {}): PaymentsTestContext {
  const env = useTestEnvironment('payments');
  const ctx = { env } as PaymentsTestContext;
  let relay: EventRelay;
  beforeAll(() => {
    const extra = typeof options.env === 'function' ? options.env() : (options.env ?? {});
    ctx.config = readConfig({
      JWT_KEY: TEST_JWT_KEY,
      MONGO_URI: 'mongodb://127.0.0.1:1/payments',
      NATS_URL: 'nats://127.0.0.1:1',
      NODE_ENV: 'test',
      ...extra,
    });
    const logger = createLogger('payments', process.env.LOG_LEVEL ?? 'silent');
    ctx.gateway = new RecordingGateway();
    const gateway: PaymentGateway = options.useConfiguredGateway
      ? createGateway(ctx.config, logger)
      : ctx.gateway;
    ctx.processor = new PaymentProcessor(gateway, logger);
    const feedLag = orderFeedLag(env.ctx);
    ctx.app = buildApp(ctx.config, logger, ctx.processor, {
      orderFeedLag: () => {
        ctx.feedLagChecks += 1;
        return feedLag();
      },
    });
    relay = new EventRelay(env.ctx.publisher, env.ctx.logger, { sweepIntervalMs: 50 });
    relay.start();
  });
  beforeEach(() => {
    ctx.feedLagChecks = 0;
  });
  afterEach(() => ctx.gateway.reset());
  afterAll(async () => {
    await relay.stop();
  });
  return ctx;
}

export interface TestUser {
  id: string;
  email: string;
  cookie: string;
}

export function buildUser(): TestUser {
  const id = new mongoose.Types.ObjectId().toHexString();
  const email = `${randomUUID()}@example.com`;
  return { id, email, cookie: sessionCookie({ id, email }) };
}

/** An order in the replica, as the order.created listener would have stored it: open for 15 minutes. */
export async function buildOrder(overrides: Partial<OrderReplica> = {}) {
  const order = await Order.create({
    _id: new mongoose.Types.ObjectId(),
    userId: new mongoose.Types.ObjectId().toHexString(),
    price: 20,
    status: OrderStatus.Created,
    expiresAt: new Date(Date.now() + 15 * 60_000),
    version: 0,
    ...overrides,
  });
  return { id: order.id as string, userId: order.userId, price: order.price };
}
