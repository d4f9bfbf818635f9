import { afterAll, afterEach, beforeAll } from '@jest/globals';
import type { Express } from 'express';
import mongoose from 'mongoose';
import {
  EVENTS_STREAM,
  EventRelay,
  TicketStatus,
  createLogger,
  type EventData,
  type EventSubject,
  type Listener,
  type ListenerOptions,
} from '@ticketing/common';
import {
  TEST_JWT_KEY,
  publishedEvents,
  readEvents,
  sessionCookie,
  useTestEnvironment,
  waitFor,
  type PublishedEvent,
  type TestEnvironment,
} from '@ticketing/common/testing';
import { buildApp } from '../app';
import { readConfig, type TicketsConfig } from '../config';
import { createListeners } from '../events';
import { Ticket, type TicketDoc, type TicketFields } from '../models/ticket.model';

export interface TicketsTestContext {
  env: TestEnvironment;
  app: Express;
  config: TicketsConfig;
  /**
   * Starts the service's listeners (all three, or those of `subjects`) on the real JetStream; they are
   * stopped after the test.
   */
  startListeners(
    options?: ListenerOptions,
    subjects?: EventSubject[],
  ): Promise<Array<Listener<EventSubject>>>;
  /** Publishes every pending event now. */
  drainOutbox(): Promise<number>;
}

export function testConfig(overrides: Record<string, string> = {}): TicketsConfig {
  return readConfig({
    JWT_KEY: TEST_JWT_KEY,
    MONGO_URI: 'mongodb://127.0.0.1:1/tickets',
    NATS_URL: 'nats://127.0.0.1:1',
    NODE_ENV: 'test',
    // Tests write straight to the database between requests, which the listing cache cannot see;
    // listing-cache.test.ts turns it on.
    LISTING_CACHE_MS: '0',
    ...overrides,
  });
}

/**
 * The tickets app in-process, over a real embedded Mongo and a real JetStream, with the outbox relay
 * running as in the service.
 */
export function useTicketsApp(): TicketsTestContext {
  const ctx = {} as TicketsTestContext;
  const running: Array<Listener<EventSubject>> = [];
  let relay: EventRelay | undefined;

  // Registered before the environment's hooks so they run first: listeners stop and the relay has
  // published everything before collections and streams are emptied for the next test.
  afterEach(async () => {
    for (const listener of running.splice(0)) await listener.stop();
    await relay?.drain();
  });
  afterAll(async () => {
    await relay?.stop();
  });

  ctx.env = useTestEnvironment('tickets');

  beforeAll(() => {
    ctx.config = testConfig();
    ctx.app = buildApp(ctx.config, createLogger('tickets', 'silent'));
    relay = new EventRelay(ctx.env.ctx.publisher, ctx.env.ctx.logger, { sweepIntervalMs: 50 });
    relay.start();
  });

  ctx.drainOutbox = () => relay!.drain();
  ctx.startListeners = async (options, subjects) => {
    const listeners = createListeners(ctx.env.ctx, options).filter(
      (listener) => !subjects || subjects.includes(listener.subject),
    );
    for (const listener of listeners) {
      await listener.start();
      running.push(listener);
    }
    return listeners;
  };
  return ctx;
}

export interface TestUser {
  id: string;
  email: string;
  cookie: string;
}

/** A signed-in user with a real signed session cookie. */
export function buildUser(email = 'seller@example.com'): TestUser {
  const id = new mongoose.Types.ObjectId().toHexString();
  return { id, email, cookie: sessionCookie({ id, email }) };
}

export function newId(): string {
  return new mongoose.Types.ObjectId().toHexString();
}

/** A stored ticket (no event): each test arranges exactly the state it is about. */
export async function buildTicket(overrides: Partial<TicketFields> = {}): Promise<TicketDoc> {
  const ticket = new Ticket({
    title: 'Concert',
    price: 20,
    userId: newId(),
    status: TicketStatus.Available,
    ...overrides,
  });
  await ticket.save();
  return ticket;
}

export function orderCreatedData(
  ticket: { id: string; price: number },
  overrides: Partial<EventData<'order.created'>> = {},
): EventData<'order.created'> {
  return {
    id: newId(),
    version: 0,
    status: 'created',
    userId: newId(),
    expiresAt: new Date(Date.now() + 15 * 60 * 1000).toISOString(),
    ticket: { id: ticket.id, price: ticket.price },
    ...overrides,
  };
}

/** Publishes an event as its producer would; each call is a distinct message (its own event id). */
export async function publishEvent<S extends EventSubject>(
  env: TestEnvironment,
  subject: S,
  data: EventData<S>,
): Promise<void> {
  await env.ctx.publisher.publish(subject, data, newId());
}

/** Waits until at least `count` events of `subject` are in the stream, and returns them all. */
export function waitForEvents<S extends EventSubject>(
  env: TestEnvironment,
  subject: S,
  count: number,
): Promise<Array<PublishedEvent<S>>> {
  return waitFor(async () => {
    const events = await readEvents(env.bus.jsm, subject);
    return events.length >= count ? events : null;
  });
}

/** Every `ticket.updated` published so far, once none is pending any more (so none is still on its way). */
export async function ticketUpdates(
  ctx: TicketsTestContext,
): Promise<Array<PublishedEvent<'ticket.updated'>>> {
  return publishedEvents(ctx.env, 'ticket.updated');
}

/** Waits until the tickets consumer of `subject` has been handed and has settled everything published. */
export async function waitForConsumerIdle(
  env: TestEnvironment,
  subject: EventSubject,
): Promise<void> {
  const durable = `tickets_${subject.replace(/\./g, '_')}`;
  await waitFor(async () => {
    const info = await env.bus.jsm.consumers.info(EVENTS_STREAM, durable);
    return info.num_pending === 0 && info.num_ack_pending === 0;
  });
}

/** How often the tickets consumer of `subject` delivered messages more than once. */
export async function redeliveries(env: TestEnvironment, subject: EventSubject): Promise<number> {
  const durable = `tickets_${subject.replace(/\./g, '_')}`;
  const info = await env.bus.jsm.consumers.info(EVENTS_STREAM, durable);
  return info.num_redelivered;
}
