/**
 * The session that sign-up, sign-in, a password change and "sign out everywhere" start: a signed JWT
 * in the cookie, which lives as long as the token.
 */
import type { Request } from 'express';
import { signSessionToken } from '@ticketing/common';
import type { AuthConfig } from '../config';
import type { StartedSession } from '../domain/accounts';

/**
 * Puts a signed JWT for the session's user in the cookie session, started at `startedAt` (what
 * `sessionsValidFrom` is compared with); the cookie lives as long as the token.
 */
export function startSession(req: Request, session: StartedSession, config: AuthConfig): void {
  const { user, startedAt } = session;
  req.session = {
    jwt: signSessionToken(
      { id: user.id as string, email: user.email },
      config.JWT_KEY,
      config.SESSION_TTL_SECONDS,
      startedAt,
    ),
  };
  if (req.sessionOptions) req.sessionOptions.maxAge = config.SESSION_TTL_SECONDS * 1000;
}
