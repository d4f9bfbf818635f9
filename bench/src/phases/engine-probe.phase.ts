/**
 * Engine probe (main stack, at its start and end): a single one-document transaction vs a plain read,
 * sequentially, on an otherwise idle connection of the probe's own database.
 */
import { summarize, type Summary } from '../lib';
import type { Env } from '../stack-run';

export interface ProbeResult {
  read: Summary;
  transaction: Summary;
}

export async function probeEngine(env: Env, n = 200): Promise<ProbeResult> {
  const coll = env.db('bench_probe').collection<{ _id: string; n: number }>('probe');
  await coll.updateOne({ _id: 'probe' }, { $set: { n: 0 } }, { upsert: true });
  const reads: number[] = [];
  const txs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await coll.findOne({ _id: 'probe' });
    reads.push(performance.now() - t);
  }
  const conn = env.db('bench_probe');
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const session = await conn.startSession();
    try {
      await session.withTransaction(async () => {
        await coll.findOne({ _id: 'probe' }, { session });
        await coll.updateOne({ _id: 'probe' }, { $inc: { n: 1 } }, { session });
      });
    } finally {
      await session.endSession();
    }
    txs.push(performance.now() - t);
  }
  return { read: summarize(reads), transaction: summarize(txs) };
}
