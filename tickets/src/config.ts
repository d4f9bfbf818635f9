/**
 * The tickets service's configuration: the base and JWT variables, and how long the listing cache
 * keeps a page.
 */
import { baseConfigSchema, feeConfigSchema, jwtConfigSchema, loadConfig } from '@ticketing/common';
import { z } from 'zod';

/**
 * Every variable the tickets service reads, validated at start-up: the base set, `JWT_KEY`, the fee
 * schedule every price is shown with, and
 * `LISTING_CACHE_MS`: how long a page of the public listing may be served from memory (0 = never; this
 * replica's own commits drop it at once, so the bound only matters for other replicas' changes).
 */
export const configSchema = baseConfigSchema.extend({
  ...jwtConfigSchema.shape,
  ...feeConfigSchema.shape,
  LISTING_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
});

export type TicketsConfig = z.infer<typeof configSchema>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): TicketsConfig {
  return loadConfig(configSchema, env);
}
