/**
 * The auth HTTP app: sign-up, sign-in, sign-out (here or everywhere), the current user and password
 * change, with failed credential checks limited in Redis, and sessions that ended refused.
 */
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import { createServiceApp, type Logger } from '@ticketing/common';
import type { AuthConfig } from './config';
import { sessionsValidFrom } from './domain/accounts';
import { CredentialLimits } from './domain/failure-limits';
import { changePasswordRouter } from './routes/change-password.route';
import { currentUserRouter } from './routes/current-user.route';
import { signinRouter } from './routes/signin.route';
import { signoutEverywhereRouter } from './routes/signout-everywhere.route';
import { signoutRouter } from './routes/signout.route';
import { signupRouter } from './routes/signup.route';

/** Builds the auth HTTP app over `redis` (connected or not); never listens (tests drive it in-process). */
export function buildApp(config: AuthConfig, logger: Logger, redis: Redis): Express {
  const limits = new CredentialLimits(redis, config);
  return createServiceApp(
    config,
    logger,
    [
      signupRouter(config),
      signinRouter(config, limits),
      signoutRouter(),
      signoutEverywhereRouter(config),
      currentUserRouter(),
      changePasswordRouter(config, limits),
    ],
    // auth refuses a session its user ended, like every service, but reads its own users for it.
    sessionsValidFrom,
  );
}
