/**
 * expiration's service definition: the job queue and the order.* listeners that feed it, started
 * and stopped in order.
 */
import {
  connectionSettings,
  type ListenerOptions,
  type Logger,
  type ServiceDefinition,
} from '@ticketing/common';
import type { ExpirationConfig } from './config';
import { createListeners } from './events';
import { ExpirationQueue, type RetryPolicy } from './jobs/expiration.queue';

/** Knobs tests turn down (retry delays, attempts before dead-lettering); production uses the defaults. */
export interface ExpirationTuning {
  listener?: ListenerOptions;
  retry?: RetryPolicy;
}

/**
 * The expiration service as common's runService starts it: no MongoDB and no routes (only the
 * /healthz and /readyz every service has); the job queue starts before the listeners that feed it and
 * stops after them, and /readyz also needs both Redis connections up. Builds, never starts: tests
 * start it with startService.
 */
export function defineExpirationService(
  config: ExpirationConfig,
  logger: Logger,
  tuning: ExpirationTuning = {},
): ServiceDefinition {
  let expiration: ExpirationQueue | undefined;
  const started = () => {
    if (!expiration) throw new Error('the expiration queue is not started');
    return expiration;
  };
  return {
    name: 'expiration',
    logger,
    ...connectionSettings(config),
    onStart: async (ctx) => {
      logger.info('connecting to Redis');
      expiration = await ExpirationQueue.start({
        redisUrl: config.REDIS_URL,
        publisher: ctx.publisher,
        logger,
        retry: tuning.retry,
      });
    },
    listeners: (ctx) => createListeners(ctx, started(), tuning.listener),
    onStop: async () => {
      await expiration?.stop();
      expiration = undefined;
    },
    isReady: () => expiration?.isReady() ?? false,
  };
}
