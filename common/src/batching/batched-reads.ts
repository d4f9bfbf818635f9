/**
 * Reads by key that share one `find` (the DataLoader pattern, without a cache): while one read of a
 * collection by a field is on its way, the reads by the same field that arrive wait, then go together
 * as one `{field: {$in: [...]}}`. Each caller gets the documents it asked for, read after it asked.
 */
import mongoose, { type Model } from 'mongoose';
import { Coalescer, type Outcome } from './coalescer';

type Doc = Record<string, unknown>;

/** A field's value in a stored document: `ticket.id` reads `doc.ticket.id`. */
function valueAt(doc: Doc, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v as Doc | undefined)?.[key], doc);
}

const readers = new WeakMap<mongoose.Collection, Map<string, Coalescer<unknown, Doc[]>>>();

function readerOf(
  model: Model<unknown>,
  field: string,
  where: Doc,
  projection: Doc | undefined,
): Coalescer<unknown, Doc[]> {
  let byQuery = readers.get(model.collection);
  if (!byQuery) readers.set(model.collection, (byQuery = new Map()));
  const key = JSON.stringify([field, where, projection ?? null]);
  let reader = byQuery.get(key);
  if (!reader) {
    const read = async (values: unknown[]): Promise<Array<Outcome<Doc[]>>> => {
      const docs = await model
        .find({ ...where, [field]: { $in: values } }, projection)
        .lean<Doc[]>();
      const byValue = new Map<string, Doc[]>();
      for (const doc of docs) {
        const value = String(valueAt(doc, field));
        byValue.set(value, [...(byValue.get(value) ?? []), doc]);
      }
      return values.map((v) => ({ ok: true, value: byValue.get(String(v)) ?? [] }));
    };
    reader = new Coalescer<unknown, Doc[]>(async (values) => {
      try {
        return await read(values);
      } catch (error) {
        if (values.length === 1) return [{ ok: false, error }];
        // One value the query cannot take (a malformed id) must not fail the others: each on its own.
        return Promise.all(
          values.map((v) =>
            read([v]).then(
              ([outcome]) => outcome!,
              (err: unknown): Outcome<Doc[]> => ({ ok: false, error: err }),
            ),
          ),
        );
      }
    });
    byQuery.set(key, reader);
  }
  return reader;
}

export interface FindOneOptions {
  /** Further conditions every document must meet, the same for every read batched together. */
  where?: Record<string, unknown>;
  projection?: Record<string, 0 | 1>;
}

/**
 * The stored document (plain, as `lean()` gives it) whose `field` equals `value` and that meets
 * `where`, or null; one of them if several do. Concurrent reads of the same collection, field, `where`
 * and projection share one query. `Model.hydrate` makes it a document that saves with its version guard.
 */
export async function findOneBy<T>(
  model: Model<T>,
  field: string,
  value: unknown,
  options: FindOneOptions = {},
): Promise<T | null> {
  const [doc] = await findAllBy(model, field, value, options);
  return doc ?? null;
}

/**
 * Every stored document (plain) whose `field` equals `value` and that meets `where` — a buyer's open
 * orders, say; concurrent reads of the same collection, field, `where` and projection share one query.
 */
export async function findAllBy<T>(
  model: Model<T>,
  field: string,
  value: unknown,
  options: FindOneOptions = {},
): Promise<T[]> {
  const reader = readerOf(model as Model<unknown>, field, options.where ?? {}, options.projection);
  return (await reader.submit(value)) as T[];
}
