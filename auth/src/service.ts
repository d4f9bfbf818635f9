/**
 * auth's service definition: what runService starts in production and useService in tests.
 */
import { connectionSettings, type Logger, type ServiceDefinition } from '@ticketing/common';
import { buildApp } from './app';
import type { AuthConfig } from './config';
import { closeRedis, connectRedis, createRedis } from './redis';
// Registered before the start, so startService builds its indexes (the unique email) before traffic.
import './models/user.model';

/**
 * The auth service as common's runService starts it: the HTTP app over its users and the Redis its
 * failure limits count in, no listeners (auth consumes no event; it publishes user.created and
 * user.updated). Readiness does not wait for Redis: without it sign-in still works, limited per
 * replica. Builds, never starts (nor connects): tests start it with useService.
 */
export function defineAuthService(config: AuthConfig, logger: Logger): ServiceDefinition {
  const redis = createRedis(config.REDIS_URL, logger);
  return {
    name: 'auth',
    logger,
    ...connectionSettings(config),
    onStart: () => connectRedis(redis),
    onStop: () => closeRedis(redis),
    createApp: () => buildApp(config, logger, redis),
  };
}
