/**
 * Inserts sharing one command (group commit) on the embedded engine: concurrent inserts go in a few
 * `insertMany` commands, each caller still gets its own outcome (stored, duplicate key, invalid), and
 * a document is stored as mongoose's own insert would store it.
 */
import mongoose from 'mongoose';
import { VERSIONED } from '../events/version';
import { useTestEnvironment } from '../testing';
import { insertDocument } from './batched-inserts';
import { isDuplicateKeyError } from '../pending-events/writes';

interface Seat {
  seat: string;
  price: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}
const seatSchema = new mongoose.Schema<Seat>(
  {
    seat: { type: String, required: true, unique: true },
    price: { type: Number, required: true, min: 0 },
  },
  { ...VERSIONED, timestamps: true },
);
const SeatModel = mongoose.model<Seat>('BatchedInsertsTestSeat', seatSchema);

useTestEnvironment('batched-inserts-test');

beforeAll(() => SeatModel.createIndexes());

/** Counts the `insertMany` commands sent to the seats' collection while `run` runs. */
async function countingBatches<T>(run: () => Promise<T>): Promise<{ result: T; batches: number }> {
  const collection = SeatModel.collection;
  const insertMany = collection.insertMany.bind(collection);
  let batches = 0;
  collection.insertMany = ((...args: Parameters<typeof insertMany>) => {
    batches++;
    return insertMany(...args);
  }) as typeof collection.insertMany;
  try {
    return { result: await run(), batches };
  } finally {
    collection.insertMany = insertMany;
  }
}

describe('the embedded engine', () => {
  it('refuses a whole unordered insertMany when one document breaks a unique index, naming none', async () => {
    // Why insertDocument inserts a refused batch's documents one by one (mongod names the failures).
    const error = await SeatModel.collection
      .insertMany(
        [
          { seat: 'A1', price: 1 },
          { seat: 'A1', price: 2 },
          { seat: 'A2', price: 3 },
        ],
        { ordered: false },
      )
      .catch((err: unknown) => err);

    expect(error).toBeInstanceOf(mongoose.mongo.MongoBulkWriteError);
    expect((error as mongoose.mongo.MongoBulkWriteError).writeErrors).toEqual([]);
    expect(await SeatModel.countDocuments({ seat: { $exists: true } })).toBe(0);
  });
});

describe('insertDocument', () => {
  it('stores 100 concurrent inserts in a few commands, each answered on its own', async () => {
    const seats = Array.from({ length: 100 }, (_, i) => new SeatModel({ seat: `S${i}`, price: i }));

    const { result, batches } = await countingBatches(() =>
      Promise.allSettled(seats.map((seat) => insertDocument(seat))),
    );

    expect(result.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(batches).toBeGreaterThan(0);
    expect(batches).toBeLessThanOrEqual(10);
    const stored = await SeatModel.find({ seat: { $exists: true } }).lean();
    expect(stored).toHaveLength(100);
    expect(stored.every((s) => s.version === 0 && s.createdAt && s.updatedAt)).toBe(true);
    expect(seats.every((seat) => !seat.isNew && !seat.isModified())).toBe(true);
  });

  it('refuses only the duplicates of a concurrent burst, and stores every other document', async () => {
    // Seats S0..S9 asked for twice each among 60 inserts: one of each pair is a duplicate key.
    const asked = Array.from({ length: 60 }, (_, i) => `S${i < 20 ? i % 10 : i}`);

    const results = await Promise.allSettled(
      asked.map((seat) => insertDocument(new SeatModel({ seat, price: 5 }))),
    );

    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(refused).toHaveLength(10);
    expect(refused.every(isDuplicateKeyError)).toBe(true);
    const stored = await SeatModel.find({ seat: { $exists: true } }).lean();
    expect(stored.map((s) => s.seat).sort()).toEqual([...new Set(asked)].sort());
  });

  it('refuses an invalid document alone, before it reaches the database', async () => {
    const results = await Promise.allSettled([
      insertDocument(new SeatModel({ seat: 'B1', price: 10 })),
      insertDocument(new SeatModel({ seat: 'B2', price: -1 })),
      insertDocument(new SeatModel({ seat: 'B3', price: 30 })),
    ]);

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(
      mongoose.Error.ValidationError,
    );
    const stored = await SeatModel.find({ seat: { $exists: true } }).lean();
    expect(stored.map((s) => s.seat).sort()).toEqual(['B1', 'B3']);
  });
});
