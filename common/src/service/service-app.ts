/**
 * A service's HTTP app from its config and routers: `createHttpApp` with the session settings every
 * service reads the same way (the JWT key; Secure cookies in production).
 */
import type { Express, RequestHandler } from 'express';
import type { Logger } from '../logger/logger';
import type { SessionsValidFrom } from '../middlewares/current-user';
import { createHttpApp } from './http-app';

export interface SessionConfig {
  JWT_KEY: string;
  NODE_ENV: string;
}

/**
 * Builds the app with `routers` mounted in order; it never listens (tests drive it in-process).
 * `sessionsValidFrom` ends sessions started before a user's password change (see currentUser).
 */
export function createServiceApp(
  config: SessionConfig,
  logger: Logger,
  routers: readonly RequestHandler[],
  sessionsValidFrom?: SessionsValidFrom,
): Express {
  return createHttpApp({
    logger,
    jwtKey: config.JWT_KEY,
    sessionsValidFrom,
    secureCookies: config.NODE_ENV === 'production',
    routes(app) {
      for (const router of routers) app.use(router);
    },
  });
}
