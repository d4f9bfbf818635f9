/**
 * Inserts that share one database command (group commit): while one `insertMany` of a collection is on
 * its way, the inserts that arrive wait and then go together in the next, each caller still getting its
 * own outcome. Every new document of every service is inserted this way.
 */
import mongoose, { type HydratedDocument } from 'mongoose';

type Collection = mongoose.Collection;

/** Documents in one `insertMany` at most. */
const MAX_BATCH = 256;

interface QueuedInsert {
  doc: mongoose.mongo.Document;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * One collection's queue. The first insert goes at once (a lone request waits for nothing); those that
 * arrive while it is on its way go together as soon as it returns. On the embedded engine a write command
 * costs time in proportion to the collection however many documents it carries (at 1,000 documents: one
 * `insertOne` 18.8 ms, one `insertMany` of 50 documents 0.29 ms a document), so under load this divides the
 * engine's cost of an insert by the batch size; on mongod it saves the round trips.
 */
class InsertBatcher {
  private queue: QueuedInsert[] = [];
  private running = false;

  constructor(private readonly collection: Collection) {}

  insert(doc: mongoose.mongo.Document): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ doc, resolve, reject });
      if (!this.running) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        await this.insertBatch(batch);
      }
    } finally {
      this.running = false;
    }
  }

  private async insertBatch(batch: QueuedInsert[]): Promise<void> {
    if (batch.length === 1) return this.insertOne(batch[0]!);
    try {
      await this.collection.insertMany(
        batch.map((q) => q.doc),
        { ordered: false },
      );
      for (const q of batch) q.resolve();
    } catch (err) {
      const writeErrors = bulkWriteErrors(err);
      if (writeErrors === undefined) {
        // Not an answer about the documents (the connection failed): none can be told it is stored.
        for (const q of batch) q.reject(err);
      } else if (writeErrors.length > 0) {
        // mongod's unordered insert: the documents it names failed, every other one is stored.
        const failed = new Map(writeErrors.map((e) => [e.index, e]));
        batch.forEach((q, i) => {
          const writeError = failed.get(i);
          if (writeError) q.reject(toServerError(writeError));
          else q.resolve();
        });
      } else {
        // The embedded engine refuses the whole command when one document breaks a unique index, and
        // names none (checked in batched-inserts.test.ts): nothing was stored, so each goes on its own.
        await Promise.all(batch.map((q) => this.insertOne(q)));
      }
    }
  }

  private async insertOne(q: QueuedInsert): Promise<void> {
    try {
      await this.collection.insertOne(q.doc);
      q.resolve();
    } catch (err) {
      q.reject(err);
    }
  }
}

/** The per-document errors of a bulk write, or undefined when the error is not one. */
function bulkWriteErrors(err: unknown): mongoose.mongo.WriteError[] | undefined {
  if (!(err instanceof mongoose.mongo.MongoBulkWriteError)) return undefined;
  const errors = err.writeErrors as mongoose.mongo.WriteError | mongoose.mongo.WriteError[];
  return Array.isArray(errors) ? errors : [errors];
}

/** A document's write error as the error a single insert throws (so `isDuplicateKeyError` holds). */
function toServerError(e: mongoose.mongo.WriteError): mongoose.mongo.MongoServerError {
  return new mongoose.mongo.MongoServerError({ message: e.errmsg ?? 'write error', code: e.code });
}

const batchers = new WeakMap<Collection, InsertBatcher>();

function batcherFor(collection: Collection): InsertBatcher {
  let batcher = batchers.get(collection);
  if (!batcher) batchers.set(collection, (batcher = new InsertBatcher(collection)));
  return batcher;
}

/** What mongoose stores of a document (its own insert's options): no getters, virtuals or transforms. */
const STORED_FORM = {
  transform: false,
  virtuals: false,
  getters: false,
  depopulate: true,
  flattenDecimals: false,
  versionKey: true,
} as const;

/**
 * Inserts a new mongoose document as its `save()` would — validated, version 0, timestamps set — through
 * its collection's shared `insertMany`. Rejects with the validation or write error of this document alone
 * (a duplicate key is `isDuplicateKeyError`). Save middleware does not run: no schema here has any.
 */
export async function insertDocument(doc: HydratedDocument<unknown>): Promise<void> {
  await doc.validate();
  const versionKey = doc.schema.get('versionKey');
  if (typeof versionKey === 'string') doc.set(versionKey, 0);
  // A schema method mongoose adds when the schema has timestamps (what its own insert calls).
  (doc as { initializeTimestamps?: () => void }).initializeTimestamps?.();
  const model = doc.constructor as mongoose.Model<unknown>;
  await batcherFor(model.collection).insert(doc.toObject(STORED_FORM));
  doc.$clearModifiedPaths();
  doc.isNew = false;
}
