/**
 * The session that sign-up and sign-in start: a signed JWT in the cookie, which lives as long as
 * the token.
 */
import type { Request } from 'express';
import { signSessionToken } from '@ticketing/common';
import type { AuthConfig } from '../config';
import type { UserDoc } from '../models/user.model';

/** Puts a signed JWT for `user` in the cookie session; the cookie lives as long as the token. */
export function startSession(req: Request, user: UserDoc, config: AuthConfig): void {
  req.session = {
    jwt: signSessionToken(
      { id: user.id, email: user.email },
      config.JWT_KEY,
      config.SESSION_TTL_SECONDS,
    ),
  };
  if (req.sessionOptions) req.sessionOptions.maxAge = config.SESSION_TTL_SECONDS * 1000;
}
