/**
 * Helpers of the security suite: raw HTTP calls (common's `sendRequest`: status, headers and text, as a
 * hostile answer may not be JSON), hand-made session JWTs (valid, tampered, expired, `alg: none`, foreign key) and the checks
 * every answer must pass: 4xx/5xx in the error shape, never a stack trace.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { expect } from '@jest/globals';
import { ApiClient, sendRequest, type ApiReply, type ApiRequest } from '@ticketing/common';

/** The stack's JWT key in the security suite, so tokens can be forged; test-only, never deployed. */
export const SECURITY_JWT_KEY = 'security-suite-known-jwt-key-0123456789abcdef';

/** Any answer of the stack: status, headers, text, and `body` parsed when it is JSON (else undefined). */
export type RawResponse = ApiReply<unknown>;

/**
 * One stateless request (no cookie kept: `request.cookie` is sent as given), whose answer must not leak a
 * stack trace whatever it is.
 */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  request: ApiRequest = {},
): Promise<RawResponse> {
  const answer = await sendRequest(baseUrl, method, path, request);
  expectNoStackTrace(answer);
  return answer;
}

/** Patterns of a leaked stack or internal error: `    at fn (/x/y.js:1:2)`, node_modules paths, `TypeError:`. */
const LEAKS: RegExp[] = [
  /\bat\s.*\.[cm]?[jt]s:\d+/,
  /node_modules/,
  /\b[A-Z]\w*Error:/,
  /\bError:/,
  /\/work\/|\/home\/|\/usr\/lib\/node/,
  /Mongo\w*Error|E11000|MongooseError|CastError/,
];

export function expectNoStackTrace(res: Pick<RawResponse, 'status' | 'text'>) {
  const leak = LEAKS.find((pattern) => pattern.test(res.text));
  if (leak)
    throw new Error(`answer ${res.status} leaks internals (${leak}): ${res.text.slice(0, 500)}`);
}

/** `{ errors: [ { message: string, field?: string }, ... ] }` with at least one entry, as JSON. */
export function isErrorShape(json: unknown): boolean {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  const keys = Object.keys(json);
  if (keys.length !== 1 || keys[0] !== 'errors') return false;
  const errors = (json as { errors: unknown }).errors;
  return (
    Array.isArray(errors) &&
    errors.length > 0 &&
    errors.every(
      (e: unknown) =>
        typeof e === 'object' &&
        e !== null &&
        typeof (e as { message?: unknown }).message === 'string' &&
        ((e as { field?: unknown }).field === undefined ||
          typeof (e as { field?: unknown }).field === 'string') &&
        Object.keys(e).every((k) => k === 'message' || k === 'field'),
    )
  );
}

export function expectError(res: RawResponse, status: number) {
  expect({ status: res.status, body: res.body ?? res.text }).toEqual({
    status,
    body: expect.anything(),
  });
  if (!isErrorShape(res.body)) throw new Error(`not the error shape: ${res.status} ${res.text}`);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
}

/** Never a 5xx; a 4xx always in the error shape (with a JSON content type); no stack anywhere. */
export function checkAnswer(res: RawResponse, what: string) {
  if (res.status >= 500) throw new Error(`${what} → ${res.status} ${res.text.slice(0, 500)}`);
  if (res.status >= 400) {
    if (!isErrorShape(res.body))
      throw new Error(`${what} → ${res.status} not in the error shape: ${res.text.slice(0, 500)}`);
    if (!/^application\/json/.test(res.headers.get('content-type') ?? ''))
      throw new Error(`${what} → ${res.status} content-type ${res.headers.get('content-type')}`);
  }
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

export interface JwtParts {
  header?: Record<string, unknown>;
  payload: Record<string, unknown>;
  key: string;
}

/** A JWT made by hand: HMAC by the header's alg (HS256 unless HS384/HS512); `alg: none` gets no signature. */
export function forgeJwt({
  header = { alg: 'HS256', typ: 'JWT' },
  payload,
  key,
}: JwtParts): string {
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  if (header.alg === 'none') return `${signingInput}.`;
  const hash = { HS384: 'sha384', HS512: 'sha512' }[String(header.alg)] ?? 'sha256';
  const signature = createHmac(hash, key).update(signingInput).digest('base64url');
  return `${signingInput}.${signature}`;
}

/** The `Cookie` header cookie-session reads: `session=` base64 of `{"jwt": ...}` (unsigned cookie). */
export function sessionCookie(jwt: unknown): string {
  return `session=${Buffer.from(JSON.stringify({ jwt })).toString('base64')}`;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

export interface User {
  id: string;
  email: string;
  password: string;
  /** The `Cookie` header value auth set at sign-up. */
  cookie: string;
}

/** Signs a new user up through the gateway and keeps the session cookie auth set. */
export async function signUp(baseUrl: string, password = 'correct horse'): Promise<User> {
  const email = `${randomUUID()}@example.com`;
  const client = new ApiClient(baseUrl);
  const res = await client.signUp({ email, password });
  expectNoStackTrace(res);
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${res.text}`);
  if (!client.cookie) throw new Error('signup set no cookie');
  return { id: res.body.id, email, password, cookie: client.cookie };
}
