/**
 * Renders bench/results.md from what the phases measured: the machine, the figures against their goals,
 * and per target a section per phase with how it was measured (results.partial.md for a partial run).
 */
import type { CannonFigures } from './cannon';
import { fmt, type CpuUsage, type Summary } from './lib';
import {
  catalogueFigureRows,
  catalogueSection,
  type CatalogueResult,
} from './phases/catalogue-reads.phase';
import type { EndToEndResult } from './phases/end-to-end.phase';
import type { ProbeResult } from './phases/engine-probe.phase';
import type { ScalingRow } from './phases/engine-scaling.phase';
import { EXPIRY_BUYERS, type ExpiryResult } from './phases/expiry.phase';
import { liveFigureRows, liveSection, type LiveStreamsResult } from './phases/live-streams.phase';
import type { PropagationResult } from './phases/propagation.phase';
import type { RaceResult } from './phases/purchase-race.phase';
import type { ReadPathResult } from './phases/read-path.phase';
import { writeFigureRow, writeSection, type WritePathResult } from './phases/write-path.phase';

export interface Machine {
  cpuModel: string;
  cores: number;
  ramGiB: number;
  loadStart: number[];
  loadEnd: number[];
  date: string;
  versions: Record<string, string>;
}

export interface TargetResults {
  label: string;
  mongo: string;
  windowSeconds: number;
  probeStart: ProbeResult;
  probeEnd: ProbeResult;
  scaling: ScalingRow[];
  read: ReadPathResult;
  /** The catalogue's reads (`GET /api/events`, a search, one event), on a fresh stack of their own. */
  catalogue: CatalogueResult;
  signin: CannonFigures;
  /** `POST /api/tickets` vs a plain Express `insertOne`, on a fresh stack of its own. */
  write: WritePathResult;
  propagation: PropagationResult;
  race: RaceResult;
  e2e: EndToEndResult;
  /** 1,000 SSE streams of one event's page: memory per stream, change → client; a fresh stack. */
  live: LiveStreamsResult;
  expiry: ExpiryResult & { fired: Summary };
  counts: Record<string, number>;
}

/** What a run with `BENCH_PHASES` (only some phases) measured. */
export type PartialTargetResults = Pick<TargetResults, 'label' | 'mongo' | 'windowSeconds'> &
  Partial<Omit<TargetResults, 'label' | 'mongo' | 'windowSeconds'>>;

const ms = (v: number) => `${fmt(v, v < 10 ? 1 : 0)} ms`;
const met = (ok: boolean) => (ok ? '**met**' : '**not met**');
const pq = (s: Summary) => `p50 ${ms(s.p50)}, p99 ${ms(s.p99)}`;

function cpuTable(usage: CpuUsage): string {
  const rows = [...usage.percent.entries()].sort((a, b) => b[1] - a[1]);
  const total = rows.reduce((sum, [, pct]) => sum + pct, 0);
  return [
    '| process | CPU (% of one core) |',
    '|---|---:|',
    ...rows.map(([name, pct]) => `| ${name} | ${fmt(pct, 0)} % |`),
    `| **all of the above** | ${fmt(total, 0)} % |`,
  ].join('\n');
}

function top(usage: CpuUsage): string {
  const [name, pct] = [...usage.percent.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['?', 0];
  return `${name} (${fmt(pct, 0)} % of one core)`;
}

/** The transaction row of the scaling table nearest to `documents` (for the explanations). */
function scalingNear(t: TargetResults, documents: number): ScalingRow | undefined {
  return [...t.scaling].sort(
    (a, b) => Math.abs(a.documents - documents) - Math.abs(b.documents - documents),
  )[0];
}

/** CPU milliseconds `name` spent per operation over a measured window (`n` operations). */
function cpuMsPer(usage: CpuUsage, name: string, n: number): string {
  const pct = usage.percent.get(name) ?? 0;
  return ms(n > 0 ? ((pct / 100) * usage.wallSeconds * 1000) / n : 0);
}

/** The plain-insert row of the scaling table nearest to `documents`. */
function insertNear(t: TargetResults, documents: number): string {
  const row = scalingNear(t, documents);
  return row
    ? `a plain insert p50 ${ms(row.insert.p50)} at ${fmt(row.documents, 0)} documents (table "Engine")`
    : 'see "Engine"';
}

function goals(t: TargetResults) {
  // The tickets service against a plain Express process: neither behind a proxy (the gateway's share
  // is reported beside it).
  const ratio = t.read.direct.reqPerSec / t.read.baseline.reqPerSec;
  const doubles = t.race.doubleLive + t.race.doubleComplete + t.race.ticketMismatch;
  return {
    ratio,
    doubles,
    readOk: ratio >= 0.75,
    raceOk: t.race.requestsPerSec >= 300 && t.race.latency.p99 <= 150,
    doublesOk: doubles === 0,
    propOk: t.propagation.fromCommit.p99 <= 25,
    expiryOk: t.expiry.cancelledLate.p99 <= 500 && t.expiry.missed === 0,
  };
}

function target(t: TargetResults, cores: number): string {
  const g = goals(t);
  const r = t.read;
  const gatewayRatio = r.gateway.reqPerSec / r.baseline.reqPerSec;
  const out: string[] = [];
  out.push(`## Figures — ${t.mongo}`, '');
  out.push('| figure | measured | goal | |', '|---|---|---|---|');
  out.push(
    `| read path: \`GET /api/tickets\` (${r.direct.bytesPerResponse > 0 ? `${fmt(r.direct.bytesPerResponse / 1024, 1)} kB, ` : ''}100 tickets) of the tickets service vs a plain Express JSON route, each its own process | ${fmt(r.direct.reqPerSec, 0)} vs ${fmt(r.baseline.reqPerSec, 0)} req/s = **${fmt(g.ratio * 100, 0)} %** | ≥ 75 % (no regression) | ${met(g.readOk)} |`,
    `| the same through the local stack's gateway (a Node.js proxy; ingress-nginx in Kubernetes) | ${fmt(r.gateway.reqPerSec, 0)} req/s = ${fmt(gatewayRatio * 100, 0)} % of plain Express, p50 ${ms(r.gateway.p50)}, p99 ${ms(r.gateway.p99)} | – (report) | |`,
    `| the same 100 tickets read from the database on every request (\`GET /api/tickets/mine\`, never cached) through the gateway | ${fmt(r.uncached.reqPerSec, 0)} req/s = ${fmt((r.uncached.reqPerSec / r.baseline.reqPerSec) * 100, 0)} % of plain Express, p50 ${ms(r.uncached.p50)}, p99 ${ms(r.uncached.p99)} | – (report) | |`,
    ...catalogueFigureRows(t.catalogue),
    writeFigureRow(t.write),
    `| purchase path: ${t.race.buyers} buyers racing for ${t.race.tickets} tickets (×${t.race.rounds}) | **${fmt(t.race.requestsPerSec, 0)} order requests/s** (${fmt(t.race.ordersPerSec, 0)} orders created/s), ${pq(t.race.latency)} | ≥ 300 orders/s, p99 ≤ 150 ms | ${met(g.raceOk)} |`,
    `| double sales | **${g.doubles}** (of ${t.race.ticketsChecked} raced tickets) | 0 | ${met(g.doublesOk)} |`,
    `| event propagation \`ticket.created\` commit → orders replica (${t.propagation.events} events) | ${pq(t.propagation.fromCommit)} | p99 ≤ 25 ms | ${met(g.propOk)} |`,
    `| expiry lateness: \`expiresAt\` → ticket buyable again (${t.expiry.orders} orders) | ${pq(t.expiry.cancelledLate)}${t.expiry.missed ? `, ${t.expiry.missed} never released` : ''} | p99 ≤ 500 ms | ${met(g.expiryOk)} |`,
    `| sign-in (scrypt-bound) | ${fmt(t.signin.reqPerSec, 0)} req/s, p50 ${ms(t.signin.p50)}, p99 ${ms(t.signin.p99)} | – (report) | |`,
    `| end-to-end purchase: order → pay → order complete visible (${t.e2e.purchases} purchases) | ${pq(t.e2e.complete)} | – (report) | |`,
    ...liveFigureRows(t.live),
    '',
  );

  out.push('### Read path', '');
  out.push(
    `autocannon, ${'50'} connections, 10 s each after a 2 s warm-up, one after the other: the same JSON body (the`,
    `100 tickets the tickets service listed, ${fmt(r.baseline.bytesPerResponse, 0)} bytes a response including headers)`,
    'served by a bare Express 5 `res.json` route in its own process, then by the stack.',
    '',
    '| endpoint | req/s | p50 | p99 | non-2xx | errors |',
    '|---|---:|---:|---:|---:|---:|',
    ...[r.baseline, r.gateway, r.direct, r.uncached].map(
      (c) =>
        `| ${c.label} | ${fmt(c.reqPerSec, 0)} | ${ms(c.p50)} | ${ms(c.p99)} | ${c.non2xx} | ${c.errors} |`,
    ),
    '',
    `Direct / baseline = ${fmt(g.ratio * 100, 0)} % (the goal's figure: the service against plain Express, no proxy in front of either); through the gateway ${fmt(gatewayRatio * 100, 0)} %, so the local stack's gateway costs ${fmt((1 - r.gateway.reqPerSec / r.direct.reqPerSec) * 100, 0)} % of the direct throughput (a Node.js proxy in the stack's host process, which also relays every service's log lines; in Kubernetes ingress-nginx plays this part).`,
    '',
    `How the service gets there: \`GET /api/tickets\` is the same for every visitor, so the tickets service keeps its pages in memory (\`LISTING_CACHE_MS\`, 1 s by default; every commit of the replica drops them, so its own changes show on the next read, and concurrent misses share one database read). The seller's own listing (\`/api/tickets/mine\`) is never cached: the last row is the same 100 tickets read from the embedded engine on every request, ${fmt((r.uncached.reqPerSec / r.baseline.reqPerSec) * 100, 0)} % of plain Express. A CPU profile of the tickets process under this load (V8 sampling profiler, 10 s at 50 connections) found, per request, the driver's BSON decoding of 101 documents and the wire round trip (~25 %), garbage collection (~10 %) and \`JSON.stringify\` — which ran 3× slower than it should, because \`mongoose-update-if-current\` loaded \`core-js/stable\` and so replaced \`JSON.stringify\` and \`Array.prototype.push\` with polyfills in every service. Dropping that plugin for mongoose's own \`optimisticConcurrency\` raised the uncached read by 40 % (315 → 441 req/s in the same profile run); the cache does the rest. With the cache, what remains per request is Express itself: routing, helmet, cookie-session, the ETag hash, the socket write and, at the default \`LOG_LEVEL\` info, the per-request pino-http log line (~9 % in the profile; the bench runs the services at \`warn\`).`,
    '',
    'CPU while the direct run was measured (the load generator itself shares the two cores):',
    '',
    cpuTable(r.direct.cpu),
    '',
  );
  if (!g.readOk) {
    out.push(
      `**Why not met:** the busiest process during the direct run was ${top(r.direct.cpu)}; on ${cores} cores the load generator, service and engine compete for the same CPU.`,
      '',
    );
  }

  out.push(catalogueSection(t.catalogue, cpuTable));
  out.push(writeSection(t.write, cpuTable, t.scaling));

  out.push('### Sign-in', '');
  out.push(
    `\`POST /api/users/signin\` with the right password, 8 connections for 10 s through the gateway: ${fmt(t.signin.reqPerSec, 0)} req/s, p50 ${ms(t.signin.p50)}, p99 ${ms(t.signin.p99)}, non-2xx ${t.signin.non2xx}, errors ${t.signin.errors} (answers: ${Object.entries(
      t.signin.statusCodes,
    )
      .map(([c, n]) => `${n}× ${c}`)
      .join(
        ', ',
      )}). **Scrypt-bound:** each sign-in verifies a scrypt hash (N=2^14, r=8, p=1, ~50 ms of one core) on libuv's thread pool, so the rate is bounded by cores ÷ hash time, not by Express or Mongo; 8 connections already keep every core busy.`,
    '',
    `Why 8 connections: the sign-in phase has always been measured so, to compare runs. Until issue 14 the limiter (express-rate-limit) counted sign-ins in flight, so more than 10 simultaneous correct sign-ins from one address were refused; since issue 14 auth counts only failed sign-ins, in Redis (rate-limiter-flexible), and 50 simultaneous correct sign-ins from one address all succeed (tested through the gateway in infra/local/src/backend/fair-holds.test.ts). The gateway overwrites \`X-Forwarded-For\` with the socket address (as ingress-nginx does), so every sign-in of the bench comes from one address.`,
    '',
  );

  const p = t.propagation;
  out.push('### Event propagation', '');
  out.push(
    `Measured on a fresh stack started for this alone (the embedded engine slows down as collections grow, see "Engine"), so the ${p.events} listings start from an empty database. ${p.events} tickets listed through the gateway by ${p.lanes} sellers back to back (${fmt(p.ticketsPerSec, 0)} listings/s). Method: the bench subscribes to \`ticket.created\` on NATS to learn each id as it is published, and polls the orders database (\`tickets\` replica, \`_id\` \`$in\` the ids not yet seen, a 2 ms pause between polls; mean poll period ${fmt(p.pollPeriodMs, 1)} ms) for its arrival. "Commit" is the listing's \`createdAt\` in the tickets database, stamped just before the one insert that stores the listing together with its \`ticket.created\` event (ADR 005; so the figure includes the write itself); the arrival time is when the poll that found the replica returned, so the figure over-states the latency by up to one poll period. Everything runs on one machine with one clock.`,
    '',
    '| interval | n | p50 | p99 | max |',
    '|---|---:|---:|---:|---:|',
    `| commit (listing \`createdAt\`) → replica in orders | ${p.fromCommit.n} | ${ms(p.fromCommit.p50)} | ${ms(p.fromCommit.p99)} | ${ms(p.fromCommit.max)} |`,
    `| POST response received → replica in orders | ${p.fromResponse.n} | ${ms(p.fromResponse.p50)} | ${ms(p.fromResponse.p99)} | ${ms(p.fromResponse.max)} |`,
    `| commit → seen on NATS (relay) | ${p.commitToPublish.n} | ${ms(p.commitToPublish.p50)} | ${ms(p.commitToPublish.p99)} | ${ms(p.commitToPublish.max)} |`,
    `| seen on NATS → replica in orders (JetStream delivery + listener write) | ${p.publishToReplica.n} | ${ms(p.publishToReplica.p50)} | ${ms(p.publishToReplica.p99)} | ${ms(p.publishToReplica.max)} |`,
    '',
    `Documents at the end of this stack: ${Object.entries(p.counts ?? {})
      .map(([k, v]) => `${k} ${v}`)
      .join(
        ', ',
      )}. ${p.foundOnFirstPoll} replicas were already there on the first poll after publication; ${p.missingCommit} listings had no stored \`createdAt\` to time from (counted from the response only).`,
    '',
    cpuTable(p.cpu),
    '',
  );
  if (!g.propOk) {
    out.push(
      `**Why not met:** the split above shows where the time goes: relay (commit → NATS) p99 ${ms(p.commitToPublish.p99)}, delivery + replica write p99 ${ms(p.publishToReplica.p99)}. No step waits on a transaction or a queue any more: each listing is one insert in tickets, published right after it, and one insert into orders' replica. What is left is CPU and the engine: the ${p.events} listings, their publication, the batched removals of published events and the replica writes run on ${cores} cores beside the load generator (busiest: ${top(p.cpu)}; tickets ${cpuMsPer(p.cpu, 'tickets', p.events)}, its engine ${cpuMsPer(p.cpu, 'mongo-tickets', p.events)}, orders ${cpuMsPer(p.cpu, 'orders', p.events)} and its engine ${cpuMsPer(p.cpu, 'mongo-orders', p.events)} of CPU per listing), and the embedded engine's write cost grows with the collection (${insertNear(t, 1_000)}). A p99 of 25 ms needs the engine's insert to stay at a millisecond as the collection grows, which a real mongod's does (\`MONGO_URI\`).`,
      '',
    );
  }

  const race = t.race;
  out.push('### Purchase path', '');
  out.push(
    `${race.rounds} rounds; in each, ${race.tickets} fresh tickets (replicated to orders first), then all ${race.buyers} buyers send \`POST /api/orders\` at once through the gateway, 4 buyers per ticket. Throughput = order requests answered ÷ wall time of the bursts (first request sent → last answer); every request is a full purchase attempt (session, replica read, one insert of the order together with its \`order.created\` event, the unique index over live orders deciding the race).`,
    '',
    '| | value |',
    '|---|---:|',
    `| attempts | ${race.attempts} |`,
    `| orders created (201) | ${race.created} (expected ${race.rounds * race.tickets}) |`,
    `| rejected "already reserved" (400) | ${race.rejected} |`,
    `| other answers | ${
      Object.entries(race.unexpected)
        .map(([s, n]) => `${n}× ${s}`)
        .join(', ') || 'none'
    } |`,
    `| wall time of the bursts | ${fmt(race.wallSeconds, 2)} s |`,
    `| order requests/s | ${fmt(race.requestsPerSec, 0)} |`,
    `| orders created/s | ${fmt(race.ordersPerSec, 0)} |`,
    `| latency, all attempts | ${pq(race.latency)}, max ${ms(race.latency.max)} |`,
    `| latency, winning attempts | ${pq(race.winnerLatency)} |`,
    `| winners paid (tok_visa) / payment failures | ${race.paid} / ${race.paymentFailures} |`,
    `| race orders complete once settled (paid ones; a payment that lost to the expiry is refunded) | ${race.completed} |`,
    `| tickets with more than one live (created or complete) order | ${race.doubleLive} |`,
    `| tickets with more than one complete order | ${race.doubleComplete} |`,
    `| tickets whose sold state / \`orderId\` in the tickets DB disagrees with its complete order | ${race.ticketMismatch} |`,
    '',
    'CPU during the bursts (`/proc/<pid>/stat` utime+stime sampled before and after each burst, summed; the "profile"):',
    '',
    cpuTable(race.cpu),
    '',
  );
  if (!g.raceOk) {
    out.push(
      `**Why not met:** no order attempt waits on a transaction or a queue any more: the winner's is one insert of the order with its event, a loser's a read that finds the live order holding the ticket (and, when two inserts race past it, the unique index refuses one). The bursts are CPU-bound: ${race.buyers} requests arrive at once on ${cores} cores that the gateway, the load generator, the listeners (tickets locking the winners' tickets, payments replicating the orders) and the engines share. Busiest: ${top(race.cpu)}, which is ${cpuMsPer(race.cpu, 'orders', race.attempts)} of orders' CPU per order request (the gateway ${cpuMsPer(race.cpu, 'gateway (stack host process)', race.attempts)}, tickets ${cpuMsPer(race.cpu, 'tickets', race.attempts)}, the orders engine ${cpuMsPer(race.cpu, 'mongo-orders', race.attempts)}); the last of ${race.buyers} simultaneous requests waits for the CPU time of the ones before it, which is the p99.`,
      '',
    );
  }

  const e = t.e2e;
  out.push('### End-to-end purchase', '');
  out.push(
    `${e.purchases} purchases one after the other (failures: ${e.failures}), each by a signed-in buyer through the gateway: \`POST /api/orders\`, then \`POST /api/payments\` with \`tok_visa\` (retried every 5 ms while payments has not yet received \`order.created\`: a 404), then \`GET /api/orders/:id\` every 5 ms until \`complete\`, then \`GET /api/tickets/:id\` until \`sold\`. Times from sending the order.`,
    '',
    '| step | p50 | p99 | max |',
    '|---|---:|---:|---:|',
    `| order placed (201) | ${ms(e.orderPost.p50)} | ${ms(e.orderPost.p99)} | ${ms(e.orderPost.max)} |`,
    `| payment accepted (201), incl. waiting for payments' replica | ${ms(e.payment.p50)} | ${ms(e.payment.p99)} | ${ms(e.payment.max)} |`,
    `| **order → order complete visible to the buyer** | **${ms(e.complete.p50)}** | **${ms(e.complete.p99)}** | ${ms(e.complete.max)} |`,
    `| order → ticket shown as sold | ${ms(e.sold.p50)} | ${ms(e.sold.p99)} | ${ms(e.sold.max)} |`,
    '',
  );

  const x = t.expiry;
  out.push('### Expiry precision', '');
  out.push(
    `On a third, fresh stack (documents at the end: ${Object.entries(x.counts ?? {})
      .map(([k, v]) => `${k} ${v}`)
      .join(
        ', ',
      )}). ${x.orders} orders with \`ORDER_EXPIRATION_SECONDS=${x.windowSeconds}\` placed through the gateway by ${EXPIRY_BUYERS} buyers (at most 4 open holds each, the hold cap; 20 at a time, ${fmt(x.placingSeconds, 1)} s), none paid. The bench polls both databases (a 20 ms pause between polls, mean poll period ${fmt(x.pollPeriodMs, 0)} ms, from 2 s before each \`expiresAt\`, while the orders are still being placed): "buyable again" is when the order is \`cancelled\` in the orders database, which frees the unique index that decides who holds the ticket, so a new \`POST /api/orders\` succeeds; "listed again" is when the tickets service shows the ticket \`available\` (after \`order.cancelled\`). Lateness = that moment − the order's \`expiresAt\` (the expiration service's BullMQ delay is computed from \`expiresAt\`). Afterwards other buyers ordered every released ticket again: ${x.rebought} of ${x.orders} succeeded.`,
    '',
    '| lateness after `expiresAt` | n | p50 | p99 | max |',
    '|---|---:|---:|---:|---:|',
    `| buyable again (order cancelled) | ${x.cancelledLate.n} | ${ms(x.cancelledLate.p50)} | ${ms(x.cancelledLate.p99)} | ${ms(x.cancelledLate.max)} |`,
    `| listed again as available | ${x.availableLate.n} | ${ms(x.availableLate.p50)} | ${ms(x.availableLate.p99)} | ${ms(x.availableLate.max)} |`,
    '',
    cpuTable(x.cpu),
    '',
  );
  if (!g.expiryOk) {
    out.push(
      `**Why not met:** the expiration service fires on time (\`order.expired\` stored in JetStream ${pq(x.fired)} after \`expiresAt\`, ${x.fired.n} events); the lateness is in what follows: each expiry is one write in orders (the cancel with its \`order.cancelled\`), then one in tickets (the release) and one in payments (its replica), each listener handling up to \`LISTENER_CONCURRENCY\` messages at once. The ${x.orders} holds expire within ${fmt(x.placingSeconds, 1)} s of each other, on ${cores} cores shared by every process; busiest: ${top(x.cpu)}.`,
      '',
    );
  }

  out.push(liveSection(t.live, cpuTable));

  out.push('### Engine', '');
  out.push(
    `The same connection from the bench to the ${t.mongo} engine, sequentially, nothing else in flight (the services idle): a \`findOne\` by \`_id\` vs a transaction that reads and updates one document (\`withTransaction\`).`,
    '',
    '| | plain read p50 | p99 | one transaction p50 | p99 |',
    '|---|---:|---:|---:|---:|',
    `| at start (empty collections) | ${ms(t.probeStart.read.p50)} | ${ms(t.probeStart.read.p99)} | ${ms(t.probeStart.transaction.p50)} | ${ms(t.probeStart.transaction.p99)} |`,
    `| at the end | ${ms(t.probeEnd.read.p50)} | ${ms(t.probeEnd.read.p99)} | ${ms(t.probeEnd.transaction.p50)} | ${ms(t.probeEnd.transaction.p99)} |`,
    '',
    `How a one-document transaction's cost follows the size of the collection it writes, on a fresh engine of its own with nothing else running (${t.scaling[0]?.transaction.n ?? 0} samples each; "elsewhere" is the same transaction into an empty collection of the same engine):`,
    '',
    '| documents in the collection | transaction p50 | p99 | plain insert p50 | transaction elsewhere p50 |',
    '|---:|---:|---:|---:|---:|',
    ...t.scaling.map(
      (row) =>
        `| ${fmt(row.documents, 0)} | ${ms(row.transaction.p50)} | ${ms(row.transaction.p99)} | ${ms(row.insert.p50)} | ${ms(row.elsewhere.p50)} |`,
    ),
    '',
    `The embedded engine is a GraalVM native image (the binary names \`org.jongodb.server\` classes). A transaction's cost grows with the collection it writes — about linearly, ~0.1 ms per document — and, less, with the rest of the engine's data, while a plain insert stays near a millisecond up to a few hundred documents (it too grows beyond a thousand): this is the profile of every write-path figure above. This table is why no hot path uses a transaction any more (ADR 005): every state change is one single-document write that carries its own events, the relay removes published events in batches, the local stack runs one engine per service (as Kubernetes runs one MongoDB per service), and the fault and benchmark stacks start fresh. Documents in the first stack at the end: ${Object.entries(
      t.counts,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
    '',
  );
  return out.join('\n');
}

export function renderReport(
  m: Machine,
  targets: readonly TargetResults[],
  seconds: number,
  hadMongoUri: boolean,
): string {
  const out = header(m, seconds, hadMongoUri);
  for (const t of targets) out.push(target(t, m.cores));
  return `${out.join('\n').trimEnd()}\n`;
}

/**
 * A run with `BENCH_PHASES`: the machine, then the catalogue's, the write path's and the live streams'
 * figures and sections if they ran; the other phases' figures as JSON (their sections need the whole run).
 */
export function renderPartialReport(
  m: Machine,
  targets: readonly PartialTargetResults[],
  seconds: number,
  hadMongoUri: boolean,
  phases: readonly string[],
): string {
  const out = header(m, seconds, hadMongoUri);
  out.push(
    `**Partial run** (\`BENCH_PHASES=${phases.join(',')}\`): only these phases ran, so this file is not \`results.md\`.`,
    '',
  );
  for (const t of targets) {
    out.push(`## Figures — ${t.mongo}`, '');
    if (t.catalogue || t.write || t.live) {
      out.push(
        '| figure | measured | goal | |',
        '|---|---|---|---|',
        ...(t.catalogue ? catalogueFigureRows(t.catalogue) : []),
        ...(t.write ? [writeFigureRow(t.write)] : []),
        ...(t.live ? liveFigureRows(t.live) : []),
        '',
      );
    }
    if (t.catalogue) out.push(catalogueSection(t.catalogue, cpuTable));
    if (t.write) out.push(writeSection(t.write, cpuTable, t.scaling));
    if (t.live) out.push(liveSection(t.live, cpuTable));
    const {
      label: _label,
      mongo: _mongo,
      windowSeconds: _window,
      write: _write,
      catalogue: _catalogue,
      live: _live,
      ...rest
    } = t;
    if (Object.values(rest).some((v) => v !== undefined)) {
      out.push(
        '### Other phases (raw)',
        '',
        '```json',
        JSON.stringify(
          rest,
          (_key, value: unknown) => (value instanceof Map ? Object.fromEntries(value) : value),
          2,
        ),
        '```',
        '',
      );
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function header(m: Machine, seconds: number, hadMongoUri: boolean): string[] {
  const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(' / ');
  const out: string[] = [];
  out.push(
    '# Benchmark results',
    '',
    'Written by `npm run bench` (the `bench` workspace): it starts the local stack (`startStack` from `infra/local`: the gateway, auth, tickets, orders, expiration, payments, client, one embedded Mongo engine per service with data, `nats-server`, `redis-server`), runs every measurement below in one pass, and stops it. Re-run it on an idle machine for figures that mean something; the load average below says how busy this one was.',
    '',
    '## Machine and versions',
    '',
    '| | |',
    '|---|---|',
    `| date (UTC) | ${m.date} |`,
    `| CPU | ${m.cpuModel}, ${m.cores} cores |`,
    `| RAM | ${fmt(m.ramGiB, 1)} GiB |`,
    `| load average (1 / 5 / 15 min) at start | ${load(m.loadStart)} |`,
    `| load average (1 / 5 / 15 min) at end | ${load(m.loadEnd)} |`,
    `| duration of the run | ${fmt(seconds, 0)} s |`,
    ...Object.entries(m.versions).map(([k, v]) => `| ${k} | ${v} |`),
    `| MongoDB | ${hadMongoUri ? 'embedded jongodb, then the mongod at `MONGO_URI`' : 'embedded jongodb only: `MONGO_URI` was not set, so no real mongod was reachable to compare with'} |`,
    '',
    "Everything (load generator, gateway, five services, the Next.js client, the Mongo engine, NATS, Redis) shares the same cores; the CPU tables show who used them. Percentiles are exact (sorted samples) except autocannon's, which come from its HDR histogram.",
    '',
  );
  return out;
}
