/**
 * The services of a local stack, each a child process in its own process group on a port of its own:
 * launched with the engines' URLs, taken into the gateway's routing once they answer their readiness
 * check, stopped (SIGTERM, then SIGKILL after a grace period), killed as a crash, restarted on the same port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '@ticketing/common/engines';
import { SERVICES, type LaunchContext, type ServiceSpec } from './service-table';
import type { ProcessExit, ServiceHandle } from './stack';
import type { StackEngines } from './stack-engines';

interface TrackedService extends ServiceHandle {
  spec: ServiceSpec;
  ready: boolean;
  expectedExit: boolean;
  recent: string[];
  exited: Promise<ProcessExit>;
}

export interface ServiceContext {
  env: NodeJS.ProcessEnv;
  rootDir: string;
  say(message: string): void;
  /** Where a service's output lines go. */
  sinkFor(name: string): (line: string) => void;
  engineUrls: StackEngines['urls'];
  jwtKey: string;
  gatewayUrl(): string;
  readyTimeoutMs: number;
  stopGraceMs: number;
  /** Aborting cancels a launch. */
  signal?: AbortSignal;
  /** A service that was ready exited without being asked to. */
  onUnexpectedExit(exit: ProcessExit): void;
  stopping(): boolean;
}

export class StackServices {
  /** The services that run (or are starting), by name. */
  readonly running = new Map<string, TrackedService>();
  /** Each service's port, kept across restarts. */
  private readonly ports = new Map<string, number>();

  /** `backends`: service name → port of each ready service: what the gateway routes to. */
  constructor(
    private readonly ctx: ServiceContext,
    readonly backends: Map<string, number>,
  ) {}

  async launch(spec: ServiceSpec, fixedPort?: number): Promise<void> {
    const { ctx } = this;
    const dir = join(ctx.rootDir, spec.name);
    const port = fixedPort ?? (await freePort());
    if (ctx.signal?.aborted) throw new Error('start-up cancelled');
    this.ports.set(spec.name, port);
    const launch: LaunchContext = { dir, port, gatewayUrl: ctx.gatewayUrl() };
    const { command, args } = spec.command(launch);
    ctx.say(`starting ${spec.name}…`);
    const child = spawn(command, args, {
      cwd: dir,
      env: {
        // Everything else passes through, so a service's own settings (ORDER_EXPIRATION_SECONDS,
        // STRIPE_KEY, SIGNIN_MAX_FAILURES_PER_EMAIL, ...) can be set from the shell.
        ...ctx.env,
        PORT: String(port),
        ...(spec.database ? { MONGO_URI: ctx.engineUrls.mongo[spec.name]! } : {}),
        NATS_URL: ctx.engineUrls.nats,
        REDIS_URL: ctx.engineUrls.redis,
        JWT_KEY: ctx.jwtKey,
        NODE_ENV: ctx.env.NODE_ENV || 'development',
        LOG_LEVEL: ctx.env.LOG_LEVEL || 'info',
        ...spec.extraEnv?.(launch),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a terminal's Ctrl-C reaches only us, so services stop in order
      // (before the engines they drain into), and a service's own children go down with it.
      detached: true,
    });
    const service = this.track(spec, port, child);
    await this.waitUntilReady(service);
    service.ready = true;
    this.backends.set(spec.name, port);
    ctx.say(`${spec.name} ready on :${port} (pid ${service.pid})`);
  }

  private async stop(service: TrackedService): Promise<void> {
    if (service.child.exitCode !== null || service.child.signalCode !== null) return;
    service.expectedExit = true;
    this.backends.delete(service.name);
    signalGroup(service, 'SIGTERM');
    const timer = setTimeout(() => {
      this.ctx.say(
        `${service.name} did not stop within ${this.ctx.stopGraceMs / 1000} s; killing it`,
      );
      signalGroup(service, 'SIGKILL');
    }, this.ctx.stopGraceMs);
    await service.exited;
    clearTimeout(timer);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running.values()].map((service) => this.stop(service)));
  }

  /** SIGKILLs a service as a crash would (not reported); false when no service of that name runs. */
  async kill(name: string): Promise<boolean> {
    const service = this.running.get(name);
    if (!service) return false;
    service.expectedExit = true;
    this.backends.delete(name);
    signalGroup(service, 'SIGKILL');
    await service.exited;
    this.ctx.say(`${name} killed (SIGKILL)`);
    return true;
  }

  async restart(name: string): Promise<void> {
    const spec = SERVICES.find((s) => s.name === name);
    const port = this.ports.get(name);
    if (!spec || port === undefined) throw new Error(`${name} is not a service of this stack`);
    if (this.ctx.stopping()) throw new Error('the stack is stopping');
    const running = this.running.get(name);
    if (running) await this.stop(running);
    await this.launch(spec, port);
  }

  signal(name: string, signal: NodeJS.Signals): void {
    const service = this.running.get(name);
    if (!service || service.child.exitCode !== null || service.child.signalCode !== null)
      throw new Error(`${name} is not a running service of this stack`);
    service.child.kill(signal);
    this.ctx.say(`${name}: sent ${signal}`);
  }

  /** Last resort when our process dies without stop(): no orphans. */
  killNow(): void {
    for (const service of this.running.values()) signalGroup(service, 'SIGKILL');
  }

  addPids(pids: Map<string, number>): void {
    for (const service of this.running.values()) pids.set(service.name, service.pid);
  }

  /** Keeps its last lines (for a failed start), reports its exit, and forgets it once it is gone. */
  private track(spec: ServiceSpec, port: number, child: ChildProcess): TrackedService {
    const { ctx } = this;
    const recent: string[] = [];
    const sink = ctx.sinkFor(spec.name);
    const onLine = (line: string) => {
      recent.push(line);
      if (recent.length > 30) recent.shift();
      sink(line);
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
    this.running.set(spec.name, service);
    void exited.then((exit) => {
      if (this.running.get(spec.name) !== service) return;
      this.running.delete(spec.name);
      this.backends.delete(spec.name);
      if (service.ready && !service.expectedExit) ctx.onUnexpectedExit(exit);
    });
    return service;
  }

  private async waitUntilReady(service: TrackedService): Promise<void> {
    const { readyTimeoutMs, signal } = this.ctx;
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
      if (signal?.aborted) throw new Error('start-up cancelled');
      if (await answers200(service.port, service.spec.readinessPath)) return;
      if (Date.now() > deadline) {
        throw new Error(
          `${service.name} did not answer 200 on :${service.port}${service.spec.readinessPath} within ${readyTimeoutMs / 1000} s`,
        );
      }
      await sleep(100);
    }
  }
}

export function describeExit(exit: ProcessExit): string {
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
