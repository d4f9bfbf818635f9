/**
 * The base class of every event listener: a durable JetStream consumer per service and subject,
 * payloads checked by their schema, bounded concurrency, retries with backoff and dead-lettering.
 */
import { nanos } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { parseEventData, type EventData, type EventSubject } from '../events';
import type { Logger } from '../logger/logger';
import type { EventBus } from './connection';
import { deadLetter } from './dead-letter';
import { EVENTS_STREAM, isNotFound } from './streams';

export interface ListenerContext {
  bus: EventBus;
  /** The consuming service; with the subject it names the durable consumer all its replicas share. */
  service: string;
  logger: Logger;
  /** Messages each listener handles at once (`LISTENER_CONCURRENCY`). */
  concurrency?: number;
}

export interface ListenerOptions {
  /** Attempts before a message is moved to the dead-letter stream. */
  maxDeliver?: number;
  /** How long JetStream waits for an ack before redelivering (a crashed handler). */
  ackWaitMs?: number;
  /** Messages handled at once; defaults to the context's `concurrency`, else DEFAULT_CONCURRENCY. */
  concurrency?: number;
}

/** `retry`: not applicable yet (a version gap); leave it unacked so it is redelivered later. */
export type ListenerOutcome = 'ack' | 'retry';

export interface MessageMeta {
  eventId: string | null;
  deliveryCount: number;
  streamSeq: number;
}

export const DEFAULT_MAX_DELIVER = 10;
export const DEFAULT_CONCURRENCY = 16;
/**
 * How long a delivered message may stay unacknowledged before JetStream hands it to another replica.
 * Short, so a message held by a process that was killed comes back quickly; each message in hand is
 * marked as in progress (`working()`) when its handling starts, and at most PULL_BATCH wait in our buffer.
 */
const DEFAULT_ACK_WAIT_MS = 10_000;
const PULL_BATCH = 64;

/** The durable consumer every replica of `service` shares for `subject`: `orders_ticket_created`. */
export function durableName(service: string, subject: EventSubject): string {
  return `${service}_${subject.replace(/\./g, '_')}`;
}

/** Redelivery backoff: 100 ms, 200 ms, 400 ms … capped at 5 s (about 20 s in all before dead-lettering). */
export function retryDelayMs(deliveryCount: number): number {
  return Math.min(100 * 2 ** (deliveryCount - 1), 5_000);
}

/**
 * One durable JetStream consumer per (service, subject), shared by every replica of the service, so each
 * event is handled once per service. Up to `concurrency` messages of one consumer are handled at once;
 * they arrive in stream order, and the handlers keep per-entity order by the version check (a message
 * that finds an earlier version missing answers `retry` and comes back after it).
 * A handler that throws, or answers `retry`, is redelivered with backoff; after `maxDeliver` attempts the
 * message goes to the dead-letter stream and is terminated, never looping forever.
 */
export abstract class Listener<S extends EventSubject> {
  abstract readonly subject: S;
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;

  constructor(
    protected readonly ctx: ListenerContext,
    private readonly options: ListenerOptions = {},
  ) {}

  abstract onMessage(data: EventData<S>, meta: MessageMeta): Promise<ListenerOutcome | void>;

  get durableName(): string {
    return durableName(this.ctx.service, this.subject);
  }

  protected get maxDeliver(): number {
    return this.options.maxDeliver ?? DEFAULT_MAX_DELIVER;
  }

  async start(): Promise<void> {
    await this.ensureConsumer();
    const consumer = await this.ctx.bus.js.consumers.get(EVENTS_STREAM, this.durableName);
    this.messages = await consumer.consume({ max_messages: PULL_BATCH });
    const concurrency = this.options.concurrency ?? this.ctx.concurrency ?? DEFAULT_CONCURRENCY;
    this.loop = (async () => {
      const inFlight = new Set<Promise<void>>();
      for await (const msg of this.messages!) {
        const handled: Promise<void> = this.handle(msg).finally(() => inFlight.delete(handled));
        inFlight.add(handled);
        if (inFlight.size >= concurrency) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
    })();
  }

  /** Stops pulling, lets the messages in hand finish, and returns once the loop has ended. */
  async stop(): Promise<void> {
    if (!this.messages) return;
    await this.messages.close();
    await this.loop;
    this.messages = undefined;
  }

  private async ensureConsumer(): Promise<void> {
    const { jsm } = this.ctx.bus;
    const limits = {
      ack_wait: nanos(this.options.ackWaitMs ?? DEFAULT_ACK_WAIT_MS),
      // One more than ours: if we crash during the last attempt the server still hands it back once.
      max_deliver: this.maxDeliver + 1,
      max_ack_pending: 1000,
    };
    try {
      await jsm.consumers.info(EVENTS_STREAM, this.durableName);
      await jsm.consumers.update(EVENTS_STREAM, this.durableName, limits);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await jsm.consumers.add(EVENTS_STREAM, {
        durable_name: this.durableName,
        filter_subject: this.subject,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ...limits,
      });
    }
  }

  private async handle(msg: JsMsg): Promise<void> {
    msg.working();
    const meta: MessageMeta = {
      eventId: msg.headers?.get('Nats-Msg-Id') || null,
      deliveryCount: msg.info.deliveryCount,
      streamSeq: msg.seq,
    };
    const log = this.ctx.logger.child({
      subject: msg.subject,
      seq: msg.seq,
      eventId: meta.eventId,
      delivery: meta.deliveryCount,
    });
    let payload: unknown;
    try {
      payload = msg.json<unknown>();
    } catch {
      await this.giveUp(msg, 'payload is not valid JSON', log);
      return;
    }
    // Checked before any handler sees it: a malformed event would fail the same way on every delivery,
    // or worse, half-apply. It goes to the dead letters at once, with what is wrong with it.
    const parsed = parseEventData(this.subject, payload);
    if (!parsed.ok) {
      await this.giveUp(msg, parsed.reason, log);
      return;
    }
    const { data } = parsed;
    // Tell JetStream the message is in progress every half ack-wait, so a slow handler keeps it.
    const ackWaitMs = this.options.ackWaitMs ?? DEFAULT_ACK_WAIT_MS;
    const heartbeat = setInterval(() => msg.working(), ackWaitMs / 2);
    try {
      const outcome = await this.onMessage(data, meta);
      if (outcome === 'retry') {
        await this.retryOrGiveUp(
          msg,
          'still not applicable after every retry (waiting for an earlier version or a state that never came)',
          log,
        );
      } else {
        msg.ack();
      }
    } catch (err) {
      log.warn({ err }, 'event handler failed');
      await this.retryOrGiveUp(msg, (err as Error)?.message ?? String(err), log);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async retryOrGiveUp(msg: JsMsg, reason: string, log: Logger): Promise<void> {
    if (msg.info.deliveryCount >= this.maxDeliver) {
      await this.giveUp(msg, reason, log);
    } else {
      msg.nak(retryDelayMs(msg.info.deliveryCount));
    }
  }

  private async giveUp(msg: JsMsg, reason: string, log: Logger): Promise<void> {
    try {
      await deadLetter(this.ctx.bus.js, this.ctx.service, msg, reason);
      // No reason argument: nats-server 2.9 ignores a `+TERM <reason>` ack (reasons came in 2.10), which
      // left the message pending and redelivered it after ack_wait. The reason is in the dead letter.
      msg.term();
      log.error({ reason }, 'event moved to the dead-letter stream');
    } catch (err) {
      log.error({ err }, 'could not dead-letter the event; it will be redelivered');
      msg.nak(retryDelayMs(msg.info.deliveryCount));
    }
  }
}
