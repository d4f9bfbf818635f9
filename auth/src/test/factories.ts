/**
 * Test data for auth's tests: users signed up through the real API, with their session cookie, and
 * the session cookies auth sets read back.
 */
import request from 'supertest';
import { signSessionToken, type UserPayload } from '@ticketing/common';
import { TEST_JWT_KEY } from '@ticketing/common/testing';

export interface SignedUpUser {
  id: string;
  email: string;
  password: string;
  /** `session=...`, to send as the `Cookie` header. */
  cookie: string;
}

/** The `session=...` pair of the cookie a response set. */
export function sessionCookieOf(res: request.Response): string {
  const cookie = res.get('Set-Cookie')?.[0]?.split(';')[0];
  if (!cookie?.startsWith('session=')) throw new Error(`no session cookie set (${res.status})`);
  return cookie;
}

/** The session JWT's claims inside a `session=...` cookie (not verified). */
export function sessionClaims(cookie: string): Record<string, unknown> {
  const { jwt } = JSON.parse(Buffer.from(cookie.slice('session='.length), 'base64').toString()) as {
    jwt: string;
  };
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<
    string,
    unknown
  >;
}

/** A real session cookie for `user`, signed as auth signs it, whose session started at `startedAt`. */
export function cookieStartedAt(user: UserPayload, startedAt: number): string {
  const jwt = signSessionToken(user, TEST_JWT_KEY, 3600, startedAt);
  return `session=${Buffer.from(JSON.stringify({ jwt })).toString('base64')}`;
}

/** Signs a user up through the running service; returns them with the session cookie auth set. */
export async function signup(
  url: string,
  email = 'ann@example.com',
  password = 'correct horse',
): Promise<SignedUpUser> {
  const res = await request(url).post('/api/users/signup').send({ email, password }).expect(201);
  return { id: res.body.id as string, email, password, cookie: sessionCookieOf(res) };
}
