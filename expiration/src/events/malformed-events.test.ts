/**
 * Every subject expiration consumes, sent malformed (a field missing, a field of the wrong type) about an
 * order with a pending expiry: each is dead-lettered at once with its reason, and no job is added,
 * dropped or changed in Redis.
 */
import { describe, expect, it } from '@jest/globals';
import { Subjects } from '@ticketing/common';
import {
  expectMalformedEventsDeadLettered,
  malformedEvents,
  waitFor,
} from '@ticketing/common/testing';
import { buildOrderCreated, useExpirationEnvironment } from '../test/expiration-test-env';

const t = useExpirationEnvironment();

describe('malformed events', () => {
  it('dead-letters each malformed order event with its reason and leaves the expiry jobs alone', async () => {
    const expiration = await t.startQueue();
    await t.startListeners(expiration);
    const pending = buildOrderCreated(60_000);
    await t.env.ctx.publisher.publish(Subjects.OrderCreated, pending, 'pending-order');
    await waitFor(async () => (await expiration.queue.getJobState(pending.id)) === 'delayed');
    const finished = { id: pending.id, version: 1, ticket: { id: pending.ticket.id } };
    const jobs = async () =>
      (await expiration.queue.getJobs()).map((job) => ({
        id: job.id,
        delay: job.delay,
        data: job.data,
      }));

    await expectMalformedEventsDeadLettered(
      t.env.bus,
      'expiration',
      [
        ...malformedEvents(Subjects.OrderCreated, buildOrderCreated(1_000)),
        ...malformedEvents(Subjects.OrderCancelled, finished),
        ...malformedEvents(Subjects.OrderCompleted, finished),
      ],
      jobs,
    );
    expect(await expiration.queue.getJobState(pending.id)).toBe('delayed');
  });
});
