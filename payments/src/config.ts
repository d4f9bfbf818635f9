/**
 * The payments service's configuration: its environment variables, described and validated at boot.
 */
import { baseConfigSchema, feeConfigSchema, jwtConfigSchema, loadConfig } from '@ticketing/common';
import { z } from 'zod';

/** Every variable the payments service reads, validated at start-up; the fees decide each payout. */
export const configSchema = baseConfigSchema.extend(jwtConfigSchema.shape).extend({
  ...feeConfigSchema.shape,
  PAYOUT_DELAY_HOURS: z.coerce
    .number()
    .min(0)
    .max(8_760)
    .default(24)
    .describe("Hours after the event's start a seller's payout becomes due (0: at the start)"),
  STRIPE_KEY: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Stripe secret key (no default). Absent or empty → the sandbox gateway: tok_visa succeeds, tok_chargeDeclined is declined',
    ),
  STRIPE_API_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      "Where the Stripe SDK sends its requests (stripe-mock, a test stub); default Stripe's API",
    ),
});

export type PaymentsConfig = z.infer<typeof configSchema>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): PaymentsConfig {
  return loadConfig(configSchema, env);
}
