/**
 * The orders service's configuration: the base and JWT variables, the fee schedule, and how long an
 * order holds its ticket.
 */
import { baseConfigSchema, feeConfigSchema, jwtConfigSchema, loadConfig } from '@ticketing/common';
import { z } from 'zod';

/** Every variable the orders service reads, validated at start-up; the fees fix each order's amount. */
export const configSchema = baseConfigSchema.extend(jwtConfigSchema.shape).extend({
  ...feeConfigSchema.shape,
  ORDER_EXPIRATION_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(86_400)
    .default(900)
    .describe('How long an order holds its ticket while the buyer pays'),
  MAX_ACTIVE_HOLDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(4)
    .describe('Open (unpaid) orders a buyer may hold at once'),
  REHOLD_COOLDOWN_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(86_400)
    .optional()
    .describe(
      'How long a buyer waits to hold a ticket again after their hold on it ended unpaid (default: the hold window, ORDER_EXPIRATION_SECONDS; 0: no wait)',
    ),
});

export type OrdersConfig = z.infer<typeof configSchema>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): OrdersConfig {
  return loadConfig(configSchema, env);
}
