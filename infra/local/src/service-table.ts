/** The parts of the platform the local stack runs: each one's entry point, engines and start order. */
import { join } from 'node:path';

export interface LaunchContext {
  /** The service's own folder. */
  dir: string;
  port: number;
  /** Where the browser and server-side rendering reach the APIs. */
  gatewayUrl: string;
}

/** How the stack runs one part of the platform. */
export interface ServiceSpec {
  /** Folder at the repo root and the Kubernetes Service name the Ingress routes to. */
  name: string;
  /** Build output, relative to the folder; without it the service is skipped (not built yet). */
  builtFile: string;
  command(ctx: LaunchContext): { command: string; args: string[] };
  /** Answers 200 once the service can take traffic. */
  readinessPath: string;
  /** Keeps data in MongoDB: it gets its own database (and, embedded, its own engine process). */
  database?: boolean;
  extraEnv?(ctx: LaunchContext): Record<string, string>;
}

/** The Express services share one entry point and readiness endpoint (common's runService). */
function expressService(name: string, database: boolean): ServiceSpec {
  return {
    name,
    database,
    builtFile: join('dist', 'index.js'),
    command: () => ({ command: process.execPath, args: [join('dist', 'index.js')] }),
    readinessPath: '/readyz',
  };
}

/** In start order; order matters only for the log, as each service waits for its own engines. */
export const SERVICES: readonly ServiceSpec[] = [
  expressService('auth', true),
  expressService('tickets', true),
  expressService('orders', true),
  expressService('expiration', false),
  expressService('payments', true),
  {
    // The production build of the Next.js client (`next build`), served by `next start`.
    name: 'client',
    builtFile: join('.next', 'BUILD_ID'),
    command: ({ dir, port }) => ({
      command: process.execPath,
      args: [
        require.resolve('next/dist/bin/next', { paths: [dir] }),
        'start',
        '--port',
        String(port),
        // Reached only through the gateway, which proxies to 127.0.0.1.
        '--hostname',
        '127.0.0.1',
      ],
    }),
    // Answers as soon as Next.js runs, not only once the APIs its pages call are up.
    readinessPath: '/healthz',
    // GATEWAY_URL: where server-side rendering calls the APIs. NODE_ENV: `next start` serves a
    // production build, and warns when told it is development (the services' default here).
    extraEnv: ({ gatewayUrl }) => ({
      GATEWAY_URL: gatewayUrl,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
    }),
  },
];

/** The services with a database, each served by its own embedded engine `mongo-<service>`. */
export const DATABASE_SERVICES = SERVICES.filter((spec) => spec.database).map((spec) => spec.name);

export const ENGINE_NAMES = [
  ...DATABASE_SERVICES.map((name) => `mongo-${name}`),
  'nats',
  'redis',
] as const;
