/**
 * Event propagation (phase group `events`), on a fresh stack of its own (the embedded engine slows down
 * as collections grow): 1,000 `ticket.created` (listings for 100 events, added before the timing starts),
 * each timed from the listing's `createdAt` (stamped by its one insert, ADR 005) to the orders replica,
 * with the NATS publication in between.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from '@nats-io/transport-node';
import type { ApiClient, CatalogEventJson } from '@ticketing/common';
import { cpuMeter, log, nowMs, summarize, type CpuUsage, type Summary } from '../lib';
import { countDocs, withStack, type Env } from '../stack-run';
import { addEventsFor, listTickets, oid, signUp } from '../users';

export interface PropagationResult {
  events: number;
  lanes: number;
  ticketsPerSec: number;
  fromCommit: Summary;
  fromResponse: Summary;
  commitToPublish: Summary;
  publishToReplica: Summary;
  pollPeriodMs: number;
  foundOnFirstPoll: number;
  missingCommit: number;
  cpu: CpuUsage;
  /** Documents per collection once the listings are done (filled in by the caller). */
  counts?: Record<string, number>;
}

export async function propagation(
  env: Env,
  natsUrl: string,
  sellers: readonly ApiClient[],
  catalogue: readonly CatalogEventJson[],
  events: number,
  lanes: number,
): Promise<PropagationResult> {
  const nc = await connect({ servers: natsUrl, name: 'bench-observer' });
  const publishedAt = new Map<string, number>();
  const seenAt = new Map<string, number>();
  const pending = new Set<string>();
  const firstPoll = new Set<string>();
  const sub = nc.subscribe('ticket.created');
  void (async () => {
    for await (const m of sub) {
      const t = nowMs();
      const { id } = m.json<{ id: string }>();
      if (!publishedAt.has(id)) publishedAt.set(id, t);
      if (!seenAt.has(id)) {
        pending.add(id);
        firstPoll.add(id);
      }
    }
  })();
  const replicas = env.db('orders').collection('tickets');
  let listingDone = false;
  let polls = 0;
  let pollTime = 0;
  let listedIds: string[] = [];
  const watcher = (async () => {
    // Done once every listed ticket was seen (a publication may come after the last POST answered).
    const deadline = () => listingDone && listedIds.every((id) => seenAt.has(id));
    const giveUpAt = { t: Number.POSITIVE_INFINITY };
    while (!deadline()) {
      if (listingDone && giveUpAt.t === Number.POSITIVE_INFINITY) giveUpAt.t = Date.now() + 30_000;
      if (Date.now() > giveUpAt.t) break;
      if (listingDone) for (const id of listedIds) if (!seenAt.has(id)) pending.add(id);
      if (pending.size === 0) {
        await sleep(1);
        continue;
      }
      const ids = [...pending];
      const t0 = performance.now();
      const found = await replicas
        .find({ _id: { $in: ids.map(oid) } }, { projection: { _id: 1 } })
        .toArray();
      const t = nowMs();
      pollTime += performance.now() - t0;
      polls++;
      const foundIds = new Set(found.map((d) => String(d._id)));
      for (const id of ids) {
        if (foundIds.has(id)) {
          seenAt.set(id, t);
          pending.delete(id);
        } else {
          firstPoll.delete(id);
        }
      }
      // Found by a poll means: appeared after the previous poll began. Counting from this poll's answer
      // over-states the latency by up to one poll period; a short pause keeps the load on the engine low.
      await sleep(2);
    }
  })();

  const meter = cpuMeter(env.pids);
  const started = performance.now();
  const listed = await listTickets(sellers, events, catalogue, lanes);
  const listingSeconds = (performance.now() - started) / 1000;
  listedIds = listed.map((l) => l.id);
  listingDone = true;
  await watcher;
  const cpu = meter();
  sub.unsubscribe();
  await nc.close();

  const ids = listed.map((l) => l.id);
  // The commit: the listing's createdAt, stamped by the save of the one insert that also stores its
  // ticket.created event (ADR 005).
  const stored = await env
    .db('tickets')
    .collection<{ createdAt: Date }>('tickets')
    .find({ _id: { $in: ids.map(oid) } })
    .toArray();
  const committedAt = new Map(stored.map((t) => [String(t._id), t.createdAt.getTime()]));
  const fromCommit: number[] = [];
  const fromResponse: number[] = [];
  const commitToPublish: number[] = [];
  const publishToReplica: number[] = [];
  for (const l of listed) {
    const seen = seenAt.get(l.id);
    const commit = committedAt.get(l.id);
    const pub = publishedAt.get(l.id);
    if (seen === undefined) continue;
    fromResponse.push(seen - l.answeredAt);
    if (commit !== undefined) fromCommit.push(seen - commit);
    if (commit !== undefined && pub !== undefined) commitToPublish.push(pub - commit);
    if (pub !== undefined) publishToReplica.push(seen - pub);
  }
  const unseen = ids.filter((id) => !seenAt.has(id)).length;
  if (unseen > 0) throw new Error(`${unseen} tickets never reached the orders replica`);
  return {
    events: fromResponse.length,
    lanes,
    ticketsPerSec: events / listingSeconds,
    fromCommit: summarize(fromCommit),
    fromResponse: summarize(fromResponse),
    commitToPublish: summarize(commitToPublish),
    publishToReplica: summarize(publishToReplica),
    pollPeriodMs: polls ? (pollTime + polls * 2) / polls : Number.NaN,
    foundOnFirstPoll: [...firstPoll].filter((id) => seenAt.has(id)).length,
    missingCommit: ids.length - fromCommit.length,
    cpu,
  };
}

const PROPAGATION_EVENTS = 1_000;
const PROPAGATION_LANES = 2;

/** The `events` group: a fresh stack, sellers listing over `PROPAGATION_LANES` lanes, the replica watched. */
export function eventsPhase(
  label: string,
  externalMongo: string | undefined,
  work: string,
): Promise<PropagationResult> {
  return withStack(`${label}-events`, externalMongo, work, async ({ env, engines }) => {
    const sellers = await signUp(env, PROPAGATION_LANES);
    const catalogue = await addEventsFor(sellers[0]!, PROPAGATION_EVENTS);
    log(
      `[${label}] event propagation over ${PROPAGATION_EVENTS} ticket.created events (${catalogue.length} events listed for)`,
    );
    const result = await propagation(
      env,
      engines.nats,
      sellers,
      catalogue,
      PROPAGATION_EVENTS,
      PROPAGATION_LANES,
    );
    log(
      `[${label}] propagation p50 ${result.fromCommit.p50.toFixed(1)} ms, p99 ${result.fromCommit.p99.toFixed(1)} ms`,
    );
    return { ...result, counts: await countDocs(env) };
  });
}
