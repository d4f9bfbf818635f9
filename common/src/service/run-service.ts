import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import mongoose from 'mongoose';
import { ConfigError, type BaseConfig } from '../config/config';
import type { Logger } from '../logger/logger';
import { connectEventBus, type EventBus } from '../nats/connection';
import type { Listener, ListenerContext, ListenerOptions } from '../nats/listener';
import { EventPublisher } from '../nats/publisher';
import { EventRelay } from '../pending-events/relay';
import type { EventSubject } from '../events';

export interface ServiceContext extends ListenerContext {
  publisher: EventPublisher;
}

export interface ServiceDefinition {
  name: string;
  logger: Logger;
  port: number;
  mongoUri?: string;
  natsUrl: string;
  /** Messages each listener handles at once (`LISTENER_CONCURRENCY`). */
  listenerConcurrency?: number;
  createApp?(ctx: ServiceContext): Express;
  /**
   * The service's listeners. startService passes no `options` (production limits); tests start the same
   * listeners themselves with theirs (a low `maxDeliver` to reach the dead-letter stream quickly).
   */
  listeners?(ctx: ServiceContext, options?: ListenerOptions): Array<Listener<EventSubject>>;
  /** Extra start-up (e.g. a job worker) and its shutdown, run after the bus and before listeners. */
  onStart?(ctx: ServiceContext): Promise<void>;
  onStop?(): Promise<void>;
  /** Extra readiness checks (e.g. Redis). */
  isReady?(): boolean;
}

/** The variables of common's base config that every definition passes on the same way. */
type ConnectionConfig = Pick<BaseConfig, 'PORT' | 'NATS_URL' | 'LISTENER_CONCURRENCY'> & {
  MONGO_URI?: string;
};

/** A definition's port, engines and listener concurrency, from the service's validated config. */
export function connectionSettings(
  config: ConnectionConfig,
): Pick<ServiceDefinition, 'port' | 'mongoUri' | 'natsUrl' | 'listenerConcurrency'> {
  return {
    port: config.PORT,
    natsUrl: config.NATS_URL,
    listenerConcurrency: config.LISTENER_CONCURRENCY,
    ...(config.MONGO_URI === undefined ? {} : { mongoUri: config.MONGO_URI }),
  };
}

export interface RunningService {
  server: Server;
  port: number;
  bus: EventBus;
  /** What the app and the listeners were built with (tests build more listeners on it). */
  ctx: ServiceContext;
  relay?: EventRelay;
  stop(): Promise<void>;
}

/** Mongo settings the embedded engine and real mongod both need (see docs/architecture.md). */
export function configureMongoose(): void {
  // jongodb has no `create` command; with autoCreate on, unique indexes are silently never built.
  mongoose.set('autoCreate', false);
  mongoose.set('strictQuery', true);
}

/** Connects and builds every registered model's indexes before the service accepts traffic. */
export async function connectMongo(uri: string): Promise<void> {
  configureMongoose();
  // Polled monitoring: jongodb breaks the driver's streaming heartbeat ("Server ended moreToCome
  // unexpectedly"), which marks the server Unknown every ~0.5 s and stalls queries for up to 10 s.
  // Polling costs a real mongod nothing that matters for a single-node replica set.
  await mongoose.connect(uri, {
    serverSelectionTimeoutMS: 15_000,
    serverMonitoringMode: 'poll',
  });
  await Promise.all(mongoose.modelNames().map((name) => mongoose.model(name).init()));
}

/**
 * Starts a service: Mongo (indexes built) → NATS (streams ensured) → event relay → listeners → HTTP with
 * `/healthz` (alive) and `/readyz` (dependencies connected). SIGTERM/SIGINT stop it in reverse: stop
 * accepting HTTP, drain consumers, flush the relay, close Mongo and NATS.
 */
export async function startService(def: ServiceDefinition): Promise<RunningService> {
  const { logger } = def;
  let stopping = false;

  if (def.mongoUri) {
    logger.info('connecting to MongoDB');
    await connectMongo(def.mongoUri);
  }
  let bus: EventBus | undefined;
  let relay: EventRelay | undefined;
  const listeners: Array<Listener<EventSubject>> = [];
  let onStartDone = false;
  // Releases whatever has been started so far, in reverse order; shared by stop() and a failed start.
  const release = async () => {
    for (const listener of listeners) await listener.stop();
    if (onStartDone) await def.onStop?.();
    await relay?.stop();
    if (def.mongoUri) await mongoose.disconnect();
    if (bus && !bus.nc.isClosed()) await bus.nc.drain();
  };

  let server: Server;
  let port: number;
  let ctx: ServiceContext;
  const inFlight = new InFlight();
  try {
    logger.info('connecting to NATS JetStream');
    bus = await connectEventBus(def.natsUrl, def.name, logger);
    const publisher = new EventPublisher(bus.js);
    ctx = {
      bus,
      service: def.name,
      logger,
      publisher,
      concurrency: def.listenerConcurrency,
    };

    relay = def.mongoUri ? new EventRelay(publisher, logger) : undefined;
    relay?.start();
    await def.onStart?.(ctx);
    onStartDone = true;
    for (const listener of def.listeners?.(ctx) ?? []) {
      listeners.push(listener);
      await listener.start();
    }

    const app = def.createApp?.(ctx);
    const eventBus = bus;
    const ready = () =>
      !stopping &&
      (!def.mongoUri || mongoose.connection.readyState === 1) &&
      !eventBus.nc.isClosed() &&
      (def.isReady?.() ?? true);
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      if (req.url === '/healthz') return sendStatus(res, 200, 'ok');
      if (req.url === '/readyz') {
        return ready() ? sendStatus(res, 200, 'ready') : sendStatus(res, 503, 'not ready');
      }
      if (!app) {
        const body = JSON.stringify({ errors: [{ message: 'Not found' }] });
        res.writeHead(404, { 'content-type': 'application/json' }).end(body);
        return;
      }
      inFlight.track(res);
      app(req, res);
    });
    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(def.port, () => {
        listening.off('error', reject);
        resolve();
      });
    });
    port = (server.address() as AddressInfo).port;
  } catch (err) {
    await release().catch((releaseErr: unknown) =>
      logger.error({ err: releaseErr }, 'error while releasing a failed start'),
    );
    throw err;
  }
  logger.info({ port }, `${def.name} ready`);

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      stopping = true;
      logger.info('shutting down');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Requests already accepted finish, and the events they wrote are published by the relay below.
      await inFlight.settled();
      await release();
      server.closeAllConnections();
      await closed;
      logger.info('stopped');
    })();
    return stopped;
  };
  return { server, port, bus, ctx, relay, stop };
}

/** Counts application requests whose response has not finished yet. */
class InFlight {
  private count = 0;
  private waiters: Array<() => void> = [];

  track(res: ServerResponse): void {
    this.count += 1;
    res.once('close', () => {
      this.count -= 1;
      if (this.count === 0) for (const wake of this.waiters.splice(0)) wake();
    });
  }

  settled(): Promise<void> {
    return this.count === 0
      ? Promise.resolve()
      : new Promise((resolve) => this.waiters.push(resolve));
  }
}

/**
 * The operator's relay lever: `kill -USR2 <pid>` pauses this process's event relay (writes go on; their
 * events wait in their documents), the next `kill -USR2` resumes it and the backlog goes out. HTTP and the listeners are untouched. Used by the fault-injection suite; a graceful stop resumes
 * and flushes.
 */
function toggleRelayPause(running: RunningService, pause: boolean, logger: Logger): void {
  if (!running.relay) {
    logger.warn('SIGUSR2: this service has no event relay; nothing to pause');
    return;
  }
  if (pause) {
    running.relay.pause();
    logger.warn(
      'SIGUSR2: event relay paused; events stay pending in their documents until the next SIGUSR2',
    );
  } else {
    running.relay.resume();
    logger.warn('SIGUSR2: event relay resumed; publishing the backlog');
  }
}

function sendStatus(res: ServerResponse, status: number, text: string) {
  const body = JSON.stringify({ status: text });
  res
    .writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    })
    .end(body);
}

/**
 * The process entry: builds the definition (config validated there), starts, and exits cleanly on
 * SIGTERM/SIGINT. A bad configuration or failed start logs one clear line and exits 1.
 */
export function runService(logger: Logger, define: () => ServiceDefinition): void {
  const fail = (err: unknown) => {
    if (err instanceof ConfigError) logger.fatal(err.message);
    else logger.fatal({ err }, 'failed to start');
    process.exit(1);
  };
  let def: ServiceDefinition;
  try {
    def = define();
  } catch (err) {
    fail(err);
    return;
  }
  // SIGUSR2 toggles pausing the event relay's publishing (see toggleRelayPause). Installed before the
  // start so an early signal never hits Node's default action for SIGUSR2, which is to exit.
  let service: RunningService | undefined;
  let pauseWanted = false;
  process.on('SIGUSR2', () => {
    pauseWanted = !pauseWanted;
    if (service) toggleRelayPause(service, pauseWanted, logger);
  });
  startService(def).then((running) => {
    service = running;
    if (pauseWanted) toggleRelayPause(running, true, logger);
    const shutdown = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'signal received');
      const force = setTimeout(() => {
        logger.error('shutdown took longer than 10 s; exiting');
        process.exit(1);
      }, 10_000);
      force.unref();
      running.stop().then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'error during shutdown');
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
  }, fail);
  // A rejection nobody handled means a step was skipped and state may be half-changed: exit, and let the
  // restart (Kubernetes restarts the pod) recover from what was stored, as after a crash.
  process.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'unhandled rejection; exiting');
    process.exit(1);
  });
}
