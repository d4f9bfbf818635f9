/**
 * A process's own view of the event stream for its live pages: an ordered (ephemeral) JetStream consumer
 * of this replica alone, from now on, so every replica sees every change for its own clients — unlike the
 * shared durable consumers, which hand each message to one replica. Changes are handed to the streams
 * watching their key (an order id, an event id).
 */
import { DeliverPolicy, type ConsumerMessages } from '@nats-io/jetstream';
import type { EventData, EventSubject } from '../events';
import type { Logger } from '../logger/logger';
import { EVENTS_STREAM, type EventBus } from '../nats';

/** A change as the stream stored it: its subject, payload and stream sequence (an SSE id). */
export interface FeedEvent<S extends EventSubject = EventSubject> {
  subject: S;
  data: EventData<S>;
  seq: number;
}

export type FeedKey = (event: FeedEvent) => string | undefined;

export class LiveFeed {
  private readonly watchers = new Map<string, Set<(event: FeedEvent) => void>>();
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;

  /**
   * Watches `subject` (one filter, e.g. `order.*`: nats-server 2.9 takes a single filter subject per
   * consumer), keying each event with `keyOf`.
   */
  constructor(
    private readonly bus: EventBus,
    private readonly logger: Logger,
    private readonly subject: string,
    private readonly keyOf: FeedKey,
  ) {}

  async start(): Promise<void> {
    const consumer = await this.bus.js.consumers.get(EVENTS_STREAM, {
      filter_subjects: this.subject,
      deliver_policy: DeliverPolicy.New,
    });
    this.messages = await consumer.consume();
    this.loop = (async () => {
      for await (const msg of this.messages!) {
        let event: FeedEvent;
        try {
          event = { subject: msg.subject as EventSubject, data: msg.json(), seq: msg.seq };
        } catch (err) {
          this.logger.warn({ err, subject: msg.subject }, 'live feed: unreadable event skipped');
          continue;
        }
        const key = this.keyOf(event);
        for (const watch of (key && this.watchers.get(key)) || []) watch(event);
      }
    })();
  }

  /** Calls `fn` with every change of `key` from now on, until the returned function is called. */
  watch(key: string, fn: (event: FeedEvent) => void): () => void {
    const set = this.watchers.get(key) ?? new Set();
    set.add(fn);
    this.watchers.set(key, set);
    return () => {
      set.delete(fn);
      if (set.size === 0) this.watchers.delete(key);
    };
  }

  async stop(): Promise<void> {
    await this.messages?.close();
    await this.loop;
  }
}

/** The stream's last sequence now: the id of a snapshot taken after this instant. */
export async function lastSequence(bus: EventBus): Promise<number> {
  const info = await bus.jsm.streams.info(EVENTS_STREAM);
  return info.state.last_seq;
}

/**
 * The stored events of `subject` after `afterSeq`, up to the stream's end now, for a client resuming
 * with `Last-Event-ID`; `[]` when nothing came since.
 */
export async function eventsSince(
  bus: EventBus,
  subject: string,
  afterSeq: number,
): Promise<FeedEvent[]> {
  const last = await lastSequence(bus);
  if (last <= afterSeq) return [];
  const consumer = await bus.js.consumers.get(EVENTS_STREAM, {
    filter_subjects: subject,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: afterSeq + 1,
  });
  const events: FeedEvent[] = [];
  for (;;) {
    const msg = await consumer.next({ expires: 1_000 });
    if (!msg) break;
    events.push({ subject: msg.subject as EventSubject, data: msg.json(), seq: msg.seq });
    if (msg.seq >= last || msg.info.pending === 0) break;
  }
  return events;
}
