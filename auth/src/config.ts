/**
 * The auth service's configuration: the base and JWT variables, how long a session lasts, and how
 * many failed sign-ins a client gets per window.
 */
import { baseConfigSchema, jwtConfigSchema, loadConfig } from '@ticketing/common';
import { z } from 'zod';

/** Every variable the auth service reads, validated at start-up. */
export const configSchema = baseConfigSchema.extend(jwtConfigSchema.shape).extend({
  SESSION_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(24 * 60 * 60)
    .describe('How long a sign-in lasts (JWT expiry and cookie max-age)'),
  SIGNIN_MAX_FAILURES: z.coerce
    .number()
    .int()
    .min(1)
    .default(10)
    .describe('Failed sign-ins per client per window before 429'),
  SIGNIN_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(15 * 60)
    .describe('Window of the sign-in failure limit'),
});

export type AuthConfig = z.infer<typeof configSchema>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  return loadConfig(configSchema, env);
}
