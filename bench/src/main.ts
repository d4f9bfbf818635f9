/**
 * npm run bench: starts the local stack, measures it in one pass and writes bench/results.md.
 * bench/README.md lists the phases; results.md explains how each figure is measured.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mongoUri, startMongo, systemCommand } from '@ticketing/common/engines';
import { serviceDatabases, withDatabase } from '@ticketing/local';
import { Client, log } from './lib';
import {
  cannon,
  endToEnd,
  engineScaling,
  expiry,
  expiryFired,
  listTickets,
  probeEngine,
  propagation,
  purchaseRace,
  signUp,
  type Env,
} from './phases';
import {
  renderPartialReport,
  renderReport,
  type Machine,
  type PartialTargetResults,
  type TargetResults,
} from './report';
import type { StackFailed, StackReady } from './stack-child';
import { writePath } from './write-path';

const ROOT = resolve(__dirname, '..', '..');
const WINDOW_SECONDS = 30;
const CONNECTIONS = 50;
const READ_SECONDS = 10;
const SIGNIN_SECONDS = 10;
/** Below auth's SIGNIN_MAX_FAILURES (10): in-flight sign-ins count against it until they succeed. */
const SIGNIN_CONNECTIONS = 8;
const LISTED = 100;
const PROPAGATION_EVENTS = 1_000;
const PROPAGATION_LANES = 2;
const RACE_ROUNDS = 2;
const RACE_BUYERS = 200;
const RACE_TICKETS = 50;
const E2E_PURCHASES = 50;
const EXPIRY_ORDERS = 200;
const SCALING_SIZES = [0, 100, 300, 1_000, 3_000];
const SCALING_SAMPLES = 10;
const WRITE_BATCH = 500;
const WRITE_BATCHES = 2;

/** `BENCH_PHASES` (comma-separated) runs only these; a partial run writes results.partial.md. */
const PHASES = ['scaling', 'main', 'write', 'expiry', 'events'] as const;
type Phase = (typeof PHASES)[number];

function selectedPhases(): Set<Phase> {
  const asked = (process.env.BENCH_PHASES ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (asked.length === 0) return new Set(PHASES);
  const unknown = asked.filter((p) => !(PHASES as readonly string[]).includes(p));
  if (unknown.length)
    throw new Error(`BENCH_PHASES: unknown ${unknown.join(', ')} (known: ${PHASES.join(', ')})`);
  return new Set(asked as Phase[]);
}

function version(command: string, args: string[], pattern: RegExp): string {
  try {
    const out = execFileSync(command, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return pattern.exec(out)?.[1] ?? out.trim();
  } catch {
    return 'not found';
  }
}

function packageVersion(name: string, from: string): string {
  try {
    const file = require.resolve(`${name}/package.json`, { paths: [join(ROOT, from)] });
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'not found';
  }
}

function machine(): Machine {
  const cpuList = cpus();
  return {
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    ramGiB: totalmem() / 2 ** 30,
    loadStart: loadavg(),
    loadEnd: [],
    date: new Date().toISOString(),
    versions: {
      node: process.version,
      npm: version('npm', ['--version'], /(\S+)/),
      'nats-server': version(systemCommand('nats-server'), ['--version'], /v?(\d+\.\d+\.\d+)/),
      'redis-server': version(systemCommand('redis-server'), ['--version'], /v=(\S+)/),
      jongodb: packageVersion('@jongodb/memory-server-bin-linux-x64-gnu', 'infra/local'),
      mongoose: packageVersion('mongoose', 'common'),
      express: packageVersion('express', 'common'),
      bullmq: packageVersion('bullmq', 'expiration'),
      autocannon: packageVersion('autocannon', 'bench'),
    },
  };
}

function startChild<T extends { type: string }>(
  script: string,
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; ready: T }> {
  const child = fork(join(__dirname, script), [], {
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((settle, reject) => {
    child.once('message', (message: T | StackFailed) => {
      if (message.type === 'failed') reject(new Error((message as StackFailed).message));
      else settle({ child, ready: message as T });
    });
    child.once('exit', (code) =>
      reject(new Error(`${script} exited with ${code} before it was ready`)),
    );
  });
}

function stopChild(child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((settle) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      settle();
    });
    if (child.connected) child.send('stop');
    else child.kill('SIGTERM');
  });
}

interface StackRun {
  env: Env;
  engines: StackReady['engines'];
}

/** Starts a stack in a child process, runs `work` against it, and always stops it. */
async function withStack<T>(
  label: string,
  externalMongo: string | undefined,
  workDir: string,
  work: (run: StackRun) => Promise<T>,
): Promise<T> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GATEWAY_PORT: '0',
    ORDER_EXPIRATION_SECONDS: String(WINDOW_SECONDS),
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    BENCH_STACK_LOG: join(workDir, `stack-${label.replace(/\W+/g, '-')}.log`),
  };
  for (const name of ['MONGO_URI', 'NATS_URL', 'REDIS_URL', 'JWT_KEY', 'STRIPE_KEY'])
    delete env[name];
  if (externalMongo) env.MONGO_URI = externalMongo;
  log(`[${label}] starting a stack (log: ${env.BENCH_STACK_LOG})`);
  const stackStart = performance.now();
  const { child, ready } = await startChild<StackReady>('stack-child.js', env);
  log(
    `[${label}] stack ready at ${ready.url} in ${((performance.now() - stackStart) / 1000).toFixed(1)} s`,
  );
  // Each service's own database (on its own engine, or on MONGO_URI's server); the probe's database
  // lives beside the orders one.
  const databases = serviceDatabases(
    (service) => ready.engines.mongo[service] ?? withDatabase(ready.engines.mongo.orders!, service),
    { maxPoolSize: 20 },
  );
  try {
    const pids = new Map<string, number>(Object.entries(ready.pids));
    pids.set('gateway (stack host process)', child.pid ?? -1);
    pids.set('bench (load generator)', process.pid);
    const benchEnv: Env = {
      url: ready.url,
      ports: ready.ports,
      pids,
      db: databases.db,
    };
    // Open every connection before use: mongoose buffers calls on a connection that is not open yet,
    // and a buffered driver call returns no cursor.
    for (const service of ['auth', 'tickets', 'orders', 'payments', 'bench_probe'])
      await benchEnv.db(service).asPromise();
    return await work({ env: benchEnv, engines: ready.engines });
  } finally {
    await databases.close();
    log(`[${label}] stopping the stack`);
    await stopChild(child);
  }
}

async function countDocs(env: Env): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [service, coll] of [
    ['tickets', 'tickets'],
    ['orders', 'orders'],
    ['orders', 'tickets'],
    ['payments', 'charges'],
  ] as const) {
    // A filter that is not empty: the embedded engine rejects countDocuments' `$match: {}` stage.
    counts[`${service}.${coll}`] = await env
      .db(service)
      .collection(coll)
      .countDocuments({ _id: { $exists: true } })
      .catch(() => -1);
  }
  return counts;
}

async function runTarget(
  label: string,
  externalMongo: string | undefined,
  work: string,
  phases: ReadonlySet<Phase>,
): Promise<PartialTargetResults> {
  // First, on an engine of its own with nothing else running: how a transaction's cost follows the
  // size of the collection it writes.
  const scaling = phases.has('scaling') ? await scalingPhase(label, externalMongo) : undefined;
  const main = phases.has('main') ? await mainStack(label, externalMongo, work) : undefined;

  // The write path on a fresh stack of its own: its first batch needs an empty tickets collection, and
  // its 1,000 listings would slow every later write of the main stack (see "Engine").
  const write = !phases.has('write')
    ? undefined
    : await withStack(`${label}-write`, externalMongo, work, async ({ env }) => {
        const [seller] = await signUp(env, 1);
        log(
          `[${label}] write path: ${WRITE_BATCHES} × ${WRITE_BATCH} POST /api/tickets at ${CONNECTIONS} connections`,
        );
        return writePath(
          env,
          seller!,
          { start: startChild, stop: (child) => stopChild(child) },
          CONNECTIONS,
          WRITE_BATCH,
          WRITE_BATCHES,
        );
      });

  // Expiry on a fresh stack of its own, for the same reason as the event propagation below.
  const exp = !phases.has('expiry')
    ? undefined
    : await withStack(`${label}-expiry`, externalMongo, work, async ({ env, engines }) => {
        const sellers = await signUp(env, 2);
        const buyers = await signUp(env, 20);
        log(`[${label}] expiry: ${EXPIRY_ORDERS} orders with a ${WINDOW_SECONDS} s window`);
        const result = await expiry(env, sellers, buyers, EXPIRY_ORDERS, WINDOW_SECONDS);
        log(
          `[${label}] expiry lateness p50 ${result.cancelledLate.p50.toFixed(0)} ms, p99 ${result.cancelledLate.p99.toFixed(0)} ms`,
        );
        const fired = await expiryFired(env, engines.nats);
        log(`[${label}] order.expired published p50 ${fired.p50.toFixed(0)} ms after expiresAt`);
        return { ...result, fired, counts: await countDocs(env) };
      });

  // Event propagation on a fresh stack: the embedded engine slows down as collections grow, so the
  // 1,000 listings are measured from an empty database rather than after everything above.
  const prop = !phases.has('events')
    ? undefined
    : await withStack(`${label}-events`, externalMongo, work, async ({ env, engines }) => {
        const sellers = await signUp(env, PROPAGATION_LANES);
        log(`[${label}] event propagation over ${PROPAGATION_EVENTS} ticket.created events`);
        const result = await propagation(
          env,
          engines.nats,
          sellers,
          PROPAGATION_EVENTS,
          PROPAGATION_LANES,
        );
        log(
          `[${label}] propagation p50 ${result.fromCommit.p50.toFixed(1)} ms, p99 ${result.fromCommit.p99.toFixed(1)} ms`,
        );
        return { ...result, counts: await countDocs(env) };
      });

  return {
    label,
    mongo: externalMongo ? 'MONGO_URI (external mongod)' : 'embedded jongodb',
    windowSeconds: WINDOW_SECONDS,
    scaling,
    ...main,
    write,
    expiry: exp,
    propagation: prop,
  };
}

async function scalingPhase(
  label: string,
  externalMongo: string | undefined,
): Promise<TargetResults['scaling']> {
  log(`[${label}] engine scaling: one-document transactions as a collection grows`);
  const scratch = externalMongo ? undefined : await startMongo();
  let scaling: TargetResults['scaling'];
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

function mainStack(label: string, externalMongo: string | undefined, work: string) {
  return withStack(`${label}-main`, externalMongo, work, async ({ env: benchEnv }) => {
    const { pids } = benchEnv;
    log(`[${label}] engine probe: plain read vs single transaction`);
    const probeStart = await probeEngine(benchEnv);

    log(`[${label}] signing up users`);
    const sellers = await signUp(benchEnv, 4);
    const buyers = await signUp(benchEnv, RACE_BUYERS);

    // Read path ------------------------------------------------------------------------------
    log(`[${label}] read path: listing ${LISTED} tickets`);
    // One seller lists them all, so that seller's own listing (`/mine`, never cached) is the same 100.
    const lister = sellers[0]!;
    await listTickets([lister], LISTED);
    const listPath = `/api/tickets?limit=${LISTED}`;
    const listed = await new Client(benchEnv.url).get<unknown[]>(listPath);
    if (listed.status !== 200 || listed.body.length !== LISTED)
      throw new Error(`GET ${listPath} gave ${listed.status} with ${listed.body.length} tickets`);
    const payloadFile = join(work, 'payload.json');
    writeFileSync(payloadFile, JSON.stringify(listed.body));
    const base = await startChild<{ type: 'ready'; port: number }>('baseline-child.js', {
      ...process.env,
      BENCH_PAYLOAD_FILE: payloadFile,
    });
    pids.set('plain Express baseline', base.child.pid ?? -1);
    let read: TargetResults['read'];
    try {
      read = {
        baseline: await cannon(benchEnv, 'plain Express JSON route', {
          url: `http://127.0.0.1:${base.ready.port}${listPath}`,
          connections: CONNECTIONS,
          duration: READ_SECONDS,
        }),
        gateway: await cannon(benchEnv, 'GET /api/tickets through the gateway', {
          url: `${benchEnv.url}${listPath}`,
          connections: CONNECTIONS,
          duration: READ_SECONDS,
        }),
        direct: await cannon(benchEnv, 'GET /api/tickets direct to tickets', {
          url: `http://127.0.0.1:${benchEnv.ports.tickets}${listPath}`,
          connections: CONNECTIONS,
          duration: READ_SECONDS,
        }),
        uncached: await cannon(
          benchEnv,
          'GET /api/tickets/mine (never cached) through the gateway',
          {
            url: `${benchEnv.url}/api/tickets/mine?limit=${LISTED}`,
            headers: { cookie: lister.cookie },
            connections: CONNECTIONS,
            duration: READ_SECONDS,
          },
        ),
      };
    } finally {
      await stopChild(base.child);
      pids.delete('plain Express baseline');
    }
    for (const r of Object.values(read))
      log(
        `[${label}] ${r.label}: ${r.reqPerSec.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`,
      );

    // Sign-in ----------------------------------------------------------------------------------
    log(`[${label}] sign-in`);
    const signinUser = buyers[0] as Client & { email: string };
    const signin = await cannon(
      benchEnv,
      'POST /api/users/signin',
      {
        url: `${benchEnv.url}/api/users/signin`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: signinUser.email, password: 'correct horse battery' }),
        connections: SIGNIN_CONNECTIONS,
        duration: SIGNIN_SECONDS,
      },
      // No warm-up run: its end aborts the sign-ins in flight, and the limiter keeps those counted.
      0,
    );
    log(`[${label}] sign-in: ${signin.reqPerSec.toFixed(0)} req/s, non-2xx ${signin.non2xx}`);

    // Purchase race ----------------------------------------------------------------------------
    log(
      `[${label}] purchase race: ${RACE_ROUNDS} rounds of ${RACE_BUYERS} buyers for ${RACE_TICKETS} tickets`,
    );
    const race = await purchaseRace(benchEnv, sellers, buyers, RACE_ROUNDS, RACE_TICKETS);
    log(
      `[${label}] race: ${race.requestsPerSec.toFixed(0)} order requests/s, p99 ${race.latency.p99.toFixed(0)} ms, double sales ${race.doubleLive + race.doubleComplete + race.ticketMismatch}`,
    );

    // End-to-end --------------------------------------------------------------------------------
    log(`[${label}] end-to-end purchases: ${E2E_PURCHASES}`);
    const e2e = await endToEnd(benchEnv, sellers, buyers, E2E_PURCHASES);
    log(
      `[${label}] end-to-end p50 ${e2e.complete.p50.toFixed(0)} ms, p99 ${e2e.complete.p99.toFixed(0)} ms`,
    );

    log(`[${label}] engine probe again (collections have grown)`);
    const probeEnd = await probeEngine(benchEnv);
    const counts = await countDocs(benchEnv);
    return { probeStart, probeEnd, read, signin, race, e2e, counts };
  });
}

async function main(): Promise<void> {
  const started = performance.now();
  const phases = selectedPhases();
  const partial = phases.size < PHASES.length;
  if (partial) log(`BENCH_PHASES: only ${[...phases].join(', ')}`);
  const info = machine();
  log(`load average at start: ${info.loadStart.map((l) => l.toFixed(2)).join(' ')}`);
  const work = mkdtempSync(join(tmpdir(), 'ticketing-bench-'));
  const targets: PartialTargetResults[] = [];
  try {
    targets.push(await runTarget('embedded', undefined, work, phases));
    const external = process.env.MONGO_URI;
    if (external) targets.push(await runTarget('mongo-uri', external, work, phases));
    else log('MONGO_URI is not set: no real mongod to compare with');
  } catch (err) {
    log(`failed: ${(err as Error).stack ?? String(err)}`);
    log(`stack logs kept in ${work}`);
    process.exitCode = 1;
    return;
  }
  info.loadEnd = loadavg();
  const seconds = (performance.now() - started) / 1000;
  const hadMongoUri = Boolean(process.env.MONGO_URI);
  // A partial run never replaces results.md (the full report).
  const file = join(ROOT, 'bench', partial ? 'results.partial.md' : 'results.md');
  writeFileSync(
    file,
    partial
      ? renderPartialReport(info, targets, seconds, hadMongoUri, [...phases])
      : renderReport(info, targets as TargetResults[], seconds, hadMongoUri),
  );
  rmSync(work, { recursive: true, force: true });
  log(
    `wrote ${file} in ${seconds.toFixed(0)} s; load average at end: ${info.loadEnd.map((l) => l.toFixed(2)).join(' ')}`,
  );
}

void main();
