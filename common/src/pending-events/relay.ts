/**
 * The event relay: publishes the events entities carry in their documents, and removes each after
 * JetStream's ack.
 */
import type { Model } from 'mongoose';
import type { Logger } from '../logger/logger';
import type { EventPublisher } from '../nats/publisher';
import {
  HAS_PENDING_EVENTS,
  PENDING_EVENTS,
  modelsWithPendingEvents,
  onCommit,
  type Commit,
  type EventEntry,
  type PendingEvent,
} from './pending-events';

export interface RelayOptions {
  /** How often the sweep looks for events no process is publishing (a crash after the write). */
  sweepIntervalMs?: number;
  /** The sweep leaves events younger than this to the process that wrote them (it publishes at once). */
  sweepGraceMs?: number;
  /** Documents the sweep reads and publishes at a time. */
  batchSize?: number;
  /**
   * How long acknowledged events wait to be removed together (default 100 ms). On the embedded engine
   * every write costs time in proportion to the collection, whatever it changes, so removing after each
   * ack would take about one write per request away from the requests themselves.
   */
  removalDelayMs?: number;
}

/** Removals of published events, per model and document: `_id` (as stored) and the event ids. */
type Removals = Map<Model<unknown>, Map<string, { id: unknown; eventIds: string[] }>>;

/**
 * Publishes the events that entities carry in their own documents (ADR 005) and removes each one only
 * after JetStream's ack, with the event id as `Nats-Msg-Id`, so each is stored in the stream once.
 *
 * - **Right after the write**, from the in-process notification (`saveWithEvents`): no database read.
 * - **Removal off the request path**, in batches: at most every `removalDelayMs`, one `updateMany` per
 *   model `$unset`s every event acknowledged since the last batch, so a request costs one database write
 *   and a burst of them a handful of removals.
 * - **The sweep**, at start and every `sweepIntervalMs`, publishes what a process wrote but never
 *   published or never removed (it died in between). A copy of an event already in the stream is dropped
 *   by JetStream's duplicate window (`Nats-Msg-Id`), so a crash at any point publishes an event once.
 */
export class EventRelay {
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private readonly inFlight = new Set<Promise<unknown>>();
  private removals: Removals = new Map();
  private flushing?: Promise<void>;
  private flushAgain = false;
  private removalTimer?: NodeJS.Timeout;
  private sweeping?: Promise<number>;
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
    this.unsubscribe = onCommit((commit) => this.publishCommit(commit));
    this.timer = setInterval(() => this.kickSweep(), this.options.sweepIntervalMs ?? 1_000);
    this.timer.unref();
    // Whatever a previous process left behind goes out now, however fresh.
    this.kickSweep(0);
  }

  /**
   * An operator's lever (SIGUSR2 in runService): while paused, written events stay pending in their
   * documents and nothing is published; `resume()` publishes the backlog. Everything else (HTTP,
   * listeners) keeps running, so this shows what a slow or partitioned relay does to the system.
   */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (!this.stopped) this.kickSweep(0);
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Stops, then publishes and removes whatever is still pending (a pause ends here too). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.paused = false;
    clearInterval(this.timer);
    clearTimeout(this.removalTimer);
    this.removalTimer = undefined;
    this.unsubscribe?.();
    await this.drain().catch((err: unknown) =>
      this.logger.warn({ err }, 'events not all published at shutdown; they stay pending'),
    );
  }

  /**
   * Publishes every pending event now, waits for the removals, and resolves with how many the sweep
   * published (events already on their way are awaited, not counted).
   */
  async drain(): Promise<number> {
    await Promise.allSettled([...this.inFlight]);
    const published = await this.sweep(0);
    await this.flushRemovals();
    return published;
  }

  private publishCommit(commit: Commit): void {
    if (this.paused) return;
    const run = this.publishEvents(commit.model, commit.id, commit.events)
      .catch((err: unknown) =>
        this.logger.warn({ err }, 'could not publish events; the sweep will retry'),
      )
      .finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  /** Publishes one document's events in the order given (one connection keeps publish order). */
  private async publishEvents(
    model: Model<unknown>,
    id: unknown,
    events: EventEntry[],
  ): Promise<number> {
    const results = await Promise.allSettled(
      events.map((e) => this.publisher.publishRaw(e.subject, e.data, e.id)),
    );
    const acked = events.filter((_, i) => results[i]!.status === 'fulfilled').map((e) => e.id);
    if (acked.length > 0) this.queueRemoval(model, id, acked);
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
    return acked.length;
  }

  private queueRemoval(model: Model<unknown>, id: unknown, eventIds: string[]): void {
    let docs = this.removals.get(model);
    if (!docs) this.removals.set(model, (docs = new Map()));
    const key = String(id);
    const entry = docs.get(key);
    if (entry) entry.eventIds.push(...eventIds);
    else docs.set(key, { id, eventIds: [...eventIds] });
    if (this.removalTimer) return;
    this.removalTimer = setTimeout(() => {
      this.removalTimer = undefined;
      void this.flushRemovals();
    }, this.options.removalDelayMs ?? 100);
    this.removalTimer.unref();
  }

  /** Removes every acknowledged event queued so far; calls during a flush get one more round. */
  private flushRemovals(): Promise<void> {
    if (this.flushing) {
      this.flushAgain = true;
      return this.flushing;
    }
    this.flushing = (async () => {
      do {
        this.flushAgain = false;
        const batch = this.removals;
        this.removals = new Map();
        for (const [model, docs] of batch) await this.removeEvents(model, [...docs.values()]);
        // What was acknowledged meanwhile waits for its own timer, unless a caller asked for it now.
      } while (this.flushAgain);
    })().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async removeEvents(
    model: Model<unknown>,
    docs: Array<{ id: unknown; eventIds: string[] }>,
  ): Promise<void> {
    const chunk = this.options.batchSize ?? 100;
    for (let i = 0; i < docs.length; i += chunk) {
      const part = docs.slice(i, i + chunk);
      const unset = Object.fromEntries(
        part.flatMap((d) => d.eventIds.map((e) => [`${PENDING_EVENTS}.${e}`, 1])),
      );
      try {
        // Unsetting an id a document does not carry changes nothing, so one update serves them all. It
        // leaves `version` and `updatedAt` alone: removing a published event is not a change of the entity.
        await model.collection.updateMany({ _id: { $in: part.map((d) => d.id) } } as never, {
          $unset: unset,
        });
      } catch (err) {
        // Published but still stored: the sweep publishes them again, and JetStream drops the copies.
        this.logger.warn({ err }, 'could not remove published events; the sweep will');
      }
    }
  }

  private kickSweep(graceMs?: number): void {
    if (this.paused || this.sweeping) return;
    this.sweep(graceMs).catch((err: unknown) =>
      this.logger.warn({ err }, 'event relay sweep failed; will retry'),
    );
  }

  /** Publishes the pending events older than `graceMs` of every model; resolves with how many. */
  sweep(graceMs = this.options.sweepGraceMs ?? 1_000): Promise<number> {
    if (this.paused) return Promise.resolve(0);
    if (this.sweeping) return this.sweeping;
    this.sweeping = this.sweepAll(Date.now() - graceMs).finally(() => {
      this.sweeping = undefined;
    });
    return this.sweeping;
  }

  private async sweepAll(cutoff: number): Promise<number> {
    const batchSize = this.options.batchSize ?? 100;
    let published = 0;
    for (const model of modelsWithPendingEvents()) {
      const cursor = model.collection.find<{
        _id: unknown;
        pendingEvents: Record<string, PendingEvent>;
      }>(HAS_PENDING_EVENTS, { projection: { [PENDING_EVENTS]: 1 }, batchSize });
      let batch: Array<Promise<number>> = [];
      for await (const doc of cursor) {
        if (this.paused) break;
        const due = dueEvents(doc.pendingEvents, cutoff);
        if (due.length > 0) batch.push(this.publishEvents(model, doc._id, due));
        if (batch.length >= batchSize) {
          published += await settleAll(batch);
          batch = [];
        }
      }
      published += await settleAll(batch);
    }
    await this.flushRemovals();
    return published;
  }
}

/** A document's events written before `cutoff`, in the order they happened (entity version, then id). */
function dueEvents(pending: Record<string, PendingEvent>, cutoff: number): EventEntry[] {
  return Object.entries(pending)
    .map(([id, e]) => ({ ...e, id }))
    .filter((e) => new Date(e.at).getTime() <= cutoff)
    .sort((a, b) => versionOf(a) - versionOf(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function versionOf(e: EventEntry): number {
  return (e.data as { version?: number } | null)?.version ?? 0;
}

/** Sums what was published; the first failure is thrown once all have settled. */
async function settleAll(runs: Array<Promise<number>>): Promise<number> {
  const results = await Promise.allSettled(runs);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
  return results.reduce((sum, r) => sum + (r.status === 'fulfilled' ? r.value : 0), 0);
}
