import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import mongoose from 'mongoose';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { EVENTS_STREAM, Subjects } from '@ticketing/common';
import {
  Client,
  cpuMeter,
  log,
  nowMs,
  pool,
  summarize,
  waitUntil,
  type CpuUsage,
  type Summary,
} from './lib';

export interface Env {
  url: string;
  ports: Record<string, number>;
  /** Name → pid of every process whose CPU is sampled (stack parts, gateway host, baseline, bench). */
  pids: Map<string, number>;
  db(service: string): mongoose.Connection;
}

interface TicketJson {
  id: string;
  status: string;
  orderId?: string;
}

interface OrderJson {
  id: string;
  status: string;
  expiresAt: string;
  ticket: { id: string };
}

const PASSWORD = 'correct horse battery';
const oid = (id: string) => new mongoose.Types.ObjectId(id);

export async function signUp(env: Env, count: number): Promise<Client[]> {
  return pool(Array.from({ length: count }), 8, async () => {
    const client = new Client(env.url);
    const email = `${randomUUID()}@bench.example.com`;
    const res = await client.post<{ id: string }>('/api/users/signup', {
      email,
      password: PASSWORD,
    });
    if (res.status !== 201) throw new Error(`signup failed: ${res.status}`);
    client.id = res.body.id;
    return Object.assign(client, { email });
  });
}

/** Lists `count` tickets round-robin over the sellers; returns their ids and POST timings. */
export async function listTickets(
  sellers: readonly Client[],
  count: number,
  lanes = sellers.length,
): Promise<Array<{ id: string; sentAt: number; answeredAt: number }>> {
  return pool(Array.from({ length: count }), lanes, async (_, i) => {
    const seller = sellers[i % sellers.length]!;
    const sentAt = nowMs();
    const res = await seller.post<TicketJson>('/api/tickets', {
      title: `Bench ticket ${i}`,
      price: 20 + (i % 50),
    });
    const answeredAt = nowMs();
    if (res.status !== 201) throw new Error(`listing failed: ${res.status}`);
    return { id: res.body.id, sentAt, answeredAt };
  });
}

export async function replicatedInOrders(env: Env, ids: readonly string[]): Promise<void> {
  const tickets = env.db('orders').collection('tickets');
  await waitUntil(
    async () => (await tickets.countDocuments({ _id: { $in: ids.map(oid) } })) === ids.length,
    30_000,
    `${ids.length} tickets to reach the orders replica`,
  );
}

// ---------------------------------------------------------------------------------------------
// Engine probe: a single transaction vs a plain read, sequentially, on an otherwise idle connection.

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

// ---------------------------------------------------------------------------------------------
// Engine scaling: what one transaction costs as the collection it writes grows.

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

// ---------------------------------------------------------------------------------------------
// Read path

export interface CannonFigures {
  label: string;
  url: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  bytesPerResponse: number;
  statusCodes: Record<string, number>;
  cpu: CpuUsage;
}

export async function cannon(
  env: Env,
  label: string,
  options: autocannon.Options,
  warmupSeconds = 2,
): Promise<CannonFigures> {
  if (warmupSeconds > 0) await autocannon({ ...options, duration: warmupSeconds });
  const meter = cpuMeter(env.pids);
  const result = await autocannon(options);
  const cpu = meter();
  const total = result.requests.total || 1;
  return {
    label,
    url: options.url,
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    bytesPerResponse: result.throughput.total / total,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, stat.count ?? 0]),
    ),
    cpu,
  };
}

// ---------------------------------------------------------------------------------------------
// Event propagation: ticket.created commit → orders replica

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
  sellers: readonly Client[],
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
  const listed = await listTickets(sellers, events, lanes);
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

// ---------------------------------------------------------------------------------------------
// Purchase race: 200 buyers for 50 tickets, several rounds

export interface RaceResult {
  rounds: number;
  buyers: number;
  tickets: number;
  attempts: number;
  created: number;
  rejected: number;
  unexpected: Record<string, number>;
  wallSeconds: number;
  requestsPerSec: number;
  ordersPerSec: number;
  latency: Summary;
  winnerLatency: Summary;
  paid: number;
  paymentFailures: number;
  /** Race orders complete once everything settled. */
  completed: number;
  doubleLive: number;
  doubleComplete: number;
  ticketMismatch: number;
  ticketsChecked: number;
  cpu: CpuUsage;
}

export async function purchaseRace(
  env: Env,
  sellers: readonly Client[],
  buyers: readonly Client[],
  rounds: number,
  ticketsPerRound: number,
): Promise<RaceResult> {
  const latencies: number[] = [];
  const winnerLatencies: number[] = [];
  const unexpected: Record<string, number> = {};
  const raceTickets: string[] = [];
  const cpuSeconds = new Map<string, number>();
  let wall = 0;
  let created = 0;
  let rejected = 0;
  let paid = 0;
  let paymentFailures = 0;
  for (let round = 1; round <= rounds; round++) {
    const tickets = (await listTickets(sellers, ticketsPerRound)).map((t) => t.id);
    await replicatedInOrders(env, tickets);
    raceTickets.push(...tickets);
    const meter = cpuMeter(env.pids);
    const t0 = performance.now();
    const results = await Promise.all(
      buyers.map(async (buyer, i) => {
        const res = await buyer.post<OrderJson>('/api/orders', {
          ticketId: tickets[i % tickets.length],
        });
        return { buyer, res };
      }),
    );
    const roundWall = (performance.now() - t0) / 1000;
    const usage = meter();
    wall += roundWall;
    for (const [name, pct] of usage.percent) {
      cpuSeconds.set(name, (cpuSeconds.get(name) ?? 0) + (pct / 100) * usage.wallSeconds);
    }
    const winners: Array<{ buyer: Client; order: OrderJson }> = [];
    for (const { buyer, res } of results) {
      latencies.push(res.ms);
      if (res.status === 201) {
        created++;
        winnerLatencies.push(res.ms);
        winners.push({ buyer, order: res.body });
      } else if (res.status === 400) rejected++;
      else unexpected[String(res.status)] = (unexpected[String(res.status)] ?? 0) + 1;
    }
    log(
      `race round ${round}: ${winners.length} orders of ${buyers.length} attempts in ${roundWall.toFixed(2)} s`,
    );
    // The winners pay at once (before their hold expires), so the final state is "sold once".
    await pool(winners, 10, async ({ buyer, order }) => {
      const ok = await pay(buyer, order.id);
      if (ok) paid++;
      else paymentFailures++;
    });
  }
  // Let every race order settle (paid → complete, unpaid → cancelled when its hold expires), then
  // count what a double sale would leave behind, in both databases.
  const orders = env.db('orders').collection('orders');
  const ticketsDb = env.db('tickets').collection('tickets');
  const raceIds = raceTickets.map(oid);
  await waitUntil(
    async () =>
      (await orders.countDocuments({
        'ticket.id': { $in: raceIds },
        status: { $in: ['created', 'awaiting:payment'] },
      })) === 0,
    90_000,
    'every race order to be complete or cancelled',
    250,
  ).catch((err: Error) => log(`warning: ${err.message}`));
  await waitUntil(
    async () =>
      (await ticketsDb.countDocuments({ _id: { $in: raceIds }, status: 'sold' })) >=
      (await orders.countDocuments({ 'ticket.id': { $in: raceIds }, status: 'complete' })),
    30_000,
    'the tickets of complete race orders to be sold',
    250,
  ).catch((err: Error) => log(`warning: ${err.message}`));
  const raceOrders = await orders
    .find({ 'ticket.id': { $in: raceIds } }, { projection: { status: 1, 'ticket.id': 1 } })
    .toArray();
  const perTicket = new Map<string, { live: number; complete: string[] }>();
  for (const o of raceOrders) {
    const key = String((o as { ticket?: { id?: unknown } }).ticket?.id);
    const entry = perTicket.get(key) ?? { live: 0, complete: [] };
    const status = String((o as { status?: unknown }).status);
    if (['created', 'awaiting:payment', 'complete'].includes(status)) entry.live++;
    if (status === 'complete') entry.complete.push(String(o._id));
    perTicket.set(key, entry);
  }
  const ticketDocs = await ticketsDb
    .find({ _id: { $in: raceIds } }, { projection: { status: 1, orderId: 1 } })
    .toArray();
  let ticketMismatch = 0;
  for (const t of ticketDocs) {
    const { status, orderId } = t as { status?: string; orderId?: string };
    const complete = perTicket.get(String(t._id))?.complete ?? [];
    if (complete.length === 1 && (status !== 'sold' || orderId !== complete[0])) ticketMismatch++;
    if (complete.length === 0 && status === 'sold') ticketMismatch++;
  }
  const completed = [...perTicket.values()].reduce((n, e) => n + e.complete.length, 0);
  const percent = new Map<string, number>();
  for (const [name, s] of cpuSeconds) percent.set(name, (s / wall) * 100);
  const attempts = rounds * buyers.length;
  return {
    rounds,
    buyers: buyers.length,
    tickets: ticketsPerRound,
    attempts,
    created,
    rejected,
    unexpected,
    wallSeconds: wall,
    requestsPerSec: attempts / wall,
    ordersPerSec: created / wall,
    latency: summarize(latencies),
    winnerLatency: summarize(winnerLatencies),
    paid,
    paymentFailures,
    completed,
    doubleLive: [...perTicket.values()].filter((e) => e.live > 1).length,
    doubleComplete: [...perTicket.values()].filter((e) => e.complete.length > 1).length,
    ticketMismatch,
    ticketsChecked: raceTickets.length,
    cpu: { wallSeconds: wall, percent },
  };
}

/** Pays an order with the sandbox's good card; retries while payments has not yet heard of it. */
async function pay(buyer: Client, orderId: string): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await buyer.post('/api/payments', { orderId, token: 'tok_visa' });
    if (res.status === 201) return true;
    if (res.status !== 404 || Date.now() > deadline) return false;
    await sleep(5);
  }
}

// ---------------------------------------------------------------------------------------------
// End-to-end purchase: order → pay → complete visible, one buyer at a time

export interface EndToEndResult {
  purchases: number;
  failures: number;
  orderPost: Summary;
  payment: Summary;
  complete: Summary;
  sold: Summary;
}

export async function endToEnd(
  env: Env,
  sellers: readonly Client[],
  buyers: readonly Client[],
  count: number,
): Promise<EndToEndResult> {
  const tickets = (await listTickets(sellers, count)).map((t) => t.id);
  await replicatedInOrders(env, tickets);
  const orderPost: number[] = [];
  const payment: number[] = [];
  const complete: number[] = [];
  const sold: number[] = [];
  let failures = 0;
  for (let i = 0; i < count; i++) {
    const buyer = buyers[i % buyers.length]!;
    const t0 = performance.now();
    const order = await buyer.post<OrderJson>('/api/orders', { ticketId: tickets[i] });
    if (order.status !== 201) {
      failures++;
      continue;
    }
    const t1 = performance.now();
    if (!(await pay(buyer, order.body.id))) {
      failures++;
      continue;
    }
    const t2 = performance.now();
    try {
      await waitUntil(
        async () =>
          (await buyer.get<OrderJson>(`/api/orders/${order.body.id}`)).body.status === 'complete',
        10_000,
        'order complete',
        5,
      );
      const t3 = performance.now();
      await waitUntil(
        async () =>
          (await buyer.get<TicketJson>(`/api/tickets/${tickets[i]}`)).body.status === 'sold',
        10_000,
        'ticket sold',
        5,
      );
      const t4 = performance.now();
      orderPost.push(t1 - t0);
      payment.push(t2 - t1);
      complete.push(t3 - t0);
      sold.push(t4 - t0);
    } catch {
      failures++;
    }
  }
  return {
    purchases: complete.length,
    failures,
    orderPost: summarize(orderPost),
    payment: summarize(payment),
    complete: summarize(complete),
    sold: summarize(sold),
  };
}

// ---------------------------------------------------------------------------------------------
// Expiry precision

export interface ExpiryResult {
  orders: number;
  windowSeconds: number;
  placingSeconds: number;
  cancelledLate: Summary;
  availableLate: Summary;
  missed: number;
  pollPeriodMs: number;
  rebought: number;
  cpu: CpuUsage;
  counts?: Record<string, number>;
}

/**
 * How late the expiration service published each `order.expired` (JetStream's receive time) after its
 * order's `expiresAt`: the BullMQ timer's share of the lateness, before orders, tickets and payments act.
 */
export async function expiryFired(env: Env, natsUrl: string): Promise<Summary> {
  const stored = await env
    .db('orders')
    .collection<{ expiresAt: Date }>('orders')
    .find({})
    .toArray();
  const expiresAt = new Map(stored.map((o) => [String(o._id), o.expiresAt.getTime()]));
  const nc = await connect({ servers: natsUrl, name: 'bench-expiry' });
  try {
    // An ephemeral consumer of just this subject (nats-server 2.9 takes one filter subject), unacked.
    const jsm = await jetstreamManager(nc);
    const { name } = await jsm.consumers.add(EVENTS_STREAM, {
      filter_subject: Subjects.OrderExpired,
      ack_policy: AckPolicy.None,
      inactive_threshold: 60_000_000_000,
    });
    const consumer = await jetstream(nc).consumers.get(EVENTS_STREAM, name);
    const late: number[] = [];
    let left = (await consumer.info()).num_pending;
    while (left > 0) {
      const batch = await consumer.fetch({ max_messages: Math.min(left, 256), expires: 2_000 });
      let received = 0;
      for await (const m of batch) {
        received++;
        const at = expiresAt.get(m.json<{ id: string }>().id);
        if (at !== undefined) late.push(m.info.timestampNanos / 1e6 - at);
      }
      if (received === 0) break;
      left -= received;
    }
    return summarize(late);
  } finally {
    await nc.close();
  }
}

export async function expiry(
  env: Env,
  sellers: readonly Client[],
  buyers: readonly Client[],
  count: number,
  windowSeconds: number,
): Promise<ExpiryResult> {
  const tickets = (await listTickets(sellers, count)).map((t) => t.id);
  await replicatedInOrders(env, tickets);
  const orders = env.db('orders').collection('orders');
  const ticketsDb = env.db('tickets').collection('tickets');
  const cancelledAt = new Map<string, number>();
  const availableAt = new Map<string, number>();
  const placed: Array<{ orderId: string; ticketId: string; expiresAt: number }> = [];
  let placingDone = false;
  let polls = 0;
  let pollStart = 0;
  const meter = cpuMeter(env.pids);
  // The watcher runs while the orders are being placed: an early order may expire before the last is in.
  const watcher = (async () => {
    for (;;) {
      const lastExpiry = placed.length ? Math.max(...placed.map((p) => p.expiresAt)) : Infinity;
      const allSeen =
        placingDone && cancelledAt.size === placed.length && availableAt.size === placed.length;
      if (allSeen || (placingDone && Date.now() > lastExpiry + 30_000)) return;
      const now = Date.now();
      const due = placed.filter((p) => p.expiresAt - now < 2_000);
      if (due.length === 0) {
        await sleep(20);
        continue;
      }
      if (polls === 0) pollStart = performance.now();
      const waitingOrders = due
        .filter((p) => !cancelledAt.has(p.orderId))
        .map((p) => oid(p.orderId));
      const waitingTickets = due
        .filter((p) => !availableAt.has(p.ticketId))
        .map((p) => oid(p.ticketId));
      const [c, a] = await Promise.all([
        orders
          .find({ _id: { $in: waitingOrders }, status: 'cancelled' }, { projection: { _id: 1 } })
          .toArray(),
        ticketsDb
          .find({ _id: { $in: waitingTickets }, status: 'available' }, { projection: { _id: 1 } })
          .toArray(),
      ]);
      const t = nowMs();
      for (const d of c) cancelledAt.set(String(d._id), t);
      for (const d of a) availableAt.set(String(d._id), t);
      polls++;
      await sleep(20);
    }
  })();
  const placeStart = performance.now();
  await pool(tickets, 20, async (ticketId, i) => {
    const buyer = buyers[i % buyers.length]!;
    const res = await buyer.post<OrderJson>('/api/orders', { ticketId });
    if (res.status !== 201) throw new Error(`expiry: order failed ${res.status}`);
    placed.push({ orderId: res.body.id, ticketId, expiresAt: Date.parse(res.body.expiresAt) });
  });
  const placingSeconds = (performance.now() - placeStart) / 1000;
  placingDone = true;
  if (placingSeconds > windowSeconds * 0.8) {
    log(
      `warning: placing the orders took ${placingSeconds.toFixed(1)} s of a ${windowSeconds} s window`,
    );
  }
  await watcher;
  const cpu = meter();
  const pollPeriodMs = polls > 1 ? (performance.now() - pollStart) / polls : Number.NaN;
  const cancelledLate: number[] = [];
  const availableLate: number[] = [];
  for (const p of placed) {
    const c = cancelledAt.get(p.orderId);
    const a = availableAt.get(p.ticketId);
    if (c !== undefined) cancelledLate.push(c - p.expiresAt);
    if (a !== undefined) availableLate.push(a - p.expiresAt);
  }
  const missed = placed.filter(
    (p) => !cancelledAt.has(p.orderId) || !availableAt.has(p.ticketId),
  ).length;
  // Proof that "cancelled" means buyable: other buyers order every released ticket again.
  const rebought = await pool(placed, 10, async (p, i) => {
    const buyer = buyers[(i + 1) % buyers.length]!;
    const res = await buyer.post('/api/orders', { ticketId: p.ticketId });
    return res.status === 201 ? 1 : 0;
  });
  return {
    orders: placed.length,
    windowSeconds,
    placingSeconds,
    cancelledLate: summarize(cancelledLate),
    availableLate: summarize(availableLate),
    missed,
    pollPeriodMs,
    rebought: rebought.reduce<number>((a, b) => a + b, 0),
    cpu,
  };
}
