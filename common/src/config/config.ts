/**
 * Configuration for every service: loadConfig validates the environment against one zod schema at
 * start-up and names every problem at once; the base and JWT schemas hold the variables services
 * share.
 */
import { z } from 'zod';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses `env` against one schema for the whole service. Every problem is reported at once, each naming
 * its variable, e.g. `JWT_KEY is required`. Secrets have no defaults.
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  // An empty variable (`PORT=` in a manifest or .env file) counts as unset: it gets its default, or is
  // reported as required. Otherwise `z.coerce.number()` silently turns PORT='' into 0, a random port.
  const input = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.');
    const missing = issue.code === 'invalid_type' && input[name] === undefined;
    return missing ? `${name} is required` : `${name}: ${issue.message}`;
  });
  throw new ConfigError(problems);
}

/** The variables every service reads; services extend this with their own. */
export const baseConfigSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'])
    .default('development')
    .describe('Runtime mode; production makes cookies Secure'),
  PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(3000)
    .describe('HTTP port of the service'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino log level'),
  MONGO_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URI')
    .describe("The service's own MongoDB database (standalone or replica set)"),
  NATS_URL: z.string().min(1).describe('NATS server with JetStream, e.g. nats://localhost:4222'),
  LISTENER_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(256)
    .default(16)
    .describe(
      'Messages each event listener handles at once (per-entity order is kept by versions)',
    ),
});

export const jwtConfigSchema = z.object({
  JWT_KEY: z.string().min(1).describe('Secret that signs session JWTs (no default)'),
});

export type BaseConfig = z.infer<typeof baseConfigSchema>;
