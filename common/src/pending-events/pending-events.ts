/**
 * Pending events (ADR 005): a change and the events it causes stored in one document write, and the
 * plugin, filter and commit notifications the relay works from.
 */
import mongoose, { type HydratedDocument, type Model, type Schema } from 'mongoose';
import type { EventData, EventSubject } from '../events';
import { insertDocument } from '../batching';

/** The field of an entity that holds its events not yet acknowledged by JetStream, keyed by event id. */
export const PENDING_EVENTS = 'pendingEvents';

/** One event waiting in its entity's document. */
export interface PendingEvent {
  subject: EventSubject;
  data: unknown;
  /** When it was recorded; the sweep leaves fresh ones to the process that wrote them. */
  at: Date;
}

/** A pending event with its id (sent as `Nats-Msg-Id`), as the relay handles it. */
export interface EventEntry extends PendingEvent {
  id: string;
}

/** An event a change causes, built by the domain and stored with the change. */
export interface OutgoingEvent {
  subject: EventSubject;
  data: unknown;
}

/** Types an event by its subject: `event(Subjects.TicketCreated, {...})`. */
export function event<S extends EventSubject>(subject: S, data: EventData<S>): OutgoingEvent {
  return { subject, data };
}

/**
 * The schema plugin that makes a model's documents carry their own pending events (ADR 005). The relay
 * finds every model that has it, so a service only adds the plugin and writes through `saveWithEvents`.
 */
export function pendingEventsPlugin(schema: Schema): void {
  schema.add({
    [PENDING_EVENTS]: { type: Map, of: mongoose.Schema.Types.Mixed, default: undefined },
  });
}

/** Every registered model whose documents carry pending events. */
export function modelsWithPendingEvents(): Model<unknown>[] {
  return mongoose
    .modelNames()
    .map((name) => mongoose.model(name) as Model<unknown>)
    .filter((model) => model.schema.path(PENDING_EVENTS) !== undefined);
}

/** A change that was stored with its events; the relay publishes them at once. */
export interface Commit {
  model: Model<unknown>;
  id: unknown;
  events: EventEntry[];
}

type CommitListener = (commit: Commit) => void;
const commitListeners = new Set<CommitListener>();

/** The relay subscribes here to publish right after a write instead of waiting for its sweep. */
export function onCommit(listener: CommitListener): () => void {
  commitListeners.add(listener);
  return () => commitListeners.delete(listener);
}

/**
 * The version `doc` has once saved: 0 for a new document, one more for every save of an existing one
 * (mongoose's optimistic concurrency, `VERSIONED`). Events carry it.
 */
export function nextVersion(doc: HydratedDocument<unknown>): number {
  return doc.isNew ? 0 : (doc.get('version') as number) + 1;
}

/**
 * Stores a change and the events it causes in **one single-document write**: an insert for a new
 * document, otherwise an update conditioned on the version that was read (`VERSIONED`). A stale writer
 * matches nothing and gets mongoose's `VersionError`; `retryOnConflict` re-reads and decides again.
 * `events` receives the version the document will have. Once stored, the relay publishes the events
 * with their id as `Nats-Msg-Id` and removes them after JetStream's ack; if this process dies first, the
 * relay's sweep (in any replica) publishes them. No transaction: MongoDB makes a single-document write
 * atomic, so the state and its events are stored together or not at all.
 */
export async function saveWithEvents(
  doc: HydratedDocument<unknown>,
  events: (version: number) => OutgoingEvent[],
): Promise<void> {
  const at = new Date();
  const entries: EventEntry[] = events(nextVersion(doc)).map((e) => ({
    id: new mongoose.Types.ObjectId().toHexString(),
    subject: e.subject,
    data: e.data,
    at,
  }));
  for (const { id, subject, data } of entries) {
    doc.set(`${PENDING_EVENTS}.${id}`, { subject, data, at });
  }
  try {
    // A new document is inserted together with the others being inserted now (group commit).
    if (doc.isNew) await insertDocument(doc);
    else await doc.save();
  } catch (err) {
    // The write did not happen: the document in hand must not pretend it carries these events.
    for (const { id } of entries) doc.set(`${PENDING_EVENTS}.${id}`, undefined);
    throw err;
  }
  if (entries.length === 0) return;
  const commit: Commit = { model: doc.constructor as Model<unknown>, id: doc._id, events: entries };
  for (const listener of commitListeners) listener(commit);
}

/** A filter for documents that still carry events; works on the embedded engine and on mongod. */
export const HAS_PENDING_EVENTS = { [PENDING_EVENTS]: { $exists: true, $ne: {} } };

/** Events not yet acknowledged by JetStream, over every model; 0 means everything was published. */
export async function countPendingEvents(): Promise<number> {
  let count = 0;
  for (const model of modelsWithPendingEvents()) {
    const docs = await model.collection
      .find<Record<string, Record<string, unknown>>>(HAS_PENDING_EVENTS, {
        projection: { [PENDING_EVENTS]: 1 },
      })
      .toArray();
    for (const doc of docs) count += Object.keys(doc[PENDING_EVENTS] ?? {}).length;
  }
  return count;
}
