/**
 * Test setup for expiration: real JetStream and redis-server per test file, the queue and listeners
 * on them, and readers for the order.expired events the worker published.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll } from '@jest/globals';
import {
  EVENTS_STREAM,
  Subjects,
  createLogger,
  type EventData,
  type EventSubject,
  type Listener,
  type ListenerOptions,
  type Logger,
} from '@ticketing/common';
import { startRedis, type Engine } from '@ticketing/common/engines';
import {
  readEvents,
  sampleEventData,
  useTestEnvironment,
  waitFor,
  type TestEnvironment,
} from '@ticketing/common/testing';
import { createListeners } from '../events';
import {
  EXPIRATION_QUEUE,
  ExpirationQueue,
  type ExpirationQueueOptions,
  type RetryPolicy,
} from '../jobs/expiration.queue';

type OrderCreated = EventData<typeof Subjects.OrderCreated>;
type RedisEngine = Engine & { port: number; dir: string };

/** Retries a test can wait for: 100 ms, 200 ms, 400 ms, 500 ms. */
export const FAST_RETRY: RetryPolicy = { attempts: 5, firstDelayMs: 100, maxDelayMs: 500 };

export interface ExpirationTestContext {
  env: TestEnvironment;
  redis: RedisEngine;
  logger: Logger;
  /**
   * Order ids of the order.expired publishes the worker made, in order. JetStream drops a repeated
   * msg id, so the stream alone cannot show that an expiry ran twice; this can.
   */
  expiredPublishes: string[];
  /** The queue and its worker on this file's Redis, publishing to this file's JetStream. */
  startQueue(overrides?: Partial<ExpirationQueueOptions>): Promise<ExpirationQueue>;
  startListeners(queue: ExpirationQueue, options?: ListenerOptions): Promise<void>;
  /** Anything with a stop() the test starts; stopped after the test, before the streams are purged. */
  track<T extends { stop(): Promise<void> }>(running: T): T;
  /** Stops Redis: 'stop' as a restart does (SIGTERM), 'kill' as a crash does. */
  stopRedis(how?: 'stop' | 'kill'): Promise<void>;
  /** Starts the stopped Redis again on the same port and directory (its AOF, if appendOnly). */
  resumeRedis(): Promise<void>;
  /** A plain BullMQ queue on the expiration queue to look at jobs, with no worker that would run them. */
  inspectQueue(): Queue;
}

/**
 * A real JetStream and embedded Mongo (useTestEnvironment; expiration does not use the Mongo) and a
 * real redis-server for this test file. After each test: what the test started is stopped, Redis is
 * emptied, the streams purged.
 */
export function useExpirationEnvironment(
  options: { appendOnly?: boolean } = {},
): ExpirationTestContext {
  const ctx = {} as ExpirationTestContext;
  const running: Array<{ stop(): Promise<void> }> = [];
  ctx.logger = createLogger('expiration', process.env.LOG_LEVEL ?? 'silent');
  ctx.expiredPublishes = [];
  // The real publisher on the real JetStream, counting the publishes it completes.
  const countingPublisher: ExpirationQueueOptions['publisher'] = {
    publish: async (subject, data, eventId) => {
      const ack = await ctx.env.ctx.publisher.publish(subject, data, eventId);
      if (subject === Subjects.OrderExpired) ctx.expiredPublishes.push(data.id);
      return ack;
    },
  };
  ctx.track = (item) => {
    running.push(item);
    return item;
  };
  ctx.startQueue = async (overrides = {}) =>
    ctx.track(
      await ExpirationQueue.start({
        redisUrl: ctx.redis.url,
        publisher: countingPublisher,
        logger: ctx.logger,
        retry: FAST_RETRY,
        ...overrides,
      }),
    );
  ctx.startListeners = async (queue, listenerOptions = { maxDeliver: 3 }) => {
    const listeners: Array<Listener<EventSubject>> = createListeners(
      ctx.env.ctx,
      queue,
      listenerOptions,
    );
    for (const listener of listeners) await ctx.track(listener).start();
  };
  ctx.stopRedis = async (how = 'stop') => {
    // The process only: the engine's own stop() would also delete the directory that holds the AOF.
    await (how === 'kill' ? ctx.redis.process.kill() : ctx.redis.process.stop());
  };
  ctx.resumeRedis = async () => {
    const { port, dir } = ctx.redis;
    ctx.redis = await startRedis(undefined, { appendOnly: options.appendOnly, port, dir });
  };
  ctx.inspectQueue = () => {
    const queue = new Queue(EXPIRATION_QUEUE, { connection: { url: ctx.redis.url } });
    ctx.track({ stop: () => queue.close() });
    return queue;
  };

  // Registered before useTestEnvironment's own afterEach, so it runs first (declaration order): nothing
  // of this test can publish into the next one after the streams were purged.
  afterEach(async () => {
    for (const item of running.splice(0).reverse()) await item.stop();
    ctx.expiredPublishes.length = 0;
    const client = new Redis(ctx.redis.url, { maxRetriesPerRequest: 1 });
    await client.flushall();
    await client.quit();
  });
  ctx.env = useTestEnvironment('expiration');
  beforeAll(async () => {
    ctx.redis = await startRedis(undefined, { appendOnly: options.appendOnly });
  });
  afterAll(async () => {
    await ctx.redis?.stop();
    if (ctx.redis) await rm(ctx.redis.dir, { recursive: true, force: true });
  });
  return ctx;
}

/** Resolves once a listener's durable consumer has handled (acked or terminated) stream message `seq`. */
export async function handledBy(env: TestEnvironment, durable: string, seq: number): Promise<void> {
  await waitFor(async () => {
    const info = await env.bus.jsm.consumers.info(EVENTS_STREAM, durable);
    return info.ack_floor.stream_seq >= seq && info.num_ack_pending === 0;
  });
}

export function newOrderId(): string {
  return randomBytes(12).toString('hex');
}

/** An `order.created` as orders publishes it, expiring `inMs` from now. */
export function buildOrderCreated(
  inMs: number,
  overrides: Partial<OrderCreated> = {},
): OrderCreated {
  return {
    ...sampleEventData(Subjects.OrderCreated),
    id: newOrderId(),
    version: 0,
    expiresAt: new Date(Date.now() + inMs).toISOString(),
    ...overrides,
  };
}

export interface ObservedExpiry {
  data: { id: string; version: number };
  eventId: string | null;
  /** When JetStream stored it. */
  storedAt: Date;
}

/** Every `order.expired` in the events stream, oldest first, with the time JetStream stored it. */
export async function readExpiries(env: TestEnvironment): Promise<ObservedExpiry[]> {
  const events = await readEvents(env.bus.jsm, Subjects.OrderExpired);
  const observed: ObservedExpiry[] = [];
  for (const event of events) {
    const stored = await env.bus.jsm.streams.getMessage(EVENTS_STREAM, { seq: event.seq });
    if (stored) observed.push({ data: event.data, eventId: event.eventId, storedAt: stored.time });
  }
  return observed;
}
