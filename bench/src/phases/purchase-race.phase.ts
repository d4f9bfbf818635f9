/**
 * Purchase race (main stack): rounds of 200 buyers ordering 50 fresh tickets at once; the winners pay at
 * once. Once everything settled, double sales are counted in both the orders and the tickets databases.
 */
import type { ApiClient, OrderJson } from '@ticketing/common';
import { cpuMeter, log, pool, summarize, waitUntil, type CpuUsage, type Summary } from '../lib';
import type { Env } from '../stack-run';
import { addEventsFor, listTickets, oid, pay, replicatedInOrders } from '../users';

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
  sellers: readonly ApiClient[],
  buyers: readonly ApiClient[],
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
    const events = await addEventsFor(sellers[0]!, ticketsPerRound);
    const tickets = (await listTickets(sellers, ticketsPerRound, events)).map((t) => t.id);
    await replicatedInOrders(env, tickets);
    raceTickets.push(...tickets);
    const meter = cpuMeter(env.pids);
    const t0 = performance.now();
    const results = await Promise.all(
      buyers.map(async (buyer, i) => {
        const res = await buyer.createOrder(tickets[i % tickets.length]!);
        return { buyer, res };
      }),
    );
    const roundWall = (performance.now() - t0) / 1000;
    const usage = meter();
    wall += roundWall;
    for (const [name, pct] of usage.percent) {
      cpuSeconds.set(name, (cpuSeconds.get(name) ?? 0) + (pct / 100) * usage.wallSeconds);
    }
    const winners: Array<{ buyer: ApiClient; order: OrderJson }> = [];
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
        status: 'created',
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
    if (['created', 'complete'].includes(status)) entry.live++;
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

export const RACE_BUYERS = 200;
const RACE_ROUNDS = 2;
const RACE_TICKETS = 50;

/** The race of the main stack, with its log lines; `buyers` are `RACE_BUYERS` signed-up users. */
export async function racePhase(
  label: string,
  env: Env,
  sellers: readonly ApiClient[],
  buyers: readonly ApiClient[],
): Promise<RaceResult> {
  log(
    `[${label}] purchase race: ${RACE_ROUNDS} rounds of ${RACE_BUYERS} buyers for ${RACE_TICKETS} tickets`,
  );
  const race = await purchaseRace(env, sellers, buyers, RACE_ROUNDS, RACE_TICKETS);
  log(
    `[${label}] race: ${race.requestsPerSec.toFixed(0)} order requests/s, p99 ${race.latency.p99.toFixed(0)} ms, double sales ${race.doubleLive + race.doubleComplete + race.ticketMismatch}`,
  );
  return race;
}
