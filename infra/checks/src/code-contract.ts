/**
 * The contract as the code states it, for comparing with docs/architecture.md: each service's routes,
 * which services produce and consume each subject, each subject's payload fields, and each service's
 * configuration variables. Read from the services themselves, not from a copy:
 * - routes: each service's definition (`define<Svc>Service` in src/service.ts) builds its Express app,
 *   and the app's router stack is listed — what the service would answer, with `requireAuth` where it
 *   guards a route. Building connects to nothing;
 * - consumers: each service's `createListeners` (src/events/index.ts) builds its listeners, and each
 *   names its subject;
 * - producers: the `event(Subjects.X)` and `.publish(Subjects.X)` calls in the service's source;
 * - payloads: common's zod schema per subject (`EVENT_SCHEMAS`); subjects: common's `Subjects`;
 * - config: the keys of the service's `configSchema` (src/config.ts).
 * Loaded through jest (ts-jest runs the services' TypeScript, with @ticketing/common mapped to its
 * sources), like service-config.ts.
 */
import { join } from 'node:path';
import { findProducedSubjects } from './event-producers';
import { problem, type Problem } from './problems';
import { exists, readWorkspaces } from './repo';
import { loadServiceConfig } from './service-config';

/** One route as a service registers it. */
export interface RouteFact {
  method: string;
  path: string;
  service: string;
  /** Guarded by common's `requireAuth` (401 when signed out). */
  signedIn: boolean;
}

export interface CodeContract {
  /** The workspaces with a service definition (src/service.ts), in the root's workspace order. */
  services: string[];
  routes: RouteFact[];
  /** common's `Subjects` values. */
  subjects: string[];
  /** subject → services, sorted. */
  producers: Map<string, string[]>;
  consumers: Map<string, string[]>;
  /** subject → payload fields as paths (`ticket.id`), optional ones marked `?` (`orderId?`). */
  payloads: Map<string, string[]>;
  /** service → configuration variables. */
  config: Map<string, string[]>;
  /** What could not be read. */
  problems: Problem[];
}

/** A zod schema, as far as this reads it. */
interface SchemaLike {
  safeParse(value: unknown): { success: boolean; error?: { message: string } };
  shape?: Record<string, SchemaLike>;
}

interface CommonModule {
  Subjects: Record<string, string>;
  EVENT_SCHEMAS: Record<string, SchemaLike>;
  requireAuth: unknown;
  notFoundHandler: unknown;
  createLogger(service: string, level: string): unknown;
}

interface RouterLayer {
  rawPath?: unknown;
  handle: unknown;
  route?: { path: unknown; methods: Record<string, boolean>; stack: Array<{ handle: unknown }> };
}

type ServiceDefinition = {
  createApp?(ctx: unknown): { router: { stack: RouterLayer[] } };
};

/** Values for the variables a service requires (secrets and URLs have no defaults). Nothing connects. */
const SAMPLE_ENV: Record<string, string> = {
  JWT_KEY: 'architecture-doc-check',
  MONGO_URI: 'mongodb://127.0.0.1:9/architecture-doc-check',
  NATS_URL: 'nats://127.0.0.1:9',
  REDIS_URL: 'redis://127.0.0.1:9',
  LOG_LEVEL: 'silent',
};

// Modules are known by path only at run time, hence require (see service-config.ts).
/* eslint-disable @typescript-eslint/no-require-imports */
function loadCommon(): CommonModule {
  return require('@ticketing/common') as CommonModule;
}

export function loadCodeContract(root: string): CodeContract {
  const common = loadCommon();
  const services = [...readWorkspaces(root).keys()].filter((dir) =>
    exists(root, `${dir}/src/service.ts`),
  );
  const contract: CodeContract = {
    services,
    routes: [],
    subjects: Object.values(common.Subjects),
    producers: new Map(),
    consumers: new Map(),
    payloads: new Map(
      Object.entries(common.EVENT_SCHEMAS).map(([subject, schema]) => [
        subject,
        payloadFields(schema),
      ]),
    ),
    config: new Map(),
    problems: [],
  };
  const add = (map: Map<string, string[]>, subject: string, service: string) =>
    map.set(subject, [...(map.get(subject) ?? []), service].sort());
  for (const service of services) {
    const config = loadServiceConfig(root, service);
    if (config) contract.config.set(service, [...config.fields.keys()]);
    else contract.problems.push(problem(`${service}/src/config.ts`, '(file)', 'no configSchema'));

    const produced = findProducedSubjects(root, service, common.Subjects);
    for (const subject of produced.subjects) add(contract.producers, subject, service);
    contract.problems.push(...produced.problems);

    const built = buildService(root, service);
    contract.routes.push(...built.routes);
    for (const subject of built.consumed) add(contract.consumers, subject, service);
    contract.problems.push(...built.problems);
  }
  return contract;
}

/**
 * One service's app and listeners, built in a module registry of its own: two services may define a
 * mongoose model of the same name (orders' and tickets' `Ticket`), which one mongoose refuses.
 */
function buildService(
  root: string,
  service: string,
): { routes: RouteFact[]; consumed: string[]; problems: Problem[] } {
  const result = { routes: [] as RouteFact[], consumed: [] as string[], problems: [] as Problem[] };
  const fail = (file: string, message: string) =>
    result.problems.push(problem(`${service}/src/${file}`, '(module)', message));
  jest.isolateModules(() => {
    const common = loadCommon();
    const schema = (require(join(root, service, 'src/config.ts')) as { configSchema?: SchemaLike })
      .configSchema;
    const parsed = schema?.safeParse(SAMPLE_ENV);
    if (!parsed?.success) {
      fail('config.ts', `cannot build a config to list its routes: ${parsed?.error?.message}`);
      return;
    }
    const config = (parsed as { data?: unknown }).data;
    const logger = common.createLogger(service, 'silent');
    // Apps and listeners only keep the bus until they start; stand-ins let them be built without NATS.
    const ctx = {
      service,
      logger,
      concurrency: 1,
      publisher: {},
      bus: { js: {}, jsm: {}, nc: {} },
    };

    const mod = require(join(root, service, 'src/service.ts')) as Record<string, unknown>;
    const define = Object.entries(mod).find(
      ([name, value]) => /^define\w*Service$/.test(name) && typeof value === 'function',
    )?.[1] as ((config: unknown, logger: unknown) => ServiceDefinition) | undefined;
    if (!define) fail('service.ts', 'exports no define<Name>Service function');
    const app = define?.(config, logger).createApp?.(ctx);
    if (app) {
      const walk = new RouteWalk(service, common, (message) => fail('app.ts', message));
      walk.visit(app.router.stack, '', false);
      result.routes = walk.routes;
    }

    if (exists(root, `${service}/src/events/index.ts`)) {
      const events = require(join(root, service, 'src/events/index.ts')) as {
        createListeners?: (ctx: unknown) => Array<{ subject: string }>;
      };
      // Extra dependencies (a queue, a payment processor) are only kept by the constructors: left out.
      if (!events.createListeners) fail('events/index.ts', 'exports no createListeners');
      result.consumed = (events.createListeners?.(ctx) ?? []).map((l) => l.subject);
    }
  });
  return result;
}

/** Lists the routes of an Express 5 router stack, nested routers included. */
class RouteWalk {
  readonly routes: RouteFact[] = [];

  constructor(
    private readonly service: string,
    private readonly common: CommonModule,
    private readonly fail: (message: string) => void,
  ) {}

  visit(stack: RouterLayer[], prefix: string, guarded: boolean): void {
    for (const layer of stack) {
      if (layer.route) {
        this.addRoute(layer.route, prefix, guarded);
        continue;
      }
      if (layer.handle === this.common.requireAuth) guarded = true;
      const nested = (layer.handle as { stack?: unknown }).stack;
      if (typeof layer.handle !== 'function' || !Array.isArray(nested)) continue;
      if (typeof layer.rawPath !== 'string') {
        this.fail(`a router is mounted at ${String(layer.rawPath)}, not a path this check reads`);
        continue;
      }
      const mountedAt = layer.rawPath === '/' ? prefix : prefix + layer.rawPath.replace(/\/$/, '');
      this.visit(nested as RouterLayer[], mountedAt, guarded);
    }
  }

  private addRoute(route: NonNullable<RouterLayer['route']>, prefix: string, guarded: boolean) {
    const handlers = route.stack.map((l) => l.handle);
    // common's JSON 404 for every unknown path is no route of the service.
    if (handlers.includes(this.common.notFoundHandler)) return;
    if (typeof route.path !== 'string') {
      this.fail(`a route's path is ${String(route.path)}, not a path this check reads`);
      return;
    }
    for (const [method, on] of Object.entries(route.methods)) {
      if (!on) continue;
      this.routes.push({
        method: method === '_all' ? 'ALL' : method.toUpperCase(),
        path: (route.path === '/' ? prefix : prefix + route.path) || '/',
        service: this.service,
        signedIn: guarded || handlers.includes(this.common.requireAuth),
      });
    }
  }
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** `z.object({id, ticket: z.object({id}), orderId: id.optional()})` → `id, ticket.id, orderId?`. */
export function payloadFields(schema: SchemaLike, prefix = ''): string[] {
  return Object.entries(schema.shape ?? {}).flatMap(([name, field]) => {
    const path = `${prefix}${name}${field.safeParse(undefined).success ? '?' : ''}`;
    return field.shape ? payloadFields(field, `${path}.`) : [path];
  });
}
