/**
 * The expiration service as index.ts defines it: health endpoints, waiting for Redis while it is
 * down instead of failing, and expiries that outlive a restart of the service.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import {
  EVENTS_STREAM,
  Subjects,
  listDeadLetters,
  startService,
  type RunningService,
} from '@ticketing/common';
import { waitFor } from '@ticketing/common/testing';
import { readConfig } from './config';
import { defineExpirationService } from './service';
import {
  FAST_RETRY,
  buildOrderCreated,
  handledBy,
  readExpiries,
  useExpirationEnvironment,
} from './test/expiration-test-env';

// appendonly yes, as Redis runs in Kubernetes: expiries must outlive a Redis restart.
const t = useExpirationEnvironment({ appendOnly: true });

/** The service exactly as index.ts defines it, on a free port, against this file's engines. */
async function startExpirationService(): Promise<RunningService> {
  const config = readConfig({
    NODE_ENV: 'test',
    PORT: '0',
    NATS_URL: t.env.nats.url,
    REDIS_URL: t.redis.url,
  });
  const definition = defineExpirationService(config, t.logger, {
    listener: { maxDeliver: 3 },
    retry: FAST_RETRY,
  });
  return t.track(await startService(definition));
}

async function statusOf(service: RunningService, path: string) {
  const res = await fetch(`http://127.0.0.1:${service.port}${path}`);
  return [res.status, await res.json()];
}

function consumerInfo(durable: string) {
  return t.env.bus.jsm.consumers.info(EVENTS_STREAM, durable);
}

async function publishOrderCreated(inMs: number) {
  const order = buildOrderCreated(inMs);
  const ack = await t.env.ctx.publisher.publish(Subjects.OrderCreated, order, randomUUID());
  return { order, seq: ack.seq };
}

describe('the expiration service', () => {
  it('answers /healthz and /readyz, and 404 to anything else: it has no HTTP API', async () => {
    const service = await startExpirationService();

    expect(await statusOf(service, '/healthz')).toEqual([200, { status: 'ok' }]);
    expect(await statusOf(service, '/readyz')).toEqual([200, { status: 'ready' }]);
    expect((await fetch(`http://127.0.0.1:${service.port}/api/orders`)).status).toBe(404);
  });

  it('answers /readyz with 503 while Redis is down; an order.created arriving meanwhile is scheduled once it is back', async () => {
    const service = await startExpirationService();

    await t.stopRedis();
    await waitFor(async () => (await statusOf(service, '/readyz'))[0] === 503);
    const { order, seq } = await publishOrderCreated(-1_000);
    // Delivered to the listener, which is waiting for Redis: neither acked nor given up.
    await waitFor(async () => {
      const info = await consumerInfo('expiration_order_created');
      return info.delivered.stream_seq >= seq && info.num_ack_pending === 1;
    });
    // Longer than the listener's first retry delays: an add that failed would show as a redelivery.
    await sleep(500);
    await t.resumeRedis();

    await waitFor(async () => (await statusOf(service, '/readyz'))[0] === 200, 10_000);
    const expiries = await waitFor(async () => {
      const found = await readExpiries(t.env);
      return found.length > 0 && found;
    }, 10_000);
    expect(expiries.map((e) => e.data)).toEqual([{ id: order.id, version: 0 }]);
    // Handled on its one and only delivery: it waited for Redis instead of failing and retrying.
    await handledBy(t.env, 'expiration_order_created', seq);
    expect((await consumerInfo('expiration_order_created')).delivered.consumer_seq).toBe(1);
    expect(await listDeadLetters(t.env.bus.jsm, 'expiration')).toEqual([]);
  });

  it('stops promptly while Redis is down, and the next instance still fires the expiries scheduled before', async () => {
    const jobs = t.inspectQueue();
    const first = await startExpirationService();
    const { order, seq } = await publishOrderCreated(2_000);
    await handledBy(t.env, 'expiration_order_created', seq);
    await t.stopRedis();
    await waitFor(async () => (await statusOf(first, '/readyz'))[0] === 503);

    const began = Date.now();
    await first.stop();
    const stoppedInMs = Date.now() - began;
    await t.resumeRedis();
    await startExpirationService();

    // Within common's runService grace period (10 s), after which the process is killed anyway.
    expect(stoppedInMs).toBeLessThan(5_000);
    const expiries = await waitFor(async () => {
      const found = await readExpiries(t.env);
      return found.length > 0 && found;
    }, 10_000);
    await waitFor(async () => (await jobs.getJobState(order.id)) === 'completed');
    expect(expiries.map((e) => e.data)).toEqual([{ id: order.id, version: 0 }]);
    expect(expiries[0]!.storedAt.getTime()).toBeGreaterThanOrEqual(Date.parse(order.expiresAt));
  });

  it('keeps scheduled expiries across a restart of the service: the next instance fires them once', async () => {
    const jobs = t.inspectQueue();
    const first = await startExpirationService();
    const { order, seq } = await publishOrderCreated(3_000);
    await handledBy(t.env, 'expiration_order_created', seq);
    expect(await jobs.getJobState(order.id)).toBe('delayed');

    await first.stop();
    // The first instance is gone before the hold ends: only the job in Redis is left to fire it.
    expect(Date.now()).toBeLessThan(Date.parse(order.expiresAt));
    await startExpirationService();

    const expiries = await waitFor(async () => {
      const found = await readExpiries(t.env);
      return found.length > 0 && found;
    }, 10_000);
    await waitFor(async () => (await jobs.getJobState(order.id)) === 'completed');
    expect(expiries.map((e) => e.data)).toEqual([{ id: order.id, version: 0 }]);
    expect(expiries[0]!.storedAt.getTime()).toBeGreaterThanOrEqual(Date.parse(order.expiresAt));
    expect((await jobs.getJob(order.id))!.attemptsMade).toBe(1);
  });
});
