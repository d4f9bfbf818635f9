/**
 * expiration's listeners: order.created schedules one expiry that publishes order.expired at
 * expiresAt (once, however often it is delivered; a broken one dead-lettered), and order.cancelled
 * or order.completed drop it.
 */
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { Subjects, listDeadLetters, type EventData, type EventSubject } from '@ticketing/common';
import { waitFor } from '@ticketing/common/testing';
import type { ExpirationQueue } from '../jobs/expiration.queue';
import {
  buildOrderCreated,
  handledBy,
  readExpiries,
  useExpirationEnvironment,
} from '../test/expiration-test-env';

const t = useExpirationEnvironment();
let expiration: ExpirationQueue;

beforeEach(async () => {
  expiration = await t.startQueue();
  await t.startListeners(expiration, { maxDeliver: 3 });
});

/** Publishes as its producer would; each call is a new message (its own msg id), as a redelivery is. */
async function publish<S extends EventSubject>(subject: S, data: EventData<S>): Promise<number> {
  const ack = await t.env.ctx.publisher.publish(subject, data, randomUUID());
  return ack.seq;
}

const jobState = (orderId: string) => expiration.queue.getJobState(orderId);

async function jobCount(): Promise<number> {
  const counts = await expiration.queue.getJobCounts();
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

function finished(order: EventData<typeof Subjects.OrderCreated>) {
  return { id: order.id, version: 1, ticket: { id: order.ticket.id } };
}

describe('order.created → order.expired', () => {
  it('publishes one order.expired {id, version} when the hold ends, not before expiresAt', async () => {
    const order = buildOrderCreated(1_000);

    await publish(Subjects.OrderCreated, order);

    const [expiry] = await waitFor(async () => {
      const found = await readExpiries(t.env);
      return found.length > 0 && found;
    }, 10_000);
    await waitFor(async () => (await jobState(order.id)) === 'completed');
    expect(expiry!.data).toEqual({ id: order.id, version: 0 });
    expect(expiry!.eventId).toBe(`order.expired:${order.id}`);
    const lateMs = expiry!.storedAt.getTime() - Date.parse(order.expiresAt);
    expect(lateMs).toBeGreaterThanOrEqual(0);
    expect(lateMs).toBeLessThan(5_000);
    expect(t.expiredPublishes).toEqual([order.id]);
  });

  it('fires at once, with the version order.created carried, when expiresAt has already passed (a late event)', async () => {
    const order = buildOrderCreated(-60_000, { version: 1 });

    await publish(Subjects.OrderCreated, order);

    const expiries = await waitFor(async () => {
      const found = await readExpiries(t.env);
      return found.length > 0 && found;
    });
    expect(expiries.map((e) => e.data)).toEqual([{ id: order.id, version: 1 }]);
  });

  it('schedules one job for an order.created delivered twice, and expires the order once', async () => {
    const order = buildOrderCreated(800);

    await publish(Subjects.OrderCreated, order);
    const second = await publish(Subjects.OrderCreated, order);
    await handledBy(t.env, 'expiration_order_created', second);

    expect(await jobCount()).toBe(1);
    await waitFor(async () => (await jobState(order.id)) === 'completed', 10_000);
    expect(t.expiredPublishes).toEqual([order.id]);
    expect(await readExpiries(t.env)).toHaveLength(1);
  });

  it('schedules nothing for an order.created redelivered after its expiry fired (the job keeps its id)', async () => {
    const order = buildOrderCreated(-1_000);
    await publish(Subjects.OrderCreated, order);
    await waitFor(async () => (await jobState(order.id)) === 'completed');
    const firstRun = await expiration.queue.getJob(order.id);

    const redelivered = await publish(Subjects.OrderCreated, order);
    await handledBy(t.env, 'expiration_order_created', redelivered);

    const job = await expiration.queue.getJob(order.id);
    expect(job!.timestamp).toBe(firstRun!.timestamp);
    expect(await jobState(order.id)).toBe('completed');
    expect(t.expiredPublishes).toEqual([order.id]);
  });

  it.each([
    // expiration's own rule (a BullMQ job id): retried, then dead-lettered.
    ['an id that is not an ObjectId', { id: '12345' }, 3, /id: must be a 24-hex order id/],
    // common's event schema, checked before the handler: dead-lettered at once.
    ['an expiresAt that is not a date', { expiresAt: 'soon' }, 1, /expiresAt: /],
    ['a negative version', { version: -1 }, 1, /version: /],
  ])(
    'moves an order.created with %s to the dead letters (after %i deliveries)',
    async (_case, bad, deliveries, why) => {
      const order = { ...buildOrderCreated(1_000), ...bad };

      await publish(Subjects.OrderCreated, order);

      const letters = await waitFor(async () => {
        const found = await listDeadLetters(t.env.bus.jsm, 'expiration');
        return found.length > 0 && found;
      }, 10_000);
      expect(letters).toEqual([
        expect.objectContaining({ subject: 'order.created', deliveries, data: order }),
      ]);
      expect(letters[0]!.error).toMatch(why);
      expect(await jobCount()).toBe(0);
    },
  );
});

describe('order.cancelled / order.completed → the pending expiry is dropped', () => {
  it.each([Subjects.OrderCancelled, Subjects.OrderCompleted])(
    'drops the expiry on %s, while other orders still expire',
    async (subject) => {
      const finishedOrder = buildOrderCreated(1_000);
      const openOrder = buildOrderCreated(1_500);
      await publish(Subjects.OrderCreated, finishedOrder);
      await publish(Subjects.OrderCreated, openOrder);
      await waitFor(async () => (await jobState(finishedOrder.id)) === 'delayed');

      await publish(subject, finished(finishedOrder));

      await waitFor(async () => (await jobState(finishedOrder.id)) === 'unknown');
      // The open order's expiry comes due after the finished one's would have.
      await waitFor(async () => (await jobState(openOrder.id)) === 'completed', 10_000);
      expect(t.expiredPublishes).toEqual([openOrder.id]);
      expect((await readExpiries(t.env)).map((e) => e.data.id)).toEqual([openOrder.id]);
    },
  );

  it('keeps the record of an expiry that already fired, so a redelivered order.created still schedules nothing', async () => {
    const order = buildOrderCreated(-1_000);
    await publish(Subjects.OrderCreated, order);
    await waitFor(async () => (await jobState(order.id)) === 'completed');

    const cancelled = await publish(Subjects.OrderCancelled, finished(order));
    await handledBy(t.env, 'expiration_order_cancelled', cancelled);
    const redelivered = await publish(Subjects.OrderCreated, order);
    await handledBy(t.env, 'expiration_order_created', redelivered);

    expect(await jobState(order.id)).toBe('completed');
    expect(t.expiredPublishes).toEqual([order.id]);
  });

  it('acknowledges an order.cancelled for an order it never scheduled', async () => {
    const order = buildOrderCreated(1_000);

    const seq = await publish(Subjects.OrderCancelled, finished(order));

    await handledBy(t.env, 'expiration_order_cancelled', seq);
    expect(await listDeadLetters(t.env.bus.jsm, 'expiration')).toEqual([]);
    expect(await jobCount()).toBe(0);
  });
});
