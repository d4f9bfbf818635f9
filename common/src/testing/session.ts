/**
 * Signed-in users for tests: real HS256 session cookies, as auth sets them.
 */
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { signSessionToken, type UserPayload } from '../middlewares/current-user';

export const TEST_JWT_KEY = 'test-only-jwt-key';

/** A `Cookie` header value carrying a real HS256 session JWT, exactly as auth would set it. */
export function sessionCookie(
  user: UserPayload,
  jwtKey = TEST_JWT_KEY,
  expiresInSeconds = 3600,
): string {
  const token = signSessionToken(user, jwtKey, expiresInSeconds);
  return `session=${Buffer.from(JSON.stringify({ jwt: token })).toString('base64')}`;
}

export interface TestUser {
  id: string;
  email: string;
  /** Send as the `Cookie` header. */
  cookie: string;
}

/**
 * A signed-in user with a real signed session cookie (no auth backdoor). Each call is a new user with its
 * own id and, unless one is given, its own email.
 */
export function buildUser(email = `${randomUUID()}@example.com`): TestUser {
  const id = new mongoose.Types.ObjectId().toHexString();
  return { id, email, cookie: sessionCookie({ id, email }) };
}
