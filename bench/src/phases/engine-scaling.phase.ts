/**
 * Engine scaling (phase group `scaling`), before any stack, on a fresh engine of its own: what one
 * transaction, and one plain insert, cost as the collection they write grows.
 */
import mongoose from 'mongoose';
import { mongoUri, startMongo } from '@ticketing/common/engines';
import { withDatabase } from '@ticketing/local';
import { log, summarize, type Summary } from '../lib';

const SCALING_SIZES = [0, 100, 300, 1_000, 3_000];
const SCALING_SAMPLES = 10;

export interface ScalingRow {
  documents: number;
  /** A transaction inserting one document into the collection. */
  transaction: Summary;
  /** The same insert without a transaction. */
  insert: Summary;
  /** A transaction inserting one document into another, empty collection of the same engine. */
  elsewhere: Summary;
}

/**
 * On a database of its own: fills one collection step by step and, at each size, times `samples`
 * one-document transactions into it, plain inserts into it, and transactions into an empty sibling.
 */
export async function engineScaling(
  uri: string,
  sizes: readonly number[],
  samples: number,
): Promise<ScalingRow[]> {
  const conn = await mongoose
    .createConnection(uri, { serverMonitoringMode: 'poll', maxPoolSize: 4 })
    .asPromise();
  try {
    const grown = conn.collection('grown');
    const sibling = conn.collection('sibling');
    // (jongodb has no dropDatabase; emptying the two collections works on both engines.)
    await grown.deleteMany({});
    await sibling.deleteMany({});
    const pad = 'x'.repeat(300);
    await sibling.insertOne({ pad });
    const time = async (work: () => Promise<unknown>) => {
      const taken: number[] = [];
      for (let i = 0; i < samples; i++) {
        const started = performance.now();
        await work();
        taken.push(performance.now() - started);
      }
      return summarize(taken);
    };
    const inTransaction = (coll: typeof grown) => async () => {
      const session = await conn.startSession();
      try {
        await session.withTransaction(() => coll.insertOne({ pad }, { session }));
      } finally {
        await session.endSession();
      }
    };
    const rows: ScalingRow[] = [];
    let filled = 0;
    for (const documents of sizes) {
      while (filled < documents) {
        const batch = Math.min(1_000, documents - filled);
        await grown.insertMany(Array.from({ length: batch }, () => ({ pad })));
        filled += batch;
      }
      rows.push({
        documents,
        transaction: await time(inTransaction(grown)),
        insert: await time(() => grown.insertOne({ pad })),
        elsewhere: await time(inTransaction(sibling)),
      });
      filled += 2 * samples;
    }
    return rows;
  } finally {
    await conn.dropDatabase().catch(() => undefined); // a real mongod: leave nothing behind
    await conn.close();
  }
}

/** The `scaling` group: an embedded engine of its own (or a database of MONGO_URI's server), then the rows. */
export async function scalingPhase(
  label: string,
  externalMongo: string | undefined,
): Promise<ScalingRow[]> {
  log(`[${label}] engine scaling: one-document transactions as a collection grows`);
  const scratch = externalMongo ? undefined : await startMongo();
  let scaling: ScalingRow[];
  try {
    scaling = await engineScaling(
      scratch
        ? mongoUri(scratch.url, 'bench_scaling')
        : withDatabase(externalMongo!, 'bench_scaling'),
      SCALING_SIZES,
      SCALING_SAMPLES,
    );
  } finally {
    await scratch?.stop();
  }
  for (const row of scaling)
    log(
      `[${label}] ${row.documents} documents: transaction p50 ${row.transaction.p50.toFixed(1)} ms, insert p50 ${row.insert.p50.toFixed(1)} ms`,
    );
  return scaling;
}
