/**
 * ExpirationQueue on real Redis and JetStream: every expiry fires once and never early, survives a
 * Redis crash, is retried while NATS is down, and a job being published finishes when the queue
 * stops.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import { EventPublisher, Subjects, connectEventBus } from '@ticketing/common';
import { freePort, startNats } from '@ticketing/common/engines';
import { readEvents, waitFor } from '@ticketing/common/testing';
import {
  FAST_RETRY,
  newOrderId,
  readExpiries,
  useExpirationEnvironment,
} from '../test/expiration-test-env';
import { ExpirationQueue, type ExpirationQueueOptions } from './expiration.queue';

// appendonly yes, as Redis runs in Kubernetes: the Redis restart test depends on it.
const t = useExpirationEnvironment({ appendOnly: true });

function expiryIn(ms: number) {
  return { orderId: newOrderId(), version: 0, expiresAt: new Date(Date.now() + ms) };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

describe('ExpirationQueue', () => {
  it('fires each of 50 expiries once, none before its expiresAt', async () => {
    const expiration = await t.startQueue();
    const expiries = Array.from({ length: 50 }, (_, i) => expiryIn(500 + i * 20));

    for (const expiry of expiries) await expiration.schedule(expiry);

    const observed = await waitFor(async () => {
      const found = await readExpiries(t.env);
      return found.length >= expiries.length && found;
    }, 15_000);
    const expiresAt = new Map(expiries.map((e) => [e.orderId, e.expiresAt.getTime()]));
    const lateness = observed
      .map((e) => e.storedAt.getTime() - expiresAt.get(e.data.id)!)
      .sort((a, b) => a - b);
    t.logger.info(
      {
        jobs: lateness.length,
        minMs: lateness[0],
        medianMs: percentile(lateness, 50),
        p95Ms: percentile(lateness, 95),
        maxMs: lateness[lateness.length - 1],
      },
      'expiry lateness (stored in JetStream − expiresAt)',
    );
    expect([...t.expiredPublishes].sort()).toEqual(expiries.map((e) => e.orderId).sort());
    expect(lateness[0]).toBeGreaterThanOrEqual(0);
    expect(lateness[lateness.length - 1]).toBeLessThan(5_000);
  });

  it('keeps a delayed job through a Redis crash and restart (appendonly yes), and fires it once', async () => {
    const expiration = await t.startQueue();
    const expiry = expiryIn(2_500);
    await expiration.schedule(expiry);
    expect(await expiration.queue.getJobState(expiry.orderId)).toBe('delayed');

    await t.stopRedis('kill');
    await t.resumeRedis();

    const [observed] = await waitFor(async () => {
      const found = await readExpiries(t.env);
      return found.length > 0 && found;
    }, 15_000);
    expect(observed!.data).toEqual({ id: expiry.orderId, version: 0 });
    expect(observed!.storedAt.getTime()).toBeGreaterThanOrEqual(expiry.expiresAt.getTime());
    expect(t.expiredPublishes).toEqual([expiry.orderId]);
  });

  it('retries a job whose publish failed while NATS was down, and publishes once NATS is back', async () => {
    // A JetStream of its own that this test can stop and start; the file's own one stays up.
    const storeDir = await mkdtemp(join(tmpdir(), 'expiration-nats-'));
    const port = await freePort();
    let nats = await startNats(undefined, { storeDir, port });
    const bus = await connectEventBus(nats.url, 'expiration', t.logger);
    const publisher = new EventPublisher(bus.js);
    const attempts: Array<'ok' | 'failed'> = [];
    const recordingPublisher: ExpirationQueueOptions['publisher'] = {
      publish: (subject, data, eventId) =>
        publisher.publish(subject, data, eventId).then(
          (ack) => (attempts.push('ok'), ack),
          (err: unknown) => {
            attempts.push('failed');
            throw err;
          },
        ),
    };
    try {
      // The second attempt comes after NATS is back up: 1.5 s after the first failed.
      const expiration = await t.startQueue({
        publisher: recordingPublisher,
        retry: { attempts: 5, firstDelayMs: 1_500, maxDelayMs: 3_000 },
      });
      await nats.process.stop();
      const expiry = expiryIn(0);

      await expiration.schedule(expiry);
      // The JetStream publish times out (5 s) with nobody there; the job fails and waits to retry.
      await waitFor(() => attempts.includes('failed'), 15_000);
      nats = await startNats(undefined, { storeDir, port });

      await waitFor(() => attempts.includes('ok'), 15_000);
      await waitFor(
        async () => (await expiration.queue.getJobState(expiry.orderId)) === 'completed',
      );
      const events = await readEvents(bus.jsm, Subjects.OrderExpired);
      expect(events.map((e) => [e.data, e.eventId])).toEqual([
        [{ id: expiry.orderId, version: 0 }, `order.expired:${expiry.orderId}`],
      ]);
      expect(attempts[0]).toBe('failed');
      expect(attempts[attempts.length - 1]).toBe('ok');
    } finally {
      await bus.nc.close();
      await nats.stop();
      await rm(storeDir, { recursive: true, force: true });
    }
  });

  it('lets a job that is publishing finish when stopped, and marks it done', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let publishing = false;
    const expiration = t.track(
      await ExpirationQueue.start({
        redisUrl: t.redis.url,
        logger: t.logger,
        retry: FAST_RETRY,
        publisher: {
          publish: async (subject, data, eventId) => {
            publishing = true;
            await gate;
            return t.env.ctx.publisher.publish(subject, data, eventId);
          },
        },
      }),
    );
    const expiry = expiryIn(0);
    await expiration.schedule(expiry);
    await waitFor(() => publishing);

    let stopped = false;
    const stopping = expiration.stop().then(() => (stopped = true));
    await sleep(200);
    expect(stopped).toBe(false);
    release();
    await stopping;

    expect((await readExpiries(t.env)).map((e) => e.data.id)).toEqual([expiry.orderId]);
    const restarted = await t.startQueue();
    expect(await restarted.queue.getJobState(expiry.orderId)).toBe('completed');
  });
});
