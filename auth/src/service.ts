/**
 * auth's service definition: what runService starts in production and useService in tests.
 */
import { connectionSettings, type Logger, type ServiceDefinition } from '@ticketing/common';
import { buildApp } from './app';
import type { AuthConfig } from './config';
// Registered before the start, so startService builds its indexes (the unique email) before traffic.
import './models/user.model';

/**
 * The auth service as common's runService starts it: the HTTP app over its users, no listeners (auth
 * consumes no event; it publishes user.created and user.updated). Builds, never starts: tests start it
 * with useService.
 */
export function defineAuthService(config: AuthConfig, logger: Logger): ServiceDefinition {
  return {
    name: 'auth',
    logger,
    ...connectionSettings(config),
    createApp: () => buildApp(config, logger),
  };
}
