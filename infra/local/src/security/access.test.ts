/**
 * Security of the whole backend through the gateway: sessions (missing, tampered, expired, `alg: none`,
 * foreign-key JWTs), other users' resources, cookie attributes, helmet headers, CORS, the sign-in
 * failure limit and the body cap. The stack runs with a known JWT_KEY so valid and forged tokens can be
 * made here; every answer is also checked for a leaked stack trace (support.call).
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import { OrderStatus, TicketStatus } from '@ticketing/common';
import {
  type OrderJson,
  type TicketJson,
  placeOrder,
  replicated,
  useBackend,
} from '../backend/harness';
import {
  SECURITY_JWT_KEY,
  type RawResponse,
  type User,
  call,
  expectError,
  forgeJwt,
  nowSeconds,
  sessionCookie,
  signUp,
} from './support';

const SIGNIN_MAX_FAILURES = 5;
const backend = useBackend({
  JWT_KEY: SECURITY_JWT_KEY,
  SIGNIN_MAX_FAILURES: String(SIGNIN_MAX_FAILURES),
  ORDER_EXPIRATION_SECONDS: '600',
});

const url = () => backend.stack.url;
const send = (method: string, path: string, cookie?: string, body?: unknown) =>
  call(url(), method, path, { cookie, body });

interface Fixture {
  seller: User;
  buyer: User;
  intruder: User;
  ticket: TicketJson;
  order: OrderJson;
}

let fixture: Promise<Fixture> | undefined;
/** One seller, one buyer with an open order for the seller's ticket, and a third user; made once. */
function world(): Promise<Fixture> {
  fixture ??= (async () => {
    const [seller, buyer, intruder] = await Promise.all([
      signUp(url()),
      signUp(url()),
      signUp(url()),
    ]);
    const listed = await send('POST', '/api/tickets', seller.cookie, { title: 'Opera', price: 40 });
    expect(listed.status).toBe(201);
    const ticket = listed.json as TicketJson;
    await replicated(backend, 'orders', 'tickets', ticket.id);
    const ordered = await send('POST', '/api/orders', buyer.cookie, { ticketId: ticket.id });
    expect(ordered.status).toBe(201);
    const order = ordered.json as OrderJson;
    await replicated(backend, 'payments', 'orders', order.id);
    return { seller, buyer, intruder, ticket, order };
  })();
  return fixture;
}

interface Route {
  method: string;
  path: (f: Fixture) => string;
  body?: (f: Fixture) => unknown;
}

/** Every route that needs a signed-in user, with a body that would otherwise be accepted. */
const protectedRoutes: Route[] = [
  { method: 'POST', path: () => '/api/tickets', body: () => ({ title: 'Gig', price: 10 }) },
  {
    method: 'PUT',
    path: (f) => `/api/tickets/${f.ticket.id}`,
    body: () => ({ title: 'Gig', price: 10 }),
  },
  { method: 'GET', path: () => '/api/tickets/mine' },
  { method: 'POST', path: () => '/api/orders', body: (f) => ({ ticketId: f.ticket.id }) },
  { method: 'GET', path: () => '/api/orders' },
  { method: 'GET', path: (f) => `/api/orders/${f.order.id}` },
  { method: 'DELETE', path: (f) => `/api/orders/${f.order.id}` },
  {
    method: 'POST',
    path: () => '/api/payments',
    body: (f) => ({ orderId: f.order.id, token: 'tok_visa' }),
  },
  {
    method: 'PUT',
    path: () => '/api/users/password',
    body: () => ({ currentPassword: 'correct horse', newPassword: 'battery staple' }),
  },
];

/** Session cookies that must all count as "not signed in"; `as` is whose token it pretends to be. */
function badSessions(as: User, victim: User): Array<[string, string | undefined]> {
  const payload = { id: as.id, email: as.email, iat: nowSeconds(), exp: nowSeconds() + 3600 };
  const valid = forgeJwt({ payload, key: SECURITY_JWT_KEY });
  const [header, body, signature] = valid.split('.') as [string, string, string];
  const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
  const editedPayload = Buffer.from(
    JSON.stringify({ ...payload, id: victim.id, email: victim.email }),
  ).toString('base64url');
  return [
    ['no cookie', undefined],
    ['a tampered signature', sessionCookie(`${header}.${body}.${flipped}`)],
    ['no signature', sessionCookie(`${header}.${body}.`)],
    [
      "an edited payload (another user's id) with the old signature",
      sessionCookie(`${header}.${editedPayload}.${signature}`),
    ],
    [
      'an expired token',
      sessionCookie(
        forgeJwt({
          payload: { ...payload, iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 },
          key: SECURITY_JWT_KEY,
        }),
      ),
    ],
    [
      'an alg:none token',
      sessionCookie(forgeJwt({ header: { alg: 'none', typ: 'JWT' }, payload, key: '' })),
    ],
    [
      'an alg:None token with a signature',
      sessionCookie(
        `${Buffer.from(JSON.stringify({ alg: 'None', typ: 'JWT' })).toString('base64url')}.${body}.${signature}`,
      ),
    ],
    ['a token signed with another key', sessionCookie(forgeJwt({ payload, key: 'another-key' }))],
    [
      'an HS512 token signed with the right key',
      sessionCookie(
        forgeJwt({ header: { alg: 'HS512', typ: 'JWT' }, payload, key: SECURITY_JWT_KEY }),
      ),
    ],
    [
      'a token missing the user id',
      sessionCookie(
        forgeJwt({ payload: { email: as.email, exp: payload.exp }, key: SECURITY_JWT_KEY }),
      ),
    ],
    ['a session that is not a JWT', sessionCookie({ $gt: '' })],
    ['a garbage cookie', 'session=%%%not-base64%%%'],
  ];
}

describe('sessions', () => {
  it('accepts a token made with the stack key (so every refusal below is about the token)', async () => {
    const f = await world();
    const payload = { id: f.buyer.id, email: f.buyer.email, exp: nowSeconds() + 60 };
    const cookie = sessionCookie(forgeJwt({ payload, key: SECURITY_JWT_KEY }));

    const me = await send('GET', '/api/users/currentuser', cookie);
    const orders = await send('GET', '/api/orders', cookie);

    expect(me.json).toEqual({ currentUser: expect.objectContaining({ id: f.buyer.id }) });
    expect(orders.status).toBe(200);
    expect((orders.json as OrderJson[]).map((o) => o.id)).toContain(f.order.id);
  });

  it('refuses every protected route with 401 in the error shape for a missing or bad session', async () => {
    const f = await world();
    const failures: string[] = [];
    for (const [what, cookie] of badSessions(f.buyer, f.seller)) {
      for (const route of protectedRoutes) {
        const path = route.path(f);
        const res = await send(route.method, path, cookie, route.body?.(f));
        try {
          expectError(res, 401);
        } catch {
          failures.push(`${route.method} ${path} with ${what}: ${res.status} ${res.text}`);
        }
      }
      expect((await send('GET', '/api/users/currentuser', cookie)).json).toEqual({
        currentUser: null,
      });
    }
    expect(failures).toEqual([]);

    // Nothing changed hands: the order is still open, the ticket held by it, the password unchanged.
    const order = await send('GET', `/api/orders/${f.order.id}`, f.buyer.cookie);
    expect((order.json as OrderJson).status).toBe(OrderStatus.Created);
    const signin = await send('POST', '/api/users/signin', undefined, {
      email: f.buyer.email,
      password: f.buyer.password,
    });
    expect(signin.status).toBe(200);
  });

  it("answers 401 for another user's order (read, cancel, pay) and another seller's ticket (edit)", async () => {
    const f = await world();
    const asIntruder = (method: string, path: string, body?: unknown) =>
      send(method, path, f.intruder.cookie, body);

    expectError(await asIntruder('GET', `/api/orders/${f.order.id}`), 401);
    expectError(await asIntruder('DELETE', `/api/orders/${f.order.id}`), 401);
    expectError(
      await asIntruder('POST', '/api/payments', { orderId: f.order.id, token: 'tok_visa' }),
      401,
    );
    expectError(
      await asIntruder('PUT', `/api/tickets/${f.ticket.id}`, { title: 'Mine now', price: 1 }),
      401,
    );
    // The buyer cannot edit the seller's ticket either, and the seller cannot touch the buyer's order.
    expectError(
      await send('PUT', `/api/tickets/${f.ticket.id}`, f.buyer.cookie, { title: 'X', price: 1 }),
      401,
    );
    expectError(await send('DELETE', `/api/orders/${f.order.id}`, f.seller.cookie), 401);
    expectError(
      await send('POST', '/api/payments', f.seller.cookie, {
        orderId: f.order.id,
        token: 'tok_visa',
      }),
      401,
    );

    const theirs = await asIntruder('GET', '/api/orders');
    expect(theirs.json).toEqual([]);
    const mine = await asIntruder('GET', '/api/tickets/mine');
    expect(mine.json).toEqual([]);
    const order = await send('GET', `/api/orders/${f.order.id}`, f.buyer.cookie);
    expect(order.json).toEqual(expect.objectContaining({ status: OrderStatus.Created }));
    const ticket = await send('GET', `/api/tickets/${f.ticket.id}`);
    expect(ticket.json).toEqual(
      expect.objectContaining({ title: 'Opera', price: 40, status: TicketStatus.Reserved }),
    );
    const charges = await backend
      .db('payments')
      .collection('charges')
      .countDocuments({ orderId: f.order.id });
    expect(charges).toBe(0);
  });

  it('a paid order stays the buyer’s: nobody else can read it or cancel it', async () => {
    const seller = await backend.user();
    const buyer = await backend.user();
    const intruder = await signUp(url());
    const listed = await seller.post<TicketJson>('/api/tickets', { title: 'Play', price: 12 });
    const order = await placeOrder(backend, buyer, listed.body.id);
    expect(
      (await buyer.post('/api/payments', { orderId: order.id, token: 'tok_visa' })).status,
    ).toBe(201);

    expectError(await send('GET', `/api/orders/${order.id}`, intruder.cookie), 401);
    expectError(await send('DELETE', `/api/orders/${order.id}`, intruder.cookie), 401);
    expectError(
      await send('POST', '/api/payments', intruder.cookie, {
        orderId: order.id,
        token: 'tok_visa',
      }),
      401,
    );
  });
});

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
    // Guessing for another account from the same address is limited too.
    const other = await signUp(url());
    expectError(
      await send('POST', '/api/users/signin', undefined, { email: other.email, password: 'nope' }),
      429,
    );
  });
});
