import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import mongoose from 'mongoose';
import { EventRelay, TicketStatus, createLogger } from '@ticketing/common';
import {
  TEST_JWT_KEY,
  sessionCookie,
  useTestEnvironment,
  type TestEnvironment,
} from '@ticketing/common/testing';
import { afterAll, beforeAll } from '@jest/globals';
import { buildApp } from '../app';
import { readConfig, type OrdersConfig } from '../config';
import { Ticket, type TicketReplica } from '../models/ticket.model';

export interface OrdersTestContext {
  env: TestEnvironment;
  app: Express;
  config: OrdersConfig;
}

/** The orders app in-process over a real embedded Mongo and a real JetStream, with the event relay running. */
export function useOrdersApp(overrides: Record<string, string> = {}): OrdersTestContext {
  const env = useTestEnvironment('orders');
  const ctx = { env } as OrdersTestContext;
  let relay: EventRelay;
  beforeAll(() => {
    ctx.config = readConfig({
      JWT_KEY: TEST_JWT_KEY,
      MONGO_URI: 'mongodb://127.0.0.1:1/orders',
      NATS_URL: 'nats://127.0.0.1:1',
      NODE_ENV: 'test',
      ...overrides,
    });
    ctx.app = buildApp(ctx.config, createLogger('orders', process.env.LOG_LEVEL ?? 'silent'));
    relay = new EventRelay(env.ctx.publisher, env.ctx.logger, { sweepIntervalMs: 50 });
    relay.start();
  });
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

/** A listing in the replica, as the ticket.created listener would have stored it. */
export async function buildTicket(overrides: Partial<TicketReplica> = {}) {
  const ticket = await Ticket.create({
    _id: new mongoose.Types.ObjectId(),
    title: 'Concert',
    price: 20,
    userId: new mongoose.Types.ObjectId().toHexString(),
    status: TicketStatus.Available,
    version: 0,
    ...overrides,
  });
  return {
    id: ticket.id as string,
    title: ticket.title,
    price: ticket.price,
    userId: ticket.userId,
    version: ticket.version,
  };
}
