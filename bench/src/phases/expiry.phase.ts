/**
 * Expiry precision (phase group `expiry`), on a fresh stack of its own: 200 unpaid orders, polled in
 * both databases until released, then bought again; the `order.expired` events' JetStream timestamps give
 * the BullMQ timer's share of the lateness.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { EVENTS_STREAM, Subjects, type ApiClient } from '@ticketing/common';
import { cpuMeter, log, nowMs, pool, summarize, type CpuUsage, type Summary } from '../lib';
import { WINDOW_SECONDS } from '../settings';
import { countDocs, withStack, type Env } from '../stack-run';
import { addEventsFor, listTickets, oid, replicatedInOrders, signUp } from '../users';

const EXPIRY_ORDERS = 200;
/** Buyers placing them: each holds 4 at once at most (orders' MAX_ACTIVE_HOLDS, default 4). */
export const EXPIRY_BUYERS = 50;

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
  sellers: readonly ApiClient[],
  buyers: readonly ApiClient[],
  count: number,
  windowSeconds: number,
): Promise<ExpiryResult> {
  const events = await addEventsFor(sellers[0]!, count);
  const tickets = (await listTickets(sellers, count, events)).map((t) => t.id);
  await replicatedInOrders(env, tickets);
  const orders = env.db('orders').collection('orders');
  const ticketsDb = env.db('tickets').collection('tickets');
  const cancelledAt = new Map<string, number>();
  const availableAt = new Map<string, number>();
  const placed: Array<{ orderId: string; ticketId: string; expiresAt: number; buyer: number }> = [];
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
    const buyer = i % buyers.length;
    const res = await buyers[buyer]!.createOrder(ticketId);
    if (res.status !== 201) throw new Error(`expiry: order failed ${res.status}: ${res.text}`);
    placed.push({
      orderId: res.body.id,
      ticketId,
      expiresAt: Date.parse(res.body.expiresAt),
      buyer,
    });
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
  // Proof that "cancelled" means buyable: other buyers order every released ticket again (another
  // buyer: the one whose hold expired may not hold it again within the re-hold cooldown).
  const rebought = await pool(placed, 10, async (p) => {
    const res = await buyers[(p.buyer + 1) % buyers.length]!.createOrder(p.ticketId);
    if (res.status !== 201)
      log(`expiry: ordering a released ticket again failed ${res.status}: ${res.text}`);
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

/** The `expiry` group: a fresh stack, 2 sellers and EXPIRY_BUYERS buyers, then the `order.expired` timestamps. */
export function expiryPhase(
  label: string,
  externalMongo: string | undefined,
  work: string,
): Promise<ExpiryResult & { fired: Summary }> {
  return withStack(`${label}-expiry`, externalMongo, work, async ({ env, engines }) => {
    const sellers = await signUp(env, 2);
    const buyers = await signUp(env, EXPIRY_BUYERS);
    log(`[${label}] expiry: ${EXPIRY_ORDERS} orders with a ${WINDOW_SECONDS} s window`);
    const result = await expiry(env, sellers, buyers, EXPIRY_ORDERS, WINDOW_SECONDS);
    log(
      `[${label}] expiry lateness p50 ${result.cancelledLate.p50.toFixed(0)} ms, p99 ${result.cancelledLate.p99.toFixed(0)} ms`,
    );
    const fired = await expiryFired(env, engines.nats);
    log(`[${label}] order.expired published p50 ${fired.p50.toFixed(0)} ms after expiresAt`);
    return { ...result, fired, counts: await countDocs(env) };
  });
}
