import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { get } from 'node:http';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  freePort,
  mongoUri,
  startMongo,
  startNats,
  startRedis,
  type Engine,
} from '@ticketing/common/engines';
import { startGateway, type Gateway } from './gateway';
import {
  DATABASE_SERVICES,
  ENGINE_NAMES,
  SERVICES,
  type LaunchContext,
  type ServiceSpec,
} from './service-table';

export interface StackOptions {
  /** Configuration (GATEWAY_PORT, MONGO_URI, ...) and the base environment of every service. */
  env?: NodeJS.ProcessEnv;
  /** The repository root; by default the one this file lives in. */
  rootDir?: string;
  /** Receives every output line, already prefixed with its process name. Default: stdout. */
  output?: (line: string) => void;
  /** A process that was running exited on its own. It is reported and never restarted. */
  onUnexpectedExit?: (exit: ProcessExit) => void;
  /** Aborting cancels start-up: whatever was started is stopped and `startStack` rejects. */
  signal?: AbortSignal;
  /** How long each service may take to answer its readiness check. */
  readyTimeoutMs?: number;
  /** How long a service may take to stop after SIGTERM before it is killed. */
  stopGraceMs?: number;
}

export interface ProcessExit {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServiceHandle {
  readonly name: string;
  readonly port: number;
  readonly pid: number;
  readonly child: ChildProcess;
}

export interface Stack {
  /** The gateway: every route of the Ingress. */
  url: string;
  /** Service name → port of each running service (what the gateway routes to). */
  ports: ReadonlyMap<string, number>;
  services: ReadonlyMap<string, ServiceHandle>;
  /** Connection URLs of the engines (embedded or given); never printed for given ones. */
  /** `mongo`: each database service's own MongoDB URI (database included), by service name. */
  engines: { mongo: Record<string, string>; nats: string; redis: string };
  /** Name → pid of every process this stack started that is still running. */
  pids(): Map<string, number>;
  /** SIGKILL a service or an engine the stack started, as a crash would; it is not reported. */
  kill(name: string): Promise<void>;
  /** Stops a service (SIGTERM) if it runs and starts it again on the same port. */
  restart(name: string): Promise<void>;
  /**
   * Stops an engine the stack started (`nats` or `redis`) — SIGTERM, or SIGKILL with `how: 'kill'` — and
   * starts it again on the same port with the same data (JetStream store dir; Redis dir with its AOF),
   * as a pod restart with a persistent volume would. Clients reconnect by themselves.
   */
  restartEngine(name: 'nats' | 'redis', how?: 'stop' | 'kill'): Promise<void>;
  /** Sends `signal` to a running service's process (e.g. SIGUSR2: toggle its event relay's pause). */
  signal(name: string, signal: NodeJS.Signals): void;
  /** Gateway, then services (SIGTERM, SIGKILL after the grace period), then engines. */
  stop(): Promise<void>;
}

interface TrackedService extends ServiceHandle {
  spec: ServiceSpec;
  ready: boolean;
  expectedExit: boolean;
  recent: string[];
  exited: Promise<ProcessExit>;
}

interface TrackedEngine {
  name: string;
  engine: Engine;
  expectedExit: boolean;
  /** Starts the engine again on the same port with the same data; only for the ones we can restart. */
  relaunch?: () => Promise<Engine>;
  /** A temporary data dir the first engine would have removed on stop; removed by stop() after a restart. */
  leftoverDir?: string;
  dataDir?: string;
}

const NAME_WIDTH = Math.max(
  ...[...SERVICES.map((spec) => spec.name), ...ENGINE_NAMES, 'gateway', 'stack'].map(
    (n) => n.length,
  ),
);

/** `auth       | line`: one column of names keeps interleaved output readable. */
export function prefixLine(name: string, line: string): string {
  return `${name.padEnd(NAME_WIDTH)} | ${line}`;
}

/**
 * Points a MongoDB URI at another database, keeping hosts, credentials and options, so one external
 * server can hold every service's own database as the cluster does.
 */
export function withDatabase(uri: string, database: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!match) throw new Error('MONGO_URI must look like mongodb://host[:port][/db][?options]');
  return `${match[1]}/${database}${match[2] ?? ''}`;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const env = options.env ?? process.env;
  const rootDir = options.rootDir ?? resolve(__dirname, '..', '..', '..');
  const write = options.output ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const say = (message: string) => write(prefixLine('stack', message));
  const sinkFor = (name: string) => (line: string) => write(prefixLine(name, line));
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const stopGraceMs = options.stopGraceMs ?? 10_000;

  const backends = new Map<string, number>();
  const services = new Map<string, TrackedService>();
  const servicePorts = new Map<string, number>();
  const engines: TrackedEngine[] = [];
  const engineUrls = { mongo: {} as Record<string, string>, nats: '', redis: '' };
  const jwtKey = env.JWT_KEY || randomBytes(32).toString('hex');
  let gateway: Gateway | undefined;
  let stopping = false;
  let stopped: Promise<void> | undefined;

  const reportUnexpectedExit = (exit: ProcessExit) => {
    // Ctrl-C in a terminal reaches the children as well as us: give our own stop a moment to begin,
    // so a shutdown is not reported as a crash.
    setTimeout(() => {
      if (stopping) return;
      say(`!!! ${exit.name} exited unexpectedly (${describeExit(exit)}); it is not restarted`);
      options.onUnexpectedExit?.(exit);
    }, 200);
  };

  const throwIfAborted = () => {
    if (options.signal?.aborted) throw new Error('start-up cancelled');
  };

  // Last resort when our process dies without stop() (an uncaught error, process.exit): no orphans.
  const killEverythingNow = () => {
    for (const service of services.values()) signalGroup(service, 'SIGKILL');
    for (const { engine } of engines) engine.process.child.kill('SIGKILL');
  };
  process.on('exit', killEverythingNow);

  const watchEngine = (tracked: TrackedEngine) => {
    const { name, engine } = tracked;
    engine.process.child.once('exit', (code, signal) => {
      if (!tracked.expectedExit) reportUnexpectedExit({ name, code, signal });
    });
    say(`${name} ready at ${engine.url} (pid ${engine.process.child.pid})`);
  };

  const startEngine = async <E extends Engine>(
    name: string,
    label: string,
    start: () => Promise<E>,
    restartable?: (first: E) => Pick<TrackedEngine, 'relaunch' | 'dataDir'>,
  ) => {
    say(`starting ${label}…`);
    const engine = await start();
    const tracked: TrackedEngine = { name, engine, expectedExit: false, ...restartable?.(engine) };
    engines.push(tracked);
    watchEngine(tracked);
    return engine.url;
  };

  const startEngines = async () => {
    const starts: Array<Promise<void>> = [];
    if (env.MONGO_URI) {
      say('MongoDB: using MONGO_URI (each service gets its own database on that server)');
      for (const name of DATABASE_SERVICES)
        engineUrls.mongo[name] = withDatabase(env.MONGO_URI, name);
    } else {
      // One engine per service, as in the cluster (a StatefulSet each). On jongodb this also matters for
      // speed: a transaction costs time in proportion to every document the engine holds, in any database.
      for (const name of DATABASE_SERVICES) {
        const engineName = `mongo-${name}`;
        const start = () => startMongo(sinkFor(engineName));
        starts.push(
          startEngine(
            engineName,
            `MongoDB for ${name} (embedded jongodb, replica set rs0)`,
            start,
          ).then((url) => {
            engineUrls.mongo[name] = mongoUri(url, name);
          }),
        );
      }
    }
    if (env.NATS_URL) {
      say('NATS: using NATS_URL');
      engineUrls.nats = env.NATS_URL;
    } else {
      const start = () => startNats(sinkFor('nats'));
      const restartable = (first: Awaited<ReturnType<typeof startNats>>) => ({
        dataDir: first.storeDir,
        relaunch: () =>
          startNats(sinkFor('nats'), {
            storeDir: first.storeDir,
            port: Number(new URL(first.url).port),
          }),
      });
      starts.push(
        startEngine('nats', 'NATS JetStream', start, restartable).then((url) => {
          engineUrls.nats = url;
        }),
      );
    }
    if (env.REDIS_URL) {
      say('Redis: using REDIS_URL');
      engineUrls.redis = env.REDIS_URL;
    } else {
      const start = () => startRedis(sinkFor('redis'), { appendOnly: true });
      const restartable = (first: Awaited<ReturnType<typeof startRedis>>) => ({
        dataDir: first.dir,
        relaunch: () =>
          startRedis(sinkFor('redis'), { appendOnly: true, dir: first.dir, port: first.port }),
      });
      starts.push(
        startEngine('redis', 'Redis', start, restartable).then((url) => {
          engineUrls.redis = url;
        }),
      );
    }
    // Wait for all, so a failed one never leaves a half-started sibling untracked.
    const failure = (await Promise.allSettled(starts)).find((r) => r.status === 'rejected');
    if (failure) throw failure.reason;
  };

  const launchService = async (spec: ServiceSpec, fixedPort?: number) => {
    const dir = join(rootDir, spec.name);
    const port = fixedPort ?? (await freePort());
    throwIfAborted();
    servicePorts.set(spec.name, port);
    const ctx: LaunchContext = { dir, port, gatewayUrl: gateway?.url ?? '' };
    const { command, args } = spec.command(ctx);
    say(`starting ${spec.name}…`);
    const child = spawn(command, args, {
      cwd: dir,
      env: {
        // Everything else passes through, so a service's own settings (ORDER_EXPIRATION_SECONDS,
        // STRIPE_KEY, SIGNIN_MAX_FAILURES, ...) can be set from the shell.
        ...env,
        PORT: String(port),
        ...(spec.database ? { MONGO_URI: engineUrls.mongo[spec.name]! } : {}),
        NATS_URL: engineUrls.nats,
        REDIS_URL: engineUrls.redis,
        JWT_KEY: jwtKey,
        NODE_ENV: env.NODE_ENV || 'development',
        LOG_LEVEL: env.LOG_LEVEL || 'info',
        ...spec.extraEnv?.(ctx),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a terminal's Ctrl-C reaches only us, so services stop in order
      // (before the engines they drain into), and a service's own children go down with it.
      detached: true,
    });
    const recent: string[] = [];
    const onLine = (line: string) => {
      recent.push(line);
      if (recent.length > 30) recent.shift();
      write(prefixLine(spec.name, line));
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    const exited = new Promise<ProcessExit>((settle) => {
      child.once('exit', (code, signal) => settle({ name: spec.name, code, signal }));
      child.once('error', (err) => {
        onLine(`could not start: ${err.message}`);
        settle({ name: spec.name, code: null, signal: null });
      });
    });
    const service: TrackedService = {
      name: spec.name,
      port,
      pid: child.pid ?? -1,
      child,
      spec,
      ready: false,
      expectedExit: false,
      recent,
      exited,
    };
    services.set(spec.name, service);
    void exited.then((exit) => {
      if (services.get(spec.name) !== service) return;
      services.delete(spec.name);
      backends.delete(spec.name);
      if (service.ready && !service.expectedExit) reportUnexpectedExit(exit);
    });

    await waitUntilReady(service);
    service.ready = true;
    backends.set(spec.name, port);
    say(`${spec.name} ready on :${port} (pid ${service.pid})`);
  };

  const waitUntilReady = async (service: TrackedService) => {
    let exit: ProcessExit | undefined;
    void service.exited.then((e) => (exit = e));
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      if (exit) {
        const lines = service.recent.slice(-15).join('\n');
        throw new Error(
          `${service.name} exited (${describeExit(exit)}) before it was ready:\n${lines}`,
        );
      }
      if (options.signal?.aborted) throw new Error('start-up cancelled');
      if (await answers200(service.port, service.spec.readinessPath)) return;
      if (Date.now() > deadline) {
        throw new Error(
          `${service.name} did not answer 200 on :${service.port}${service.spec.readinessPath} within ${readyTimeoutMs / 1000} s`,
        );
      }
      await sleep(100);
    }
  };

  const stopService = async (service: TrackedService) => {
    if (service.child.exitCode !== null || service.child.signalCode !== null) return;
    service.expectedExit = true;
    backends.delete(service.name);
    signalGroup(service, 'SIGTERM');
    const timer = setTimeout(() => {
      say(`${service.name} did not stop within ${stopGraceMs / 1000} s; killing it`);
      signalGroup(service, 'SIGKILL');
    }, stopGraceMs);
    await service.exited;
    clearTimeout(timer);
  };

  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      stopping = true;
      say('stopping…');
      await gateway?.close().catch((err: Error) => say(`gateway: ${err.message}`));
      await Promise.all([...services.values()].map(stopService));
      for (const tracked of engines) tracked.expectedExit = true;
      const results = await Promise.allSettled(engines.map(({ engine }) => engine.stop()));
      for (const result of results) {
        if (result.status === 'rejected') say(`while stopping an engine: ${String(result.reason)}`);
      }
      for (const { leftoverDir } of engines) {
        if (leftoverDir) await rm(leftoverDir, { recursive: true, force: true }).catch(() => {});
      }
      process.off('exit', killEverythingNow);
      say('stopped');
    })();
    return stopped;
  };

  const kill = async (name: string) => {
    const service = services.get(name);
    if (service) {
      service.expectedExit = true;
      backends.delete(name);
      signalGroup(service, 'SIGKILL');
      await service.exited;
      say(`${name} killed (SIGKILL)`);
      return;
    }
    const tracked = engines.find((e) => e.name === name);
    if (tracked && tracked.engine.process.child.exitCode === null) {
      tracked.expectedExit = true;
      await tracked.engine.process.kill();
      say(`${name} killed (SIGKILL)`);
      return;
    }
    throw new Error(`${name} is not a running part of this stack`);
  };

  const restart = async (name: string) => {
    const spec = SERVICES.find((s) => s.name === name);
    const port = servicePorts.get(name);
    if (!spec || port === undefined) throw new Error(`${name} is not a service of this stack`);
    if (stopping) throw new Error('the stack is stopping');
    const running = services.get(name);
    if (running) await stopService(running);
    await launchService(spec, port);
  };

  const restartEngine = async (name: 'nats' | 'redis', how: 'stop' | 'kill' = 'stop') => {
    const tracked = engines.find((e) => e.name === name);
    if (!tracked?.relaunch) throw new Error(`${name} is not an engine this stack started`);
    if (stopping) throw new Error('the stack is stopping');
    tracked.expectedExit = true;
    const old = tracked.engine.process;
    if (how === 'kill') await old.kill();
    else await old.stop();
    say(`${name} ${how === 'kill' ? 'killed (SIGKILL)' : 'stopped'}; starting it again`);
    // The relaunched engine was given its dir, so its stop() keeps it: the first one would have removed it.
    tracked.leftoverDir = tracked.dataDir;
    tracked.engine = await tracked.relaunch();
    tracked.expectedExit = false;
    watchEngine(tracked);
  };

  const signalService = (name: string, signal: NodeJS.Signals) => {
    const service = services.get(name);
    if (!service || service.child.exitCode !== null || service.child.signalCode !== null)
      throw new Error(`${name} is not a running service of this stack`);
    service.child.kill(signal);
    say(`${name}: sent ${signal}`);
  };

  try {
    const gatewayPort = parsePort(env.GATEWAY_PORT ?? '3000');
    // The gateway comes first: a busy port fails fast, and the client can be told the gateway URL.
    gateway = await startGateway({
      ingressFile: join(rootDir, 'infra', 'k8s', 'ingress.yaml'),
      backends,
      port: gatewayPort,
      log: sinkFor('gateway'),
    }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        throw new Error(`port ${gatewayPort} is in use: stop what uses it or set GATEWAY_PORT`);
      }
      throw err;
    });
    throwIfAborted();
    if (!env.JWT_KEY) say('JWT_KEY not set: using a random key for this run');
    await startEngines();
    throwIfAborted();

    const available = SERVICES.filter((spec) =>
      existsSync(join(rootDir, spec.name, spec.builtFile)),
    );
    for (const spec of SERVICES) {
      if (available.includes(spec)) continue;
      const why = existsSync(join(rootDir, spec.name))
        ? `not built (no ${spec.name}/${spec.builtFile}; run npm run build)`
        : 'not in this checkout';
      say(`${spec.name}: ${why}; skipped`);
    }
    const launches = await Promise.allSettled(available.map((spec) => launchService(spec)));
    const failure = launches.find((r) => r.status === 'rejected');
    if (failure) throw failure.reason;
    say(`ready: ${gateway.url}`);
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    url: gateway.url,
    ports: backends,
    services,
    engines: engineUrls,
    pids: () => {
      const pids = new Map<string, number>();
      for (const { name, engine } of engines) {
        const { child } = engine.process;
        if (child.pid && child.exitCode === null && child.signalCode === null)
          pids.set(name, child.pid);
      }
      for (const service of services.values()) pids.set(service.name, service.pid);
      return pids;
    },
    kill,
    restart,
    restartEngine,
    signal: signalService,
    stop,
  };
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`GATEWAY_PORT must be a port number (0 picks a free one), not "${value}"`);
  }
  return port;
}

function describeExit(exit: ProcessExit): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

/** Signals a service's whole process group while its leader still runs (so the group id is ours). */
function signalGroup(service: ServiceHandle, signal: NodeJS.Signals) {
  if (service.pid <= 0 || service.child.exitCode !== null || service.child.signalCode !== null)
    return;
  try {
    process.kill(-service.pid, signal);
  } catch {
    service.child.kill(signal);
  }
}

function answers200(port: number, path: string): Promise<boolean> {
  return new Promise((settle) => {
    const req = get({ host: '127.0.0.1', port, path, agent: false, timeout: 1_000 }, (res) => {
      res.resume();
      settle(res.statusCode === 200);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => settle(false));
  });
}
