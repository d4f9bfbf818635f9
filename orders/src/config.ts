/**
 * The orders service's configuration: the base and JWT variables, and how long an order holds its
 * ticket.
 */
import { baseConfigSchema, jwtConfigSchema, loadConfig } from '@ticketing/common';
import { z } from 'zod';

/** Every variable the orders service reads, validated at start-up. */
export const configSchema = baseConfigSchema.extend(jwtConfigSchema.shape).extend({
  ORDER_EXPIRATION_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(86_400)
    .default(900)
    .describe('How long an order holds its ticket while the buyer pays'),
});

export type OrdersConfig = z.infer<typeof configSchema>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): OrdersConfig {
  return loadConfig(configSchema, env);
}
