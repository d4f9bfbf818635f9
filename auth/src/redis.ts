/**
 * auth's Redis connection, where the failure limits count: made without connecting (building the app
 * connects to nothing), connected at start, never waited for while it is away.
 */
import { Redis } from 'ioredis';
import type { Logger } from '@ticketing/common';

/** A command Redis has not answered by then fails over to the replica's own count. */
const COMMAND_TIMEOUT_MS = 1_000;

/** A client that connects on `connectRedis`, and then reconnects by itself whenever it loses Redis. */
export function createRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectionName: 'auth',
    // Commands fail at once while Redis is away (the limits count in memory meanwhile) instead of
    // queueing until it is back: a sign-in must not wait for a Redis restart.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: COMMAND_TIMEOUT_MS,
  });
  // One line per loss and one per recovery, not one per reconnection attempt.
  let lost = false;
  redis.on('error', (err: Error) => {
    if (lost) return;
    lost = true;
    logger.warn(
      { err },
      'redis unreachable; failed sign-ins are counted in memory until it is back',
    );
  });
  redis.on('ready', () => {
    if (!lost) return;
    lost = false;
    logger.info('redis connection restored; failed sign-ins are counted in Redis again');
  });
  return redis;
}

/**
 * Connects before traffic, so the first sign-ins are counted where every replica sees them. A Redis that
 * cannot be reached does not stop auth from starting: sign-in works, limited per replica, and the client
 * keeps reconnecting.
 */
export async function connectRedis(redis: Redis): Promise<void> {
  await redis.connect().catch(() => {
    // Reported by the 'error' handler; the client retries on its own.
  });
}

export async function closeRedis(redis: Redis): Promise<void> {
  // QUIT would wait for a Redis that is away; with nothing queued, dropping the connection loses nothing.
  if (redis.status === 'ready') await redis.quit();
  else redis.disconnect();
}
