/**
 * The expiration service's configuration: the base variables without MONGO_URI, and the Redis its
 * job queue lives in.
 */
import { baseConfigSchema, loadConfig } from '@ticketing/common';
import { z } from 'zod';

/**
 * Every variable the expiration service reads, validated at start-up. It has no MongoDB: its only state
 * is the job queue in Redis, so the base schema's MONGO_URI is left out (a MONGO_URI in the environment,
 * as the local stack sets for every service, is ignored). REDIS_URL has no default, like NATS_URL: a
 * service that silently talks to a Redis on localhost would schedule expiries nobody ever runs.
 */
export const configSchema = baseConfigSchema.omit({ MONGO_URI: true }).extend({
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL')
    .describe(
      'Redis that holds the expiry jobs; run it with appendonly yes so they survive a restart',
    ),
});

export type ExpirationConfig = z.infer<typeof configSchema>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): ExpirationConfig {
  return loadConfig(configSchema, env);
}
