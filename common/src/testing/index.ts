/**
 * Test support for every workspace: real engines (embedded Mongo, nats-server) per test file, real
 * signed session cookies, and readers for what was actually published. Uses jest's lifecycle globals.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll } from '@jest/globals';
import mongoose from 'mongoose';
import type { JetStreamManager } from '@nats-io/jetstream';
import { signSessionToken, type UserPayload } from '../middlewares/current-user';
import { createLogger } from '../logger/logger';
import { connectEventBus, type EventBus } from '../nats/connection';
import { DEAD_LETTER_STREAM, EVENTS_STREAM } from '../nats/streams';
import { EventPublisher } from '../nats/publisher';
import { connectMongo, type ServiceContext } from '../service/run-service';
import { mongoUri, startMongo, startNats, type Engine } from '../engines';
import type { EventData, EventSubject } from '../events';
import { countPendingEvents } from '../pending-events';

export const TEST_JWT_KEY = 'test-only-jwt-key';

/** A `Cookie` header value carrying a real HS256 session JWT, exactly as auth would set it. */
export function sessionCookie(
  user: UserPayload,
  jwtKey = TEST_JWT_KEY,
  expiresInSeconds = 3600,
): string {
  const token = signSessionToken(user, jwtKey, expiresInSeconds);
  return `session=${Buffer.from(JSON.stringify({ jwt: token })).toString('base64')}`;
}

export interface PublishedEvent<S extends EventSubject = EventSubject> {
  subject: S;
  seq: number;
  eventId: string | null;
  data: EventData<S>;
}

/** Every message stored in the events stream (optionally of one subject), oldest first. */
export async function readEvents<S extends EventSubject = EventSubject>(
  jsm: JetStreamManager,
  subject?: S,
): Promise<Array<PublishedEvent<S>>> {
  const { state } = await jsm.streams.info(EVENTS_STREAM);
  const events: Array<PublishedEvent<S>> = [];
  if (state.messages === 0) return events;
  for (let seq = state.first_seq; seq <= state.last_seq; seq++) {
    const m = await jsm.streams.getMessage(EVENTS_STREAM, { seq }).catch(() => null);
    if (!m || (subject && m.subject !== subject)) continue;
    events.push({
      subject: m.subject as S,
      seq,
      eventId: m.header?.get('Nats-Msg-Id') || null,
      data: m.json<EventData<S>>(),
    });
  }
  return events;
}

/**
 * What this process has published (on `subject`, or all), read once no event is left pending, so no event is
 * still on its way: the way to assert "exactly one event" or "no event" (the relay removes what it sent).
 */
export async function publishedEvents<S extends EventSubject = EventSubject>(
  env: { bus: EventBus },
  subject?: S,
): Promise<Array<PublishedEvent<S>>> {
  await waitFor(async () => (await countPendingEvents()) === 0);
  return readEvents(env.bus.jsm, subject);
}

/** A value `waitFor` accepts as "the condition holds". */
export type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

/** Polls `check` until it returns a truthy value (returned) or throws the last failure after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T> | T,
  timeoutMs = 5_000,
  intervalMs = 25,
): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as Truthy<T>;
      lastError = new Error('condition still false');
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw lastError;
    await sleep(intervalMs);
  }
}

export interface TestEnvironment {
  mongo: Engine;
  nats: Engine;
  bus: EventBus;
  ctx: ServiceContext;
}

/**
 * Starts a fresh embedded Mongo and nats-server for this test file, connects mongoose and the bus, and
 * empties every collection and stream between tests. Fields are filled in `beforeAll`.
 */
export function useTestEnvironment(service: string): TestEnvironment {
  const env = {} as TestEnvironment;
  beforeAll(async () => {
    process.env.JWT_KEY = TEST_JWT_KEY;
    [env.mongo, env.nats] = await Promise.all([startMongo(), startNats()]);
    await connectMongo(mongoUri(env.mongo.url, service));
    const logger = createLogger(service, process.env.LOG_LEVEL ?? 'silent');
    env.bus = await connectEventBus(env.nats.url, service, logger);
    env.ctx = { bus: env.bus, service, logger, publisher: new EventPublisher(env.bus.js) };
  }, 60_000);
  afterEach(async () => {
    for (const collection of Object.values(mongoose.connection.collections))
      await collection.deleteMany({});
    for (const stream of [EVENTS_STREAM, DEAD_LETTER_STREAM]) {
      for await (const consumer of env.bus.jsm.consumers.list(stream)) {
        await env.bus.jsm.consumers.delete(stream, consumer.name);
      }
      await env.bus.jsm.streams.purge(stream);
    }
  });
  afterAll(async () => {
    await mongoose.disconnect();
    await env.bus?.nc.close();
    await Promise.all([env.mongo?.stop(), env.nats?.stop()]);
  });
  return env;
}
