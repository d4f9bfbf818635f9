import mongoose, { type ClientSession, type Model } from 'mongoose';
import type { EventData, EventSubject } from '../events';

/**
 * An event waiting to be published. The relay deletes it once JetStream has acknowledged it, so the
 * collection holds only the backlog: on the embedded engine a transaction costs time in proportion to
 * the documents of the collections it writes (measured: ~0.25 ms per document), and an outbox that kept
 * every event ever sent made each commit slower than the last.
 */
export interface OutboxEntry {
  /** The event id, sent as `Nats-Msg-Id`. An ObjectId string, so ids sort in commit order. */
  _id: string;
  subject: string;
  data: unknown;
  createdAt: Date;
}

const outboxSchema = new mongoose.Schema<OutboxEntry>(
  {
    _id: { type: String, required: true },
    subject: { type: String, required: true },
    data: { type: mongoose.Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);

export const OutboxModel: Model<OutboxEntry> =
  (mongoose.models.OutboxEntry as Model<OutboxEntry> | undefined) ??
  mongoose.model<OutboxEntry>('OutboxEntry', outboxSchema, 'outbox');

export interface OutboxTransaction {
  session: ClientSession;
  /** Records an event to be published if, and only if, this transaction commits. */
  publish<S extends EventSubject>(subject: S, data: EventData<S>): void;
}

type CommitListener = () => void;
const commitListeners = new Set<CommitListener>();

/** The relay subscribes here to publish right after a commit instead of waiting for its next poll. */
export function onOutboxCommit(listener: CommitListener): () => void {
  commitListeners.add(listener);
  return () => commitListeners.delete(listener);
}

let serializeTransactions = false;
let transactionTail: Promise<unknown> = Promise.resolve();

/**
 * The embedded engine (jongodb) runs transactions on snapshots without write-conflict detection: two
 * concurrent transactions that write one document both commit, and a commit that fails on a unique index
 * may already have applied part of its writes. When connected to it, this process runs its transactions
 * one at a time, so each sees everything committed before it. A real MongoDB needs none of this: its
 * write conflicts abort the loser (TransientTransactionError), which `withTransaction` retries.
 */
export function setSerializedTransactions(enabled: boolean): void {
  serializeTransactions = enabled;
}

function exclusive<T>(run: () => Promise<T>): Promise<T> {
  if (!serializeTransactions) return run();
  const result = transactionTail.then(run, run);
  transactionTail = result.catch(() => undefined);
  return result;
}

/**
 * Runs a plain (non-transactional) write in this process's transaction queue when on the embedded engine.
 * jongodb can silently drop a plain insert that lands while a transaction writing the same collection
 * is open (the fault suite lost order replicas and a claimed charge that way); queued behind the
 * transactions, the write cannot overlap one. On a real MongoDB it runs at once.
 */
export function serialized<T>(write: () => Promise<T>): Promise<T> {
  return exclusive(write);
}

const MAX_ATTEMPTS = 5;

/**
 * Runs `work` in a MongoDB transaction; events it records are written to the outbox collection in the
 * same transaction. A state change and the events it causes are stored together or not at all, and the
 * relay publishes them afterwards — no event is lost between the database and the bus.
 *
 * `work` may run more than once: on a transient transaction error, and when a document it saved was
 * changed by someone else since it read it (mongoose's VersionError). It must read what it decides on
 * inside the transaction, and must not call `withOutbox` itself.
 */
export async function withOutbox<T>(work: (tx: OutboxTransaction) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await exclusive(() => runTransaction(work));
      for (const listener of commitListeners) listener();
      return result;
    } catch (err) {
      if (!(err instanceof mongoose.Error.VersionError) || attempt >= MAX_ATTEMPTS) throw err;
    }
  }
}

async function runTransaction<T>(work: (tx: OutboxTransaction) => Promise<T>): Promise<T> {
  const session = await mongoose.startSession();
  try {
    return await session.withTransaction(async () => {
      // withTransaction may run this callback again on a transient error: start each attempt empty.
      const entries: OutboxEntry[] = [];
      const value = await work({
        session,
        publish: (subject, data) => {
          entries.push({
            _id: new mongoose.Types.ObjectId().toHexString(),
            subject,
            data,
            createdAt: new Date(),
          });
        },
      });
      if (entries.length > 0) await OutboxModel.insertMany(entries, { session });
      return value;
    });
  } finally {
    await session.endSession();
  }
}

/** Entries not yet acknowledged by JetStream; 0 means the outbox is drained. */
export function countPendingEvents(): Promise<number> {
  return OutboxModel.countDocuments();
}
