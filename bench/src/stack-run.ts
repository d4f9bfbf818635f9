/**
 * The processes the bench starts beside itself: a stack in a child process (`stack-child.ts`) for the
 * length of one phase group, and the baselines' children. `Env` is what every phase measures through: the
 * gateway's URL, the services' ports, the pids whose CPU is sampled, and each service's database.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type mongoose from 'mongoose';
import { serviceDatabases, withDatabase } from '@ticketing/local';
import { log } from './lib';
import { WINDOW_SECONDS } from './settings';
import type { StackFailed, StackReady } from './stack-child';

export interface Env {
  url: string;
  ports: Record<string, number>;
  /** Name → pid of every process whose CPU is sampled (stack parts, gateway host, baseline, bench). */
  pids: Map<string, number>;
  db(service: string): mongoose.Connection;
}

export interface StackRun {
  env: Env;
  engines: StackReady['engines'];
}

/** Forks one of the bench's child scripts and waits for its first message: ready, or failed. */
export function startChild<T extends { type: string }>(
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

export function stopChild(child: ChildProcess, timeoutMs = 30_000): Promise<void> {
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

/** Starts a stack in a child process, runs `work` against it, and always stops it. */
export async function withStack<T>(
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

/** Documents per collection that the phases fill, for the report. */
export async function countDocs(env: Env): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [service, coll] of [
    ['tickets', 'events'],
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
