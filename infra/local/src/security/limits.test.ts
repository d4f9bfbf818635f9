/**
 * What every answer of the whole backend carries, and what it refuses, through the gateway: the session
 * cookie's attributes in development mode (production's are in cookies.test.ts), helmet's headers and no
 * CORS for any foreign origin, the 16 kB body cap (declared, chunked or inflated), and the limit on
 * failed sign-ins. Every answer is also checked for a leaked stack trace (support.call).
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import { useBackend } from '../backend/harness';
import {
  SECURITY_JWT_KEY,
  type RawResponse,
  call,
  expectError,
  nowSeconds,
  signUp,
} from './support';
import { worldOnce } from './world';

const SIGNIN_MAX_FAILURES = 5;
/** Failures from one address for any email before it is limited: low here, to reach it in a test. */
const SIGNIN_MAX_FAILURES_PER_ADDRESS = 8;
const backend = useBackend({
  JWT_KEY: SECURITY_JWT_KEY,
  SIGNIN_MAX_FAILURES_PER_EMAIL: String(SIGNIN_MAX_FAILURES),
  SIGNIN_MAX_FAILURES_PER_ADDRESS: String(SIGNIN_MAX_FAILURES_PER_ADDRESS),
  ORDER_EXPIRATION_SECONDS: '600',
});

const url = () => backend.stack.url;
const send = (method: string, path: string, cookie?: string, body?: unknown) =>
  call(url(), method, path, { cookie, body });
/** One seller, one buyer with an open order for the seller's ticket, and a third user; made once. */
const world = worldOnce(backend, { title: 'Opera', price: 40 });

describe('cookies (development mode through the gateway)', () => {
  it('sets the session cookie httpOnly, SameSite=Lax, path /, not Secure outside production', async () => {
    const res = await send('POST', '/api/users/signup', undefined, {
      email: `cookie-${nowSeconds()}-${Math.random()}@example.com`,
      password: 'correct horse',
    });

    const setCookie = res.headers.get('set-cookie') ?? '';
    const attrs = setCookie
      .split(';')
      .slice(1)
      .map((a) => a.trim().toLowerCase());
    expect(setCookie).toMatch(/^session=/);
    expect(attrs).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']));
    expect(attrs).not.toContain('secure');
  });
});

/** One answer of each service, success and error, as a browser would get them. */
async function sampleAnswers(): Promise<Array<[string, RawResponse]>> {
  const f = await world();
  return [
    ['auth 200', await send('GET', '/api/users/currentuser')],
    // Sign-up, not sign-in: a failed sign-in would count towards the limit tested last.
    ['auth 400', await send('POST', '/api/users/signup', undefined, {})],
    ['tickets 200', await send('GET', '/api/tickets')],
    ['tickets 404', await send('GET', '/api/tickets/507f1f77bcf86cd799439011')],
    ['events 200', await send('GET', '/api/events')],
    ['events 404', await send('GET', '/api/events/507f1f77bcf86cd799439011')],
    ['events 401', await send('POST', '/api/events', undefined, {})],
    ['orders 200', await send('GET', '/api/orders', f.buyer.cookie)],
    ['orders 401', await send('GET', '/api/orders')],
    ['payments 400', await send('POST', '/api/payments', f.buyer.cookie, {})],
    ['payments 404 route', await send('GET', '/api/payments/nothing')],
  ];
}

describe('response headers', () => {
  it('carries the helmet headers on every API answer, and no X-Powered-By', async () => {
    for (const [what, res] of await sampleAnswers()) {
      const h = (name: string) => res.headers.get(name);
      expect({ what, nosniff: h('x-content-type-options') }).toEqual({ what, nosniff: 'nosniff' });
      expect({ what, frame: h('x-frame-options') }).toEqual({ what, frame: 'SAMEORIGIN' });
      expect({ what, hsts: h('strict-transport-security') }).toEqual({
        what,
        hsts: expect.stringMatching(/max-age=\d{6,}/),
      });
      expect({ what, csp: h('content-security-policy') }).toEqual({
        what,
        csp: expect.stringContaining("default-src 'self'"),
      });
      expect({ what, csp: h('content-security-policy') }).toEqual({
        what,
        csp: expect.stringContaining("frame-ancestors 'self'"),
      });
      expect({ what, referrer: h('referrer-policy') }).toEqual({ what, referrer: 'no-referrer' });
      expect({ what, poweredBy: h('x-powered-by') }).toEqual({ what, poweredBy: null });
      expect({ what, type: h('content-type') }).toEqual({
        what,
        type: expect.stringMatching(/^application\/json/),
      });
    }
  });

  it('allows no foreign origin: neither a preflight nor a request gets CORS headers', async () => {
    const f = await world();
    const evil = 'https://evil.example';
    for (const path of [
      '/api/users/currentuser',
      '/api/tickets',
      '/api/events',
      `/api/orders/${f.order.id}`,
      '/api/payments',
    ]) {
      const preflight = await call(url(), 'OPTIONS', path, {
        headers: {
          origin: evil,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      const get = await call(url(), 'GET', path, {
        cookie: f.buyer.cookie,
        headers: { origin: evil },
      });
      for (const res of [preflight, get]) {
        expect({ path, status: res.status < 500 }).toEqual({ path, status: true });
        for (const header of [
          'access-control-allow-origin',
          'access-control-allow-credentials',
          'access-control-allow-methods',
          'access-control-allow-headers',
        ])
          expect({ path, header, value: res.headers.get(header) }).toEqual({
            path,
            header,
            value: null,
          });
      }
    }
  });
});

describe('bodies over the 16 kB cap', () => {
  const jsonRoutes: Array<[string, string]> = [
    ['POST', '/api/users/signup'],
    ['POST', '/api/users/signin'],
    ['POST', '/api/users/signout'],
    ['PUT', '/api/users/password'],
    ['POST', '/api/events'],
    ['POST', '/api/tickets'],
    ['PUT', '/api/tickets/507f1f77bcf86cd799439011'],
    ['POST', '/api/orders'],
    ['DELETE', '/api/orders/507f1f77bcf86cd799439011'],
    ['POST', '/api/payments'],
  ];
  const big = { title: 'x'.repeat(17 * 1024), price: 10 };

  it.each(jsonRoutes)(
    '%s %s answers 413 in the error shape, signed in or not',
    async (method, path) => {
      const f = await world();
      expectError(await send(method, path, undefined, big), 413);
      expectError(await send(method, path, f.seller.cookie, big), 413);
    },
  );

  it('counts the body, not the declared length: a chunked body over the cap is 413 too', async () => {
    const f = await world();
    const chunks = ['{"title":"', 'y'.repeat(10 * 1024), 'y'.repeat(10 * 1024), '","price":10}'];
    const res = await fetch(`${url()}/api/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: f.seller.cookie },
      body: new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit & { duplex: 'half' });
    const text = await res.text();

    expect(res.status).toBe(413);
    expect(JSON.parse(text)).toEqual({ errors: [{ message: expect.any(String) }] });
    expect(
      await backend.db('tickets').collection('tickets').countDocuments({ title: /^yyyy/ }),
    ).toBe(0);
  });

  it('counts the inflated size: a small gzip body that inflates past the cap is 413', async () => {
    const f = await world();
    const inflated = JSON.stringify({ title: 'z'.repeat(2 * 1024 * 1024), price: 10 });
    const compressed = gzipSync(inflated);
    expect(compressed.length).toBeLessThan(16 * 1024);

    const res = await fetch(`${url()}/api/tickets`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        cookie: f.seller.cookie,
      },
      body: compressed,
    });
    const text = await res.text();

    expect(res.status).toBe(413);
    expect(JSON.parse(text)).toEqual({ errors: [{ message: expect.any(String) }] });
  });

  it('accepts a body just under the cap', async () => {
    const f = await world();
    const res = await send('POST', '/api/tickets', f.seller.cookie, {
      eventId: f.event.id,
      title: 'Fits',
      price: 10,
      padding: 'z'.repeat(15 * 1024),
    });
    expect(res.status).toBe(201);
  });
});

// Last: once the limit is reached every sign-in from this address waits for the window to pass.
describe('repeated failed sign-ins', () => {
  it(`answers 429 in the error shape after ${SIGNIN_MAX_FAILURES} failures, even with the right password`, async () => {
    const user = await signUp(url());
    const attempt = (password: string) =>
      send('POST', '/api/users/signin', undefined, { email: user.email, password });

    for (let i = 0; i < SIGNIN_MAX_FAILURES; i++) expectError(await attempt('wrong password'), 400);
    const limited = await attempt('wrong password');
    const rightPassword = await attempt(user.password);

    expectError(limited, 429);
    expectError(rightPassword, 429);
    expect(rightPassword.headers.get('set-cookie')).toBeNull();
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another account from the same address is not locked by this one's failures...
    const other = await signUp(url());
    const otherAttempt = (password: string) =>
      send('POST', '/api/users/signin', undefined, { email: other.email, password });
    expect((await otherAttempt(other.password)).status).toBe(200);
    // ...until the address itself has failed SIGNIN_MAX_FAILURES_PER_ADDRESS times, for any email.
    for (let i = SIGNIN_MAX_FAILURES; i < SIGNIN_MAX_FAILURES_PER_ADDRESS; i++)
      expectError(await otherAttempt('wrong password'), 400);
    expectError(await otherAttempt(other.password), 429);
  });
});
