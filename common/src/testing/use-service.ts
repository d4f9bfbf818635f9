/**
 * useService: a test file runs a service's real definition in-process over its own engines, and
 * starts its listeners when a test is ready for them.
 */
import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { mongoUri, startMongo, startNats, type Engine } from '../engines';
import type { EventSubject } from '../events';
import { createLogger, type Logger } from '../logger/logger';
import { connectEventBus, type EventBus } from '../nats/connection';
import type { Listener, ListenerOptions } from '../nats/listener';
import { EventPublisher } from '../nats/publisher';
import {
  startService,
  type RunningService,
  type ServiceContext,
  type ServiceDefinition,
} from '../service/run-service';
import { TEST_JWT_KEY } from './session';
import { resetEngines } from './test-environment';

/** A service's `define<Svc>Service(config, logger, tuning?)`, as its index.ts hands it to runService. */
export type DefineService<C, T> = (config: C, logger: Logger, tuning?: T) => ServiceDefinition;

export type EnvOverrides = Record<string, string>;

export interface UseServiceOptions<C, T> {
  /** The service's own `readConfig`: the test's environment is validated exactly as at boot. */
  readConfig(env: NodeJS.ProcessEnv): C;
  /**
   * Variables over the test defaults (this file's engines, `PORT=0`, `NODE_ENV=test`, TEST_JWT_KEY). A
   * function is called at start, for values only known then (a stub server's URL).
   */
  env?: EnvOverrides | (() => EnvOverrides);
  /** The definition's test knobs, e.g. the gateway payments charges through. */
  tuning?: T;
}

export interface ServiceUnderTest<C> {
  mongo: Engine;
  nats: Engine;
  config: C;
  /** The running service: its HTTP server, its event relay (`service.relay.drain()`), its bus. */
  service: RunningService;
  /** Base URL of the service's own HTTP server (port 0): `request(t.url).get('/api/...')`. */
  url: string;
  /** The test's own connection, as another service's: to publish and to inspect streams and consumers. */
  bus: EventBus;
  /** A context on that connection named as the service: test events, a listener's `onMessage`. */
  ctx: ServiceContext;
  /**
   * Starts the definition's listeners (all, or those of `subjects`) on the service's own context; they
   * are stopped after the test.
   */
  startListeners(
    options?: ListenerOptions,
    subjects?: EventSubject[],
  ): Promise<Array<Listener<EventSubject>>>;
  stopListeners(): Promise<void>;
  /**
   * Stops the service and starts its definition again, as a new process (`env` on top of the file's):
   * what it kept in memory (a rate limiter's counts, a cache) is gone, the database and streams are not.
   */
  restart(env?: EnvOverrides): Promise<void>;
}

/**
 * The service under test is its real definition, started in-process by common's startService, over a
 * fresh embedded Mongo and nats-server for this test file. Between tests every collection is emptied and
 * the streams purged, their consumers deleted.
 *
 * The definition's listeners do not start with it: a durable consumer created at start would take what
 * a test publishes before the test is ready for it. A test about events arranges the stream, then calls
 * `startListeners` with its own limits; the listeners are stopped before the engines are emptied, and
 * the relay drained, so nothing from one test reaches the next.
 */
export function useService<C, T>(
  define: DefineService<C, T>,
  options: UseServiceOptions<C, T>,
): ServiceUnderTest<C> {
  const t = {} as ServiceUnderTest<C>;
  const logger = createLogger('service-under-test', process.env.LOG_LEVEL ?? 'silent');
  const running: Array<Listener<EventSubject>> = [];
  let definition: ServiceDefinition;

  const start = async (extra: EnvOverrides = {}) => {
    const overrides = typeof options.env === 'function' ? options.env() : options.env;
    t.config = options.readConfig({
      NODE_ENV: 'test',
      PORT: '0',
      JWT_KEY: TEST_JWT_KEY,
      MONGO_URI: mongoUri(t.mongo.url, 'test'),
      NATS_URL: t.nats.url,
      ...overrides,
      ...extra,
    });
    definition = define(t.config, logger, options.tuning);
    t.service = await startService({ ...definition, listeners: undefined });
    t.url = `http://127.0.0.1:${t.service.port}`;
  };

  t.startListeners = async (listenerOptions, subjects) => {
    const listeners = (definition.listeners?.(t.service.ctx, listenerOptions) ?? []).filter(
      (listener) => !subjects || subjects.includes(listener.subject),
    );
    for (const listener of listeners) {
      running.push(listener);
      await listener.start();
    }
    return listeners;
  };
  t.stopListeners = async () => {
    for (const listener of running.splice(0)) await listener.stop();
  };
  t.restart = async (env) => {
    await t.stopListeners();
    await t.service.stop();
    await start(env);
  };

  beforeAll(async () => {
    [t.mongo, t.nats] = await Promise.all([startMongo(), startNats()]);
    await start();
    const service = definition.name;
    t.bus = await connectEventBus(t.nats.url, `${service}-test`, logger);
    t.ctx = { bus: t.bus, service, logger, publisher: new EventPublisher(t.bus.js) };
  }, 60_000);
  afterEach(async () => {
    await t.stopListeners();
    // What this test's writes caused goes out now, not into the next test after the purge.
    await t.service.relay?.drain();
    await resetEngines(t.bus.jsm);
  });
  afterAll(async () => {
    await t.stopListeners();
    await t.service?.stop();
    await t.bus?.nc.close();
    await Promise.all([t.mongo?.stop(), t.nats?.stop()]);
  });
  return t;
}
