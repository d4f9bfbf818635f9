/**
 * `npm run test:faults`: the whole local stack under a steady purchase load while faults are injected —
 * kill -9 of every service in turn (then a restart), nats-server restarts (same port, same JetStream
 * store), Redis restarts (same port, same dir, AOF), and pauses of a service's event relay (SIGUSR2).
 * Then the load stops, everything settles, and the invariants are checked on the stored state and
 * printed as a table. Not part of `npm test` (see jest.faults.config.js). FAULTS_SEED repeats a schedule.
 */
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { connectEventBus, createLogger, EVENTS_STREAM, type EventBus } from '@ticketing/common';
import { serviceDatabases } from '../databases';
import { startStack, type Stack } from '../stack';
import { SERVICES_WITH_EVENTS, pendingEvents } from '../pending-events';
import {
  checkInvariants,
  explainDeadLetter,
  formatTable,
  heldUntilStart,
  readState,
  refundTimings,
} from './invariants';
import { Load, seededRandom } from './load';

const EXPIRATION_SECONDS = 6;
const LOAD_WORKERS = 6;
const SERVICES = ['auth', 'tickets', 'orders', 'expiration', 'payments'] as const;

const seed = Number(process.env.FAULTS_SEED ?? Date.now() % 1_000_000);
const random = seededRandom(seed);
const logFile = join(tmpdir(), `ticketing-faults-${process.pid}.log`);
const log = createWriteStream(logFile);

let stack: Stack;
let bus: EventBus;
const databases = serviceDatabases((service) => stack.engines.mongo[service]!);
const db = (service: string) => databases.db(service);

/** Progress lines go to the terminal and, with every stack line, to the log file. */
function say(message: string) {
  const line = `[faults ${new Date().toISOString().slice(11, 23)}] ${message}`;
  process.stdout.write(`${line}\n`);
  log.write(`${line}\n`);
}

beforeAll(async () => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GATEWAY_PORT: '0',
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    ORDER_EXPIRATION_SECONDS: String(EXPIRATION_SECONDS),
    // Payouts due when their event starts: the load's events that start within seconds get paid during
    // the run, through the kills of payments.
    PAYOUT_DELAY_HOURS: '0',
  };
  for (const name of ['MONGO_URI', 'NATS_URL', 'REDIS_URL', 'JWT_KEY', 'STRIPE_KEY'])
    delete env[name];
  say(`seed ${seed} (FAULTS_SEED=${seed} repeats this schedule); stack log: ${logFile}`);
  stack = await startStack({
    env,
    output: (line) => log.write(`${line}\n`),
    onUnexpectedExit: (exit) => say(`!!! ${exit.name} exited unexpectedly`),
  });
  bus = await connectEventBus(stack.engines.nats, 'faults-test', createLogger('faults', 'silent'));
  // Opened now: a mongoose connection still opening buffers collection calls, and a buffered find()
  // has no cursor methods.
  for (const service of SERVICES_WITH_EVENTS) await db(service).asPromise();
}, 180_000);

afterAll(async () => {
  await databases.close();
  await bus?.nc.close();
  await stack?.stop();
  await new Promise((resolve) => log.end(resolve));
}, 60_000);

interface Injected {
  kills: Record<string, number>;
  natsRestarts: number;
  redisRestarts: number;
  relayPauses: number;
  /** Events seen pending at the end of each pause (proves the pause held events back). */
  pendingAtPauseEnd: number[];
}

async function pendingEventsOf(service: string): Promise<number> {
  return pendingEvents(db(service), service);
}

/** The fault schedule: every fault twice (relay pauses: once per service with a relay), shuffled. */
async function injectFaults(injected: Injected) {
  type Fault = () => Promise<void>;
  const faults: Fault[] = [
    // Every service twice, each time at a random moment.
    ...[...SERVICES, ...SERVICES].map((name): Fault => async () => {
      say(`kill -9 ${name}`);
      await stack.kill(name);
      injected.kills[name] = (injected.kills[name] ?? 0) + 1;
      await sleep(random.int(0, 2_000));
      await stack.restart(name);
      say(`${name} restarted`);
    }),
    ...(['stop', 'kill'] as const).map((how): Fault => async () => {
      say(`restart nats-server (${how})`);
      await stack.restartEngine('nats', how);
      injected.natsRestarts += 1;
      say('nats-server back');
    }),
    ...(['kill', 'stop'] as const).map((how): Fault => async () => {
      say(`restart redis-server (${how})`);
      await stack.restartEngine('redis', how);
      injected.redisRestarts += 1;
      say('redis-server back');
    }),
    ...(['orders', 'tickets', 'payments'] as const).map((name): Fault => async () => {
      // Shorter than orders' charge.succeeded retry budget (~20 s), so no dead letter is expected.
      const pauseMs = random.int(4_000, 8_000);
      say(`pause ${name}'s event relay for ${pauseMs} ms (SIGUSR2)`);
      stack.signal(name, 'SIGUSR2');
      injected.relayPauses += 1;
      await sleep(pauseMs);
      const pending = await pendingEventsOf(name);
      injected.pendingAtPauseEnd.push(pending);
      stack.signal(name, 'SIGUSR2');
      say(`${name}'s relay resumed (${pending} entries were waiting)`);
    }),
  ];
  for (let i = faults.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [faults[i], faults[j]] = [faults[j]!, faults[i]!];
  }
  for (const fault of faults) {
    await sleep(random.int(2_000, 7_000));
    await fault();
  }
}

async function consumersIdle(): Promise<boolean> {
  for await (const info of bus.jsm.consumers.list(EVENTS_STREAM)) {
    // The listeners' durable consumers only: a live page feed (an ordered, ephemeral consumer of one
    // process) left by a killed process keeps its backlog until the server drops it, and holds no work.
    if (!info.config.durable_name) continue;
    if (info.num_pending > 0 || info.num_ack_pending > 0) return false;
  }
  return true;
}

/**
 * Settled: every hold's expiry has passed (plus a margin), no order is still open, no charge in flight,
 * no event pending and every consumer idle — twice in a row, a second apart.
 */
async function settle(deadlineMs: number): Promise<boolean> {
  let calm = 0;
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    const orders = db('orders').collection('orders');
    const [last] = await orders.find({}).sort({ expiresAt: -1 }).limit(1).toArray();
    const expiredLongAgo = !last || (last['expiresAt'] as Date).getTime() + 3_000 < Date.now();
    let pending = 0;
    for (const service of SERVICES_WITH_EVENTS) pending += await pendingEventsOf(service);
    const open = await orders.countDocuments({ status: { $nin: ['complete', 'cancelled'] } });
    const inFlight = await db('payments')
      .collection('charges')
      .countDocuments({ $or: [{ status: 'created' }, { refundDue: true, stripeRefundId: null }] });
    const idle = await consumersIdle();
    // A payer killed mid-payment leaves its lease (60 s) to run out first.
    const payoutsDue = await db('payments')
      .collection('payouts')
      .countDocuments({ status: 'pending', availableAt: { $lte: new Date(Date.now() - 1_000) } });
    if (expiredLongAgo && pending === 0 && open === 0 && inFlight === 0 && idle && !payoutsDue) {
      calm += 1;
      if (calm >= 2) return true;
    } else {
      calm = 0;
    }
    await sleep(1_000);
  }
  return false;
}

it('keeps every invariant under crashes, broker and Redis restarts and relay pauses', async () => {
  const load = new Load(stack.url, random);
  await load.signUp(4, 12);
  say(`load: ${LOAD_WORKERS} workers, 4 sellers, 12 buyers, holds of ${EXPIRATION_SECONDS} s`);
  load.start(LOAD_WORKERS);
  const injected: Injected = {
    kills: {},
    natsRestarts: 0,
    redisRestarts: 0,
    relayPauses: 0,
    pendingAtPauseEnd: [],
  };
  await sleep(5_000);
  try {
    // FAULTS_INJECT=0: the same load without faults, as a baseline for the load figures.
    if (process.env.FAULTS_INJECT === '0') await sleep(60_000);
    else await injectFaults(injected);
    await sleep(5_000);
  } finally {
    say('stopping the load');
    await load.stop();
  }
  say('load stopped; waiting for everything to settle');
  const settled = await settle(150_000);
  say(settled ? 'settled' : 'did NOT settle within 150 s; checking the state as it is');

  const state = await readState(db, bus.jsm);
  const results = await checkInvariants(state, bus.jsm);

  const s = load.stats;
  const out: string[] = [];
  out.push('', `FAULT SUITE (seed ${seed})`, '');
  out.push(
    formatTable(
      ['injected', 'count'],
      [
        ...SERVICES.map((name) => [
          `kill -9 + restart: ${name}`,
          String(injected.kills[name] ?? 0),
        ]),
        ['nats-server restarts (same port, same store)', String(injected.natsRestarts)],
        ['redis-server restarts (AOF, same port/dir)', String(injected.redisRestarts)],
        [
          'event relay pauses (SIGUSR2)',
          `${injected.relayPauses} (waiting at resume: ${injected.pendingAtPauseEnd.join(', ')})`,
        ],
      ],
    ),
  );
  out.push('');
  out.push(
    formatTable(
      ['load', 'count'],
      [
        [
          'events added (201) / reposts answered with the same event (200)',
          `${s.eventsAdded} / ${s.eventReposts}`,
        ],
        ['events in the tickets DB', String(state.events.length)],
        ['listings and orders refused: the event had started', String(s.eventStarted)],
        ['orders refused by the hold cap or the re-hold cooldown', String(s.fairHoldRefusals)],
        ['tickets listed', String(s.listings)],
        ['orders placed (201)', String(s.orders)],
        ['orders in the orders DB', String(state.orders.length)],
        [
          '  of which complete / cancelled',
          `${state.orders.filter((o) => o.status === 'complete').length} / ${state.orders.filter((o) => o.status === 'cancelled').length}`,
        ],
        ['races lost (second buyer, 400)', String(s.racesLost)],
        ['payments ok (tok_visa, 201)', String(s.paidOk)],
        ['payments declined (tok_chargeDeclined)', String(s.declined)],
        ['payments refused (hold ended / refunded)', String(s.payRefused)],
        ['holds left to expire', String(s.leftToExpire)],
        ["orders held only until their event's start", String(heldUntilStart(state))],
        ['cancels (DELETE 204)', String(s.cancels)],
        ['refunded charges', String(state.charges.filter((c) => c.stripeRefundId).length)],
        [
          'payouts recorded / paid (due at the event start)',
          `${state.payouts.length} / ${state.payouts.filter((p) => p.status === 'paid').length}`,
        ],
        ['answers refused during an outage (retried)', String(s.refusedDuringOutage)],
        ['requests with unknown outcome', String(s.unknownOutcome)],
        ['steps given up (outage too long)', String(s.gaveUp)],
        ...Object.entries(s.other).map(([k, v]) => [`other: ${k}`, String(v)]),
      ],
    ),
  );
  out.push('');
  out.push(
    formatTable(
      ['invariant', 'checked', 'violations', 'holds?'],
      results.map((r) => [
        r.name,
        String(r.checked),
        String(r.violations.length),
        r.violations.length === 0 ? 'yes' : 'NO',
      ]),
    ),
  );
  if (state.deadLetters.length > 0) {
    out.push('', 'dead letters:');
    for (const l of state.deadLetters) {
      out.push(
        `  #${l.seq} ${l.service} ${l.subject} (${l.deliveries} deliveries, "${l.error}"): ${explainDeadLetter(l, state) ?? 'UNEXPLAINED'}`,
      );
    }
  }
  for (const r of results.filter((x) => x.violations.length > 0)) {
    out.push('', `violations of "${r.name}":`, ...r.violations.slice(0, 20).map((v) => `  ${v}`));
  }
  out.push('', ...(await refundTimings(state, bus.jsm)), '');
  say(out.join('\n'));

  expect(settled).toBe(true);
  expect(state.orders.length).toBeGreaterThan(0);
  expect(results.filter((r) => r.violations.length > 0).map((r) => r.name)).toEqual([]);
}, 600_000);
