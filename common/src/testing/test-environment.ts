/**
 * Real engines for a test file that starts no service: embedded MongoDB and nats-server, connected,
 * and emptied between tests.
 */
import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JetStreamManager } from '@nats-io/jetstream';
import mongoose from 'mongoose';
import { mongoUri, startMongo, startNats, type Engine } from '../engines';
import { createLogger } from '../logger/logger';
import { connectEventBus, type EventBus } from '../nats/connection';
import { EventPublisher } from '../nats/publisher';
import { DEAD_LETTER_STREAM, EVENTS_STREAM } from '../nats/streams';
import { connectMongo } from '../service/mongo';
import type { ServiceContext } from '../service/run-service';
import { TEST_JWT_KEY } from './session';

/**
 * Leaves the engines as a fresh file found them: every collection emptied (the embedded engine has no
 * drop; the indexes stay, as the service built them at start), every consumer deleted and both streams
 * purged. Whatever could still write or publish (listeners, the relay) must be stopped or drained first.
 */
export async function resetEngines(jsm: JetStreamManager): Promise<void> {
  for (const collection of Object.values(mongoose.connection.collections))
    await collection.deleteMany({});
  for (const stream of [EVENTS_STREAM, DEAD_LETTER_STREAM]) {
    for await (const consumer of jsm.consumers.list(stream)) {
      // A running service's own live feed (an ordered, ephemeral consumer) stays: deleted, it would
      // not see the next test's changes. The durable consumers are the listeners' and go.
      if (!consumer.config.durable_name) continue;
      await deleteConsumer(jsm, stream, consumer.name);
    }
    await jsm.streams.purge(stream);
  }
}

/**
 * nats-server 2.9 (Debian's) can refuse to delete a consumer whose store it is still writing ("unlinkat
 * …/obs/<consumer>: directory not empty", seen in CI right after a test's last ack): asked again a moment
 * later, it deletes it.
 */
async function deleteConsumer(jsm: JetStreamManager, stream: string, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await jsm.consumers.delete(stream, name);
      return;
    } catch (err) {
      if (attempt >= 5 || !/directory not empty/.test(String(err))) throw err;
      await sleep(50 * attempt);
    }
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
 * empties every collection and stream between tests. Fields are filled in `beforeAll`. For tests of parts
 * of common and of expiration; a service with data is tested through its definition (useService).
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
  afterEach(() => resetEngines(env.bus.jsm));
  afterAll(async () => {
    await mongoose.disconnect();
    await env.bus?.nc.close();
    await Promise.all([env.mongo?.stop(), env.nats?.stop()]);
  });
  return env;
}
