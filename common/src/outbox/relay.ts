import type { Logger } from '../logger/logger';
import type { EventPublisher } from '../nats/publisher';
import { OutboxModel, onOutboxCommit, serialized } from './outbox';

export interface RelayOptions {
  /** Safety-net poll for entries committed by a process that died before publishing them. */
  pollIntervalMs?: number;
  batchSize?: number;
}

/**
 * Publishes outbox entries to JetStream in commit order and deletes each only after JetStream's ack.
 * A crash between publish and delete republishes the entry; JetStream drops the copy by its `Nats-Msg-Id`,
 * so every event is stored in the stream exactly once.
 */
export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private running?: Promise<number>;
  private again = false;
  private stopped = true;
  private paused = false;

  constructor(
    private readonly publisher: EventPublisher,
    private readonly logger: Logger,
    private readonly options: RelayOptions = {},
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = onOutboxCommit(() => this.kick());
    this.timer = setInterval(() => this.kick(), this.options.pollIntervalMs ?? 1_000);
    this.timer.unref();
    this.kick();
  }

  /**
   * An operator's lever (SIGUSR2 in runService): while paused, committed entries stay pending in the
   * outbox and nothing is published; `resume()` publishes the backlog in commit order. Everything else
   * (HTTP, listeners) keeps running, so this shows what a slow or partitioned relay does to the system.
   */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (!this.stopped) this.kick();
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /**
   * Stops polling and publishes whatever is still pending, so a graceful shutdown leaves the outbox empty
   * (a pause ends here: shutting down flushes the backlog).
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.paused = false;
    clearInterval(this.timer);
    this.unsubscribe?.();
    // A run already in flight may fail (NATS unreachable); it was logged by kick(), and stop() must not throw.
    await this.running?.catch(() => undefined);
    await this.drain().catch((err: unknown) =>
      this.logger.warn({ err }, 'outbox not flushed at shutdown; entries stay pending'),
    );
  }

  /** Publishes every pending entry now; resolves with how many were published. */
  drain(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.publishPending().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private kick(): void {
    if (this.paused) return;
    // Joining a run in flight would log its one failure once per kick: ask it to go again instead.
    if (this.running) {
      this.again = true;
      return;
    }
    this.drain().catch((err: unknown) =>
      this.logger.warn({ err }, 'outbox relay could not publish; will retry'),
    );
  }

  private async publishPending(): Promise<number> {
    const batchSize = this.options.batchSize ?? 100;
    let published = 0;
    if (this.paused) return published;
    do {
      this.again = false;
      for (;;) {
        const batch = await OutboxModel.find().sort({ _id: 1 }).limit(batchSize).lean();
        if (batch.length === 0) break;
        // JetStream stores publishes of one connection in the order sent, so a batch keeps commit order.
        const results = await Promise.allSettled(
          batch.map((e) => this.publisher.publishRaw(e.subject, e.data, e._id)),
        );
        const acked = batch.filter((_, i) => results[i]!.status === 'fulfilled').map((e) => e._id);
        if (acked.length > 0) {
          await serialized(() => OutboxModel.deleteMany({ _id: { $in: acked } }));
          published += acked.length;
        }
        const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failure) throw failure.reason;
        if (batch.length < batchSize || this.paused) break;
      }
    } while (this.again && !this.paused);
    return published;
  }
}
