/**
 * The Listener base class on a real JetStream: each event handled once per service through a shared
 * durable consumer, redelivered on retry, dead-lettered when its handler keeps failing or its
 * payload is not JSON or breaks its schema; a stop finishes the message in hand.
 */
import { randomUUID } from 'node:crypto';
import { compareVersions, Subjects, type EventData } from '../events';
import { sampleEventData, useTestEnvironment, waitFor } from '../testing';
import { connectEventBus } from './connection';
import { listDeadLetters } from './dead-letter';
import {
  Listener,
  type ListenerContext,
  type ListenerOptions,
  type ListenerOutcome,
  type MessageMeta,
} from './listener';
import { EVENTS_STREAM } from './streams';

type TicketUpdated = EventData<typeof Subjects.TicketUpdated>;
type Handler = (data: TicketUpdated, meta: MessageMeta) => Promise<ListenerOutcome | void>;

/** A concrete listener whose behaviour each test supplies; it records every delivery it gets. */
class TicketUpdatedListener extends Listener<typeof Subjects.TicketUpdated> {
  readonly subject = Subjects.TicketUpdated;
  readonly deliveries: Array<{ data: TicketUpdated; meta: MessageMeta }> = [];

  constructor(
    ctx: ListenerContext,
    private readonly handler: Handler = async () => undefined,
    options?: ListenerOptions,
  ) {
    super(ctx, options);
  }

  async onMessage(data: TicketUpdated, meta: MessageMeta): Promise<ListenerOutcome | void> {
    this.deliveries.push({ data, meta });
    return this.handler(data, meta);
  }
}

const env = useTestEnvironment('listener-test');
const running: Array<{ stop(): Promise<void> }> = [];

/** Builds and starts a listener; it is stopped after the test even if the test fails. */
async function startListener(
  handler?: Handler,
  options?: ListenerOptions,
  ctx: ListenerContext = env.ctx,
): Promise<TicketUpdatedListener> {
  const listener = new TicketUpdatedListener(ctx, handler, options);
  running.push(listener);
  await listener.start();
  return listener;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((listener) => listener.stop()));
});

/** One listing for the whole file, so two payloads built alike compare equal. */
const LISTING = sampleEventData(Subjects.TicketUpdated);

function buildTicketUpdated(overrides: Partial<TicketUpdated> = {}): TicketUpdated {
  return {
    ...LISTING,
    id: 'ticket-1',
    version: 1,
    title: 'Concert',
    ...overrides,
  };
}

async function publishTicketUpdated(
  overrides: Partial<TicketUpdated> = {},
  eventId = randomUUID(),
) {
  await env.ctx.publisher.publish(Subjects.TicketUpdated, buildTicketUpdated(overrides), eventId);
  return eventId;
}

function consumerInfo(durable: string) {
  return env.bus.jsm.consumers.info(EVENTS_STREAM, durable);
}

describe('Listener', () => {
  it('handles a published event once and acknowledges it', async () => {
    const listener = await startListener();

    const eventId = await publishTicketUpdated({ title: 'Opera' });

    await waitFor(() => listener.deliveries.length === 1);
    const info = await waitFor(async () => {
      const current = await consumerInfo(listener.durableName);
      return current.ack_floor.stream_seq >= 1 && current;
    });
    expect(listener.deliveries[0]).toEqual({
      data: buildTicketUpdated({ title: 'Opera' }),
      meta: { eventId, deliveryCount: 1, streamSeq: expect.any(Number) },
    });
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);
    expect(info.num_redelivered).toBe(0);
  });

  it('names its durable consumer after the service and the subject', async () => {
    const listener = await startListener();

    const info = await consumerInfo(listener.durableName);

    expect(listener.durableName).toBe('listener-test_ticket_updated');
    expect(info.config).toMatchObject({
      durable_name: 'listener-test_ticket_updated',
      filter_subject: 'ticket.updated',
      ack_policy: 'explicit',
      deliver_policy: 'all',
    });
  });

  it('receives events published before it first started', async () => {
    const eventId = await publishTicketUpdated();

    const listener = await startListener();

    await waitFor(() => listener.deliveries.length === 1);
    expect(listener.deliveries[0]!.meta.eventId).toBe(eventId);
  });

  it('receives, after a restart, the events published while it was stopped', async () => {
    const first = await startListener();
    await publishTicketUpdated({ version: 1 });
    await waitFor(() => first.deliveries.length === 1);
    await first.stop();

    await publishTicketUpdated({ version: 2 });
    const restarted = await startListener();

    await waitFor(() => restarted.deliveries.length === 1);
    expect(restarted.deliveries[0]!.data.version).toBe(2);
  });

  it('shares one durable consumer between replicas of a service, so each event is handled once in total', async () => {
    const otherReplicaBus = await connectEventBus(env.nats.url, 'listener-test', env.ctx.logger);
    try {
      const [replicaA, replicaB] = await Promise.all([
        startListener(),
        startListener(undefined, undefined, { ...env.ctx, bus: otherReplicaBus }),
      ]);

      const published = [];
      for (let version = 1; version <= 40; version++) {
        published.push(await publishTicketUpdated({ id: `ticket-${version}`, version }));
      }

      const handled = await waitFor(() => {
        const all = [...replicaA.deliveries, ...replicaB.deliveries];
        return all.length >= published.length && all;
      });
      await waitFor(async () => (await consumerInfo(replicaA.durableName)).num_ack_pending === 0);
      const consumers = [];
      for await (const consumer of env.bus.jsm.consumers.list(EVENTS_STREAM)) {
        consumers.push(consumer.name);
      }
      expect(handled.map((d) => d.meta.eventId).sort()).toEqual([...published].sort());
      expect(consumers).toEqual(['listener-test_ticket_updated']);
    } finally {
      await Promise.all(running.splice(0).map((listener) => listener.stop()));
      await otherReplicaBus.nc.close();
    }
  });

  it('gives every service its own copy of each event', async () => {
    const inOrders = await startListener(undefined, undefined, { ...env.ctx, service: 'orders' });
    const inPayments = await startListener(undefined, undefined, {
      ...env.ctx,
      service: 'payments',
    });

    const eventId = await publishTicketUpdated();

    await waitFor(() => inOrders.deliveries.length === 1 && inPayments.deliveries.length === 1);
    expect(inOrders.deliveries[0]!.meta.eventId).toBe(eventId);
    expect(inPayments.deliveries[0]!.meta.eventId).toBe(eventId);
  });

  it('redelivers an event answered with "retry" and applies it once the missing version arrived', async () => {
    // A replica at version 0 that applies only the next version (the ordering rule).
    const replica = { version: 0 };
    const applied: number[] = [];
    const listener = await startListener(async (data) => {
      const verdict = compareVersions(replica.version, data.version);
      if (verdict === 'gap') return 'retry';
      if (verdict === 'apply') {
        replica.version = data.version;
        applied.push(data.version);
      }
    });

    await publishTicketUpdated({ version: 2, price: 30 });
    await waitFor(() => listener.deliveries.length >= 1);
    expect(applied).toEqual([]);
    await publishTicketUpdated({ version: 1, price: 25 });

    await waitFor(() => applied.length === 2);
    await waitFor(async () => (await consumerInfo(listener.durableName)).num_ack_pending === 0);
    expect(applied).toEqual([1, 2]);
    const version2Deliveries = listener.deliveries.filter((d) => d.data.version === 2);
    expect(version2Deliveries.length).toBeGreaterThanOrEqual(2);
    expect(await listDeadLetters(env.bus.jsm)).toEqual([]);
  });

  it('moves an event whose handler keeps failing to the dead letters after maxDeliver attempts, and stops delivering it', async () => {
    const listener = await startListener(
      async () => {
        throw new Error('replica write failed');
      },
      { maxDeliver: 3 },
    );

    const eventId = await publishTicketUpdated({ id: 'ticket-dead', version: 7 });

    const letters = await waitFor(async () => {
      const found = await listDeadLetters(env.bus.jsm);
      return found.length > 0 && found;
    });
    expect(letters).toEqual([
      {
        seq: expect.any(Number),
        service: 'listener-test',
        subject: 'ticket.updated',
        originalSeq: listener.deliveries[0]!.meta.streamSeq,
        eventId,
        deliveries: 3,
        error: 'replica write failed',
        receivedAt: expect.any(Date),
        data: buildTicketUpdated({ id: 'ticket-dead', version: 7 }),
      },
    ]);
    // Terminated, not left to redeliver after ack_wait: nothing is pending on the consumer.
    const info = await waitFor(async () => {
      const current = await consumerInfo(listener.durableName);
      return current.num_ack_pending === 0 && current;
    }, 2_000);
    expect(info.num_pending).toBe(0);
    expect(listener.deliveries.map((d) => d.meta.deliveryCount)).toEqual([1, 2, 3]);
  });

  it('moves a payload that is not JSON straight to the dead letters without calling the handler', async () => {
    const listener = await startListener();
    const eventId = randomUUID();

    await env.bus.js.publish(Subjects.TicketUpdated, '{"id": "ticket-1", "vers', {
      msgID: eventId,
    });

    const letters = await waitFor(async () => {
      const found = await listDeadLetters(env.bus.jsm);
      return found.length > 0 && found;
    });
    expect(letters).toEqual([
      expect.objectContaining({
        service: 'listener-test',
        subject: 'ticket.updated',
        eventId,
        deliveries: 1,
        error: 'payload is not valid JSON',
        data: '{"id": "ticket-1", "vers',
      }),
    ]);
    expect(listener.deliveries).toEqual([]);
    await waitFor(async () => (await consumerInfo(listener.durableName)).num_ack_pending === 0);
  });

  it('moves an event that does not match its schema straight to the dead letters, naming what is wrong, without calling the handler', async () => {
    const listener = await startListener();
    const eventId = randomUUID();
    const malformed = { ...buildTicketUpdated(), price: '20', version: -1 };

    await env.bus.js.publish(Subjects.TicketUpdated, JSON.stringify(malformed), { msgID: eventId });

    const letters = await waitFor(async () => {
      const found = await listDeadLetters(env.bus.jsm);
      return found.length > 0 && found;
    });
    expect(letters).toEqual([
      expect.objectContaining({
        subject: 'ticket.updated',
        eventId,
        deliveries: 1,
        error: expect.stringMatching(
          /^payload is not a valid ticket\.updated: version: .+; price: not a price in dollars$/,
        ),
      }),
    ]);
    expect(listener.deliveries).toEqual([]);
  });

  it('hands the handler only the fields the event defines', async () => {
    const listener = await startListener();

    await env.bus.js.publish(
      Subjects.TicketUpdated,
      JSON.stringify({ ...buildTicketUpdated(), $where: 'sleep(1000)' }),
      { msgID: randomUUID() },
    );

    await waitFor(() => listener.deliveries.length === 1);
    expect(listener.deliveries[0]!.data).toEqual(buildTicketUpdated());
  });

  it("lists only one service's dead letters when asked", async () => {
    const failing = async () => {
      throw new Error('nope');
    };
    await startListener(failing, { maxDeliver: 1 }, { ...env.ctx, service: 'orders' });
    await startListener(failing, { maxDeliver: 1 }, { ...env.ctx, service: 'tickets' });

    await publishTicketUpdated();

    await waitFor(async () => (await listDeadLetters(env.bus.jsm)).length === 2);
    const forOrders = await listDeadLetters(env.bus.jsm, 'orders');
    expect(forOrders.map((letter) => letter.service)).toEqual(['orders']);
  });

  it('lets the message in hand finish when stopped, then pulls no more', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const finished: number[] = [];
    const listener = await startListener(async (data) => {
      await gate;
      finished.push(data.version);
    });
    await publishTicketUpdated({ version: 1 });
    await waitFor(() => listener.deliveries.length === 1);

    let stopped = false;
    const stopping = listener.stop().then(() => (stopped = true));
    await publishTicketUpdated({ version: 2 });
    expect(stopped).toBe(false);
    release();
    await stopping;

    expect(finished).toEqual([1]);
    const info = await waitFor(async () => {
      const current = await consumerInfo(listener.durableName);
      return current.ack_floor.stream_seq >= 1 && current;
    });
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(1);
    expect(listener.deliveries).toHaveLength(1);
  });
});
