/**
 * The auth service's configuration: the base and JWT variables, how long a session lasts, the Redis
 * that counts failed sign-ins for every replica, and how many failures it allows per window.
 */
import { baseConfigSchema, jwtConfigSchema, loadConfig } from '@ticketing/common';
import { z } from 'zod';

const failureLimit = (fallback: number, meaning: string) =>
  z.coerce.number().int().min(1).default(fallback).describe(meaning);

/**
 * Every variable the auth service reads, validated at start-up. REDIS_URL has no default, like
 * NATS_URL: replicas that each counted failures on a Redis of their own (or in memory) would let a
 * guesser spread attempts over them.
 */
export const configSchema = baseConfigSchema.extend(jwtConfigSchema.shape).extend({
  SESSION_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(24 * 60 * 60)
    .describe('How long a sign-in lasts (JWT expiry and cookie max-age)'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL')
    .describe(
      'Redis that counts failed sign-ins for every replica (while it is unreachable, each replica counts in memory)',
    ),
  SIGNIN_MAX_FAILURES_PER_EMAIL: failureLimit(
    5,
    'Failed sign-ins for one email from one client address per window before 429 (also failed password changes per user and address)',
  ),
  SIGNIN_MAX_FAILURES_PER_ADDRESS: failureLimit(
    100,
    'Failed sign-ins from one client address, whatever the email, per window before 429',
  ),
  SIGNIN_WINDOW_SECONDS: failureLimit(
    15 * 60,
    'Window of the failure limits: counted from the first failure; a blocked client waits until it ends',
  ),
});

export type AuthConfig = z.infer<typeof configSchema>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  return loadConfig(configSchema, env);
}
