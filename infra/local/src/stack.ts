/**
 * `startStack`: the whole platform on one machine — the gateway (the Ingress's routes), the engines
 * (stack-engines.ts) and every built service (stack-services.ts) — and the levers the tests pull on it:
 * kill, restart, restart an engine, signal, stop. Used by `npm start` (cli.ts), the whole-backend and
 * security tests, the fault suite and the bench.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startGateway, type Gateway } from './gateway';
import { ENGINE_NAMES, SERVICES } from './service-table';
import { StackEngines } from './stack-engines';
import { StackServices, describeExit } from './stack-services';

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

const NAME_WIDTH = Math.max(
  ...[...SERVICES.map((spec) => spec.name), ...ENGINE_NAMES, 'gateway', 'stack'].map(
    (n) => n.length,
  ),
);

/** `auth       | line`: one column of names keeps interleaved output readable. */
export function prefixLine(name: string, line: string): string {
  return `${name.padEnd(NAME_WIDTH)} | ${line}`;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const env = options.env ?? process.env;
  const rootDir = options.rootDir ?? resolve(__dirname, '..', '..', '..');
  const write = options.output ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const say = (message: string) => write(prefixLine('stack', message));
  const sinkFor = (name: string) => (line: string) => write(prefixLine(name, line));
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

  const context = {
    env,
    say,
    sinkFor,
    onUnexpectedExit: reportUnexpectedExit,
    stopping: () => stopping,
  };
  const engines = new StackEngines(context);
  const services = new StackServices(
    {
      ...context,
      rootDir,
      engineUrls: engines.urls,
      jwtKey: env.JWT_KEY || randomBytes(32).toString('hex'),
      gatewayUrl: () => gateway?.url ?? '',
      readyTimeoutMs: options.readyTimeoutMs ?? 60_000,
      stopGraceMs: options.stopGraceMs ?? 10_000,
      signal: options.signal,
    },
    new Map(),
  );

  // Last resort when our process dies without stop() (an uncaught error, process.exit): no orphans.
  const killEverythingNow = () => {
    services.killNow();
    engines.killNow();
  };
  process.on('exit', killEverythingNow);

  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      stopping = true;
      say('stopping…');
      await gateway?.close().catch((err: Error) => say(`gateway: ${err.message}`));
      await services.stopAll();
      await engines.stop();
      process.off('exit', killEverythingNow);
      say('stopped');
    })();
    return stopped;
  };

  const kill = async (name: string) => {
    if (!(await services.kill(name)) && !(await engines.kill(name)))
      throw new Error(`${name} is not a running part of this stack`);
  };

  try {
    const gatewayPort = parsePort(env.GATEWAY_PORT ?? '3000');
    // The gateway comes first: a busy port fails fast, and the client can be told the gateway URL.
    gateway = await startGateway({
      ingressFile: join(rootDir, 'infra', 'k8s', 'ingress.yaml'),
      backends: services.backends,
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
    await engines.start();
    throwIfAborted();
    await launchBuilt(rootDir, services, say);
    say(`ready: ${gateway.url}`);
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    url: gateway.url,
    ports: services.backends,
    services: services.running,
    engines: engines.urls,
    pids: () => {
      const pids = new Map<string, number>();
      engines.addPids(pids);
      services.addPids(pids);
      return pids;
    },
    kill,
    restart: (name) => services.restart(name),
    restartEngine: (name, how = 'stop') => engines.restart(name, how),
    signal: (name, signal) => services.signal(name, signal),
    stop,
  };
}

/** Launches every service that is built, all at once; says why each of the others is skipped. */
async function launchBuilt(
  rootDir: string,
  services: StackServices,
  say: (message: string) => void,
): Promise<void> {
  const available = SERVICES.filter((spec) => existsSync(join(rootDir, spec.name, spec.builtFile)));
  for (const spec of SERVICES) {
    if (available.includes(spec)) continue;
    const why = existsSync(join(rootDir, spec.name))
      ? `not built (no ${spec.name}/${spec.builtFile}; run npm run build)`
      : 'not in this checkout';
    say(`${spec.name}: ${why}; skipped`);
  }
  const launches = await Promise.allSettled(available.map((spec) => services.launch(spec)));
  const failure = launches.find((r) => r.status === 'rejected');
  if (failure) throw failure.reason;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`GATEWAY_PORT must be a port number (0 picks a free one), not "${value}"`);
  }
  return port;
}
