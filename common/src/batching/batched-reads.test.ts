/**
 * Reads by key sharing one query on the embedded engine: concurrent reads go in a few `find` commands,
 * each caller gets its own document (or null, or its own error), and a read sees every write that
 * finished before it was asked.
 */
import mongoose from 'mongoose';
import { useTestEnvironment } from '../testing';
import { findAllBy, findOneBy } from './batched-reads';

interface Hold {
  ticket: { id: mongoose.Types.ObjectId };
  live: boolean;
  buyer: string;
}
const HoldModel = mongoose.model<Hold>(
  'BatchedReadsTestHold',
  new mongoose.Schema<Hold>({
    ticket: { id: { type: mongoose.Schema.Types.ObjectId, required: true } },
    live: { type: Boolean, required: true },
    buyer: { type: String, required: true },
  }),
);

useTestEnvironment('batched-reads-test');

/** Counts the `find` commands sent to the holds' collection while `run` runs. */
async function countingFinds<T>(run: () => Promise<T>): Promise<{ result: T; finds: number }> {
  let finds = 0;
  mongoose.set('debug', (collection: string, method: string) => {
    if (collection === HoldModel.collection.name && method === 'find') finds++;
  });
  try {
    return { result: await run(), finds };
  } finally {
    mongoose.set('debug', false);
  }
}

describe('findOneBy', () => {
  it('answers 100 concurrent reads by id in a few queries, each with its own document or null', async () => {
    const stored = await HoldModel.insertMany(
      Array.from({ length: 60 }, (_, i) => ({
        ticket: { id: new mongoose.Types.ObjectId() },
        live: true,
        buyer: `b${i}`,
      })),
    );
    const asked = [
      ...stored.map((h) => h.id as string),
      ...Array.from({ length: 40 }, () => new mongoose.Types.ObjectId().toHexString()),
    ];

    const { result, finds } = await countingFinds(() =>
      Promise.all(asked.map((id) => findOneBy(HoldModel, '_id', id))),
    );

    expect(result.slice(0, 60).map((h) => h?.buyer)).toEqual(stored.map((h) => h.buyer));
    expect(result.slice(60)).toEqual(Array.from({ length: 40 }, () => null));
    expect(finds).toBeGreaterThan(0);
    expect(finds).toBeLessThanOrEqual(10);
  });

  it('reads by a nested field under the same conditions for every read of the batch', async () => {
    const ticket = new mongoose.Types.ObjectId();
    const other = new mongoose.Types.ObjectId();
    await HoldModel.insertMany([
      { ticket: { id: ticket }, live: false, buyer: 'gone' },
      { ticket: { id: ticket }, live: true, buyer: 'holder' },
      { ticket: { id: other }, live: false, buyer: 'gone too' },
    ]);

    const [held, free] = await Promise.all(
      [ticket, other].map((id) => findOneBy(HoldModel, 'ticket.id', id, { where: { live: true } })),
    );

    expect(held?.buyer).toBe('holder');
    expect(free).toBeNull();
  });

  it('fails only the read a query cannot take, such as a malformed id', async () => {
    const hold = await HoldModel.create({
      ticket: { id: new mongoose.Types.ObjectId() },
      live: true,
      buyer: 'b',
    });

    const results = await Promise.allSettled(
      [hold.id as string, 'not-an-id', hold.id as string].map((id) =>
        findOneBy(HoldModel, '_id', id),
      ),
    );

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(mongoose.Error.CastError);
  });

  it('sees a write that finished before the read was asked, even while another read is on its way', async () => {
    const first = findOneBy(HoldModel, '_id', new mongoose.Types.ObjectId());
    const hold = await HoldModel.create({
      ticket: { id: new mongoose.Types.ObjectId() },
      live: true,
      buyer: 'late',
    });

    const [none, found] = await Promise.all([first, findOneBy(HoldModel, '_id', hold._id)]);

    expect(none).toBeNull();
    expect(found?.buyer).toBe('late');
  });
});

describe('findAllBy', () => {
  it("answers concurrent reads by buyer in one query, each with every one of that buyer's documents", async () => {
    await HoldModel.insertMany([
      { ticket: { id: new mongoose.Types.ObjectId() }, live: true, buyer: 'ann' },
      { ticket: { id: new mongoose.Types.ObjectId() }, live: true, buyer: 'ann' },
      { ticket: { id: new mongoose.Types.ObjectId() }, live: false, buyer: 'ann' },
      { ticket: { id: new mongoose.Types.ObjectId() }, live: true, buyer: 'bob' },
    ]);

    const { result, finds } = await countingFinds(() =>
      Promise.all(
        ['ann', 'bob', 'cy'].map((buyer) =>
          findAllBy(HoldModel, 'buyer', buyer, { where: { live: true } }),
        ),
      ),
    );

    expect(result.map((holds) => holds.length)).toEqual([2, 1, 0]);
    expect(result[0]!.every((h) => h.buyer === 'ann' && h.live)).toBe(true);
    expect(finds).toBeLessThanOrEqual(2);
  });
});
