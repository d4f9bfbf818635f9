/**
 * The engines of a local stack: one embedded MongoDB per database service (or MONGO_URI's server), NATS
 * JetStream and Redis (or NATS_URL / REDIS_URL). Started together; NATS and Redis can be restarted on the
 * same port with the same data, as a pod with a persistent volume would be; any can be killed as a crash.
 */
import { rm } from 'node:fs/promises';
import {
  mongoUri,
  startMongo,
  startNats,
  startRedis,
  type Engine,
} from '@ticketing/common/engines';
import { withDatabase } from './databases';
import { DATABASE_SERVICES } from './service-table';
import type { ProcessExit } from './stack';

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

export interface EngineContext {
  env: NodeJS.ProcessEnv;
  say(message: string): void;
  /** Where an engine's output lines go. */
  sinkFor(name: string): (line: string) => void;
  /** An engine exited without being asked to. */
  onUnexpectedExit(exit: ProcessExit): void;
  stopping(): boolean;
}

export class StackEngines {
  /** `mongo`: each database service's own MongoDB URI (database included), by service name. */
  readonly urls = { mongo: {} as Record<string, string>, nats: '', redis: '' };
  private readonly tracked: TrackedEngine[] = [];

  constructor(private readonly ctx: EngineContext) {}

  /** Starts every engine not given by the environment; waits for all, so none is left half-started. */
  async start(): Promise<void> {
    const { env, say, sinkFor } = this.ctx;
    const starts: Array<Promise<void>> = [];
    if (env.MONGO_URI) {
      say('MongoDB: using MONGO_URI (each service gets its own database on that server)');
      for (const name of DATABASE_SERVICES)
        this.urls.mongo[name] = withDatabase(env.MONGO_URI, name);
    } else {
      // One engine per service, as in the cluster (a StatefulSet each). On jongodb this also matters for
      // speed: a transaction costs time in proportion to every document the engine holds, in any database.
      for (const name of DATABASE_SERVICES) {
        const engineName = `mongo-${name}`;
        const start = () => startMongo(sinkFor(engineName));
        starts.push(
          this.startEngine(
            engineName,
            `MongoDB for ${name} (embedded jongodb, replica set rs0)`,
            start,
          ).then((url) => {
            this.urls.mongo[name] = mongoUri(url, name);
          }),
        );
      }
    }
    if (env.NATS_URL) {
      say('NATS: using NATS_URL');
      this.urls.nats = env.NATS_URL;
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
        this.startEngine('nats', 'NATS JetStream', start, restartable).then((url) => {
          this.urls.nats = url;
        }),
      );
    }
    if (env.REDIS_URL) {
      say('Redis: using REDIS_URL');
      this.urls.redis = env.REDIS_URL;
    } else {
      const start = () => startRedis(sinkFor('redis'), { appendOnly: true });
      const restartable = (first: Awaited<ReturnType<typeof startRedis>>) => ({
        dataDir: first.dir,
        relaunch: () =>
          startRedis(sinkFor('redis'), { appendOnly: true, dir: first.dir, port: first.port }),
      });
      starts.push(
        this.startEngine('redis', 'Redis', start, restartable).then((url) => {
          this.urls.redis = url;
        }),
      );
    }
    // Wait for all, so a failed one never leaves a half-started sibling untracked.
    const failure = (await Promise.allSettled(starts)).find((r) => r.status === 'rejected');
    if (failure) throw failure.reason;
  }

  /** Stops (or kills) `nats` or `redis` and starts it again on the same port with the same data. */
  async restart(name: 'nats' | 'redis', how: 'stop' | 'kill'): Promise<void> {
    const tracked = this.tracked.find((e) => e.name === name);
    if (!tracked?.relaunch) throw new Error(`${name} is not an engine this stack started`);
    if (this.ctx.stopping()) throw new Error('the stack is stopping');
    tracked.expectedExit = true;
    const old = tracked.engine.process;
    if (how === 'kill') await old.kill();
    else await old.stop();
    this.ctx.say(`${name} ${how === 'kill' ? 'killed (SIGKILL)' : 'stopped'}; starting it again`);
    // The relaunched engine was given its dir, so its stop() keeps it: the first one would have removed it.
    tracked.leftoverDir = tracked.dataDir;
    tracked.engine = await tracked.relaunch();
    tracked.expectedExit = false;
    this.watch(tracked);
  }

  /** SIGKILLs a running engine this stack started, as a crash would; false when there is none by that name. */
  async kill(name: string): Promise<boolean> {
    const tracked = this.tracked.find((e) => e.name === name);
    if (!tracked || tracked.engine.process.child.exitCode !== null) return false;
    tracked.expectedExit = true;
    await tracked.engine.process.kill();
    this.ctx.say(`${name} killed (SIGKILL)`);
    return true;
  }

  async stop(): Promise<void> {
    for (const tracked of this.tracked) tracked.expectedExit = true;
    const results = await Promise.allSettled(this.tracked.map(({ engine }) => engine.stop()));
    for (const result of results) {
      if (result.status === 'rejected')
        this.ctx.say(`while stopping an engine: ${String(result.reason)}`);
    }
    for (const { leftoverDir } of this.tracked) {
      if (leftoverDir) await rm(leftoverDir, { recursive: true, force: true }).catch(() => {});
    }
  }

  /** Last resort when our process dies without stop(): no orphans. */
  killNow(): void {
    for (const { engine } of this.tracked) engine.process.child.kill('SIGKILL');
  }

  /** Adds name → pid of every engine that still runs. */
  addPids(pids: Map<string, number>): void {
    for (const { name, engine } of this.tracked) {
      const { child } = engine.process;
      if (child.pid && child.exitCode === null && child.signalCode === null)
        pids.set(name, child.pid);
    }
  }

  private async startEngine<E extends Engine>(
    name: string,
    label: string,
    start: () => Promise<E>,
    restartable?: (first: E) => Pick<TrackedEngine, 'relaunch' | 'dataDir'>,
  ): Promise<string> {
    this.ctx.say(`starting ${label}…`);
    const engine = await start();
    const tracked: TrackedEngine = { name, engine, expectedExit: false, ...restartable?.(engine) };
    this.tracked.push(tracked);
    this.watch(tracked);
    return engine.url;
  }

  private watch(tracked: TrackedEngine): void {
    const { name, engine } = tracked;
    engine.process.child.once('exit', (code, signal) => {
      if (!tracked.expectedExit) this.ctx.onUnexpectedExit({ name, code, signal });
    });
    this.ctx.say(`${name} ready at ${engine.url} (pid ${engine.process.child.pid})`);
  }
}
