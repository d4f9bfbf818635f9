import { baseConfigSchema, jwtConfigSchema, loadConfig } from '@ticketing/common';
import type { z } from 'zod';

/** Every variable the tickets service reads, validated at start-up: the base set plus `JWT_KEY`. */
export const configSchema = baseConfigSchema.extend(jwtConfigSchema.shape);

export type TicketsConfig = z.infer<typeof configSchema>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): TicketsConfig {
  return loadConfig(configSchema, env);
}
