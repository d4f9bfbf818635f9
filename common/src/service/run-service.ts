/**
 * Running a service: `startService` brings a definition up (Mongo → NATS → event relay → extra start-up
 * → listeners → HTTP), each step pushing its stop onto a stack that shutdown unwinds; `runService` is
 * the process entry around it (config errors, signals, unhandled rejections).
 */
import type { Server } from 'node:http';
import type { Express } from 'express';
import mongoose from 'mongoose';
import { ConfigError, type BaseConfig } from '../config/config';
import type { EventSubject } from '../events';
import type { Logger } from '../logger/logger';
import { connectEventBus, type EventBus } from '../nats/connection';
import type { Listener, ListenerContext, ListenerOptions } from '../nats/listener';
import { EventPublisher } from '../nats/publisher';
import { EventRelay } from '../pending-events/relay';
import { startHttpServer } from './health';
import { connectMongo } from './mongo';
import { RelayLever } from './relay-lever';
import { StopStack } from './stop-stack';

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

/**
 * Starts a service: Mongo (indexes built) → NATS (streams ensured) → event relay → onStart → listeners
 * → HTTP with the health probes (health.ts). Stopping runs it in reverse: stop accepting HTTP and let
 * accepted requests finish, stop the listeners, onStop, flush the relay, drain NATS, close Mongo; a
 * start that fails half-way releases what it had started, the same way.
 */
export async function startService(def: ServiceDefinition): Promise<RunningService> {
  const { logger } = def;
  const stops = new StopStack();
  const { http, ...service } = await startSteps(def, stops).catch(async (err: unknown) => {
    await stops
      .unwind()
      .catch((releaseErr: unknown) =>
        logger.error({ err: releaseErr }, 'error while releasing a failed start'),
      );
    throw err;
  });
  logger.info({ port: service.port }, `${def.name} ready`);

  const shutdown = async () => {
    logger.info('shutting down');
    await stops.unwind();
    // Kept-alive connections stay open while the rest is released (a probe on one is answered 503
    // instead of being reset); they are closed last.
    await http.close();
    logger.info('stopped');
  };
  let stopping: Promise<void> | undefined;
  return { ...service, stop: () => (stopping ??= shutdown()) };
}

/** The start-up, one resource after another, each pushing its stop as soon as it is up. */
async function startSteps(def: ServiceDefinition, stops: StopStack) {
  const { logger, mongoUri } = def;
  if (mongoUri) {
    logger.info('connecting to MongoDB');
    await connectMongo(mongoUri);
    stops.push(() => mongoose.disconnect());
  }

  logger.info('connecting to NATS JetStream');
  const bus = await connectEventBus(def.natsUrl, def.name, logger);
  stops.push(async () => {
    if (!bus.nc.isClosed()) await bus.nc.drain();
  });
  const publisher = new EventPublisher(bus.js);
  const ctx: ServiceContext = {
    bus,
    service: def.name,
    logger,
    publisher,
    concurrency: def.listenerConcurrency,
  };

  // Only a service with a database stores events with its entities, so only it has a relay.
  const relay = mongoUri ? new EventRelay(publisher, logger) : undefined;
  if (relay) {
    relay.start();
    stops.push(() => relay.stop());
  }

  await def.onStart?.(ctx);
  stops.push(async () => {
    await def.onStop?.();
  });

  for (const listener of def.listeners?.(ctx) ?? []) {
    // Pushed before it starts: a listener that fails to start half-way is stopped too.
    stops.push(() => listener.stop());
    await listener.start();
  }

  const http = await startHttpServer({
    port: def.port,
    app: def.createApp?.(ctx),
    isReady: () =>
      (!mongoUri || mongoose.connection.readyState === 1) &&
      !bus.nc.isClosed() &&
      (def.isReady?.() ?? true),
  });
  stops.push(() => http.stopAccepting());
  return { http, server: http.server, port: http.port, bus, ctx, relay };
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
  const lever = new RelayLever(logger).install();
  startService(def).then((running) => {
    lever.attach(running.relay);
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
