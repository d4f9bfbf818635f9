/**
 * The Express app every service shares (headers, request logs, body parsing, session, current user, the
 * JSON 404 and the one error middleware); each service adds its routes.
 */
import cookieSession from 'cookie-session';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from '../logger/logger';
import { LiveStreams, type LiveStreamsOptions } from '../live/sse';
import { currentUser, type SessionsValidFrom } from '../middlewares/current-user';
import { errorHandler, notFoundHandler } from '../middlewares/error-handler';
import { requestLogger } from '../middlewares/request-id';
import { requireJsonObject } from '../middlewares/validate-request';

export interface HttpAppOptions {
  logger: Logger;
  jwtKey: string;
  /** When each user's sessions became valid: a session started before is no session (see currentUser). */
  sessionsValidFrom?: SessionsValidFrom;
  /** Secure cookies (HTTPS only); on in production. */
  secureCookies: boolean;
  /** The Server-Sent Event streams' heartbeat and per-user cap (defaults: 15 s, 10). */
  liveStreams?: LiveStreamsOptions;
  /** Largest accepted JSON body; larger ones get 413. */
  bodyLimit?: string;
  routes(app: Express): void;
}

/**
 * The Express app every service shares: helmet headers, request ids and logs, a capped JSON body parser,
 * the cookie session holding the JWT, `req.currentUser`, then the service's routes, a JSON 404 and the
 * one error middleware. It never listens: tests drive it with supertest.
 */
export function createHttpApp(options: HttpAppOptions): Express {
  const app = express();
  // The app's Server-Sent Event streams: routes open them, the server ends them when it stops accepting.
  app.locals.liveStreams = new LiveStreams(options.liveStreams);
  // One proxy hop (the gateway or ingress-nginx) sets X-Forwarded-For and X-Forwarded-Proto.
  app.set('trust proxy', 1);
  app.disable('x-powered-by');
  app.use(helmet());
  app.use(requestLogger(options.logger));
  // strict: false lets `"x"` and `null` through the parser so requireJsonObject can answer them with the
  // accurate "must be a JSON object" instead of the parser's "not valid JSON" (they are valid JSON).
  app.use(express.json({ limit: options.bodyLimit ?? '16kb', strict: false }));
  app.use(requireJsonObject);
  app.use(
    cookieSession({
      name: 'session',
      // The JWT inside is signed; the cookie itself needs no second signature.
      signed: false,
      httpOnly: true,
      sameSite: 'lax',
      secure: options.secureCookies,
    }),
  );
  app.use(currentUser(options.jwtKey, options.sessionsValidFrom));
  options.routes(app);
  app.all('/{*splat}', notFoundHandler);
  app.use(errorHandler);
  return app;
}
