/**
 * The auth HTTP app: sign-up, sign-in, sign-out, the current user and password change, with failed
 * credential attempts limited per client.
 */
import type { Express } from 'express';
import { rateLimit } from 'express-rate-limit';
import { createServiceApp, type Logger } from '@ticketing/common';
import type { AuthConfig } from './config';
import { changePasswordRouter } from './routes/change-password.route';
import { currentUserRouter } from './routes/current-user.route';
import { signinRouter } from './routes/signin.route';
import { signoutRouter } from './routes/signout.route';
import { signupRouter } from './routes/signup.route';

/** Builds the auth HTTP app; never listens (tests drive it in-process). */
export function buildApp(config: AuthConfig, logger: Logger): Express {
  // Counts only failed attempts (4xx), per client address as seen through one proxy hop. In memory: one
  // replica's view; several replicas would share a Redis store (rate-limit-redis).
  const limitFailures = rateLimit({
    windowMs: config.SIGNIN_WINDOW_SECONDS * 1000,
    limit: config.SIGNIN_MAX_FAILURES,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, res) => {
      res.status(429).json({ errors: [{ message: 'Too many failed attempts, try again later' }] });
    },
  });
  return createServiceApp(config, logger, [
    signupRouter(config),
    signinRouter(config, limitFailures),
    signoutRouter(),
    currentUserRouter(),
    changePasswordRouter(limitFailures),
  ]);
}
