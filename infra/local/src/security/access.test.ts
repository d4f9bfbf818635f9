/**
 * Sessions and ownership through the gateway, on the whole backend: every protected route refuses a
 * missing, tampered, expired, `alg: none` or foreign-key session with 401, and no user can read, cancel,
 * pay or edit another user's order or ticket. The stack runs with a known JWT_KEY so valid and forged
 * tokens can be made here; every answer is also checked for a leaked stack trace (support.call).
 * Headers, CORS, cookie attributes and the request limits are in limits.test.ts.
 */
import { describe, expect, it } from '@jest/globals';
import { OrderStatus, TicketStatus, type OrderJson } from '@ticketing/common';
import { listTicket, placeOrder, useBackend } from '../backend/harness';
import { eventInput } from '../catalogue-fixtures';
import {
  SECURITY_JWT_KEY,
  type User,
  call,
  expectError,
  forgeJwt,
  nowSeconds,
  sessionCookie,
  signUp,
} from './support';
import { worldOnce, type World } from './world';

const backend = useBackend({ JWT_KEY: SECURITY_JWT_KEY, ORDER_EXPIRATION_SECONDS: '600' });

const url = () => backend.stack.url;
const send = (method: string, path: string, cookie?: string, body?: unknown) =>
  call(url(), method, path, { cookie, body });
/** One seller, one buyer with an open order for the seller's ticket, and a third user; made once. */
const world = worldOnce(backend, { title: 'Opera', price: 40 });

interface Route {
  method: string;
  path: (f: World) => string;
  body?: (f: World) => unknown;
}

/** Every route that needs a signed-in user, with a body that would otherwise be accepted. */
const protectedRoutes: Route[] = [
  { method: 'POST', path: () => '/api/events', body: () => eventInput() },
  {
    method: 'POST',
    path: () => '/api/tickets',
    body: (f) => ({ eventId: f.event.id, title: 'Gig', price: 10 }),
  },
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
  { method: 'POST', path: () => '/api/users/signout-everywhere', body: () => ({}) },
  { method: 'GET', path: () => '/api/payments/payouts' },
  { method: 'GET', path: () => '/api/payments/account' },
  {
    method: 'PUT',
    path: () => '/api/payments/account',
    body: () => ({ stripeAccountId: 'acct_1Nv0FGQ9RKHgCVdK' }),
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
    // As auth signs them: `sat`, when the session started (ms), decides whether it has ended.
    const payload = {
      id: f.buyer.id,
      email: f.buyer.email,
      sat: Date.now(),
      exp: nowSeconds() + 60,
    };
    const cookie = sessionCookie(forgeJwt({ payload, key: SECURITY_JWT_KEY }));

    const me = await send('GET', '/api/users/currentuser', cookie);
    const orders = await send('GET', '/api/orders', cookie);

    expect(me.body).toEqual({ currentUser: expect.objectContaining({ id: f.buyer.id }) });
    expect(orders.status).toBe(200);
    expect((orders.body as OrderJson[]).map((o) => o.id)).toContain(f.order.id);
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
      expect((await send('GET', '/api/users/currentuser', cookie)).body).toEqual({
        currentUser: null,
      });
    }
    expect(failures).toEqual([]);

    // Nothing changed hands: the order is still open, the ticket held by it, the password unchanged.
    const order = await send('GET', `/api/orders/${f.order.id}`, f.buyer.cookie);
    expect((order.body as OrderJson).status).toBe(OrderStatus.Created);
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
    expect(theirs.body).toEqual([]);
    const mine = await asIntruder('GET', '/api/tickets/mine');
    expect(mine.body).toEqual([]);
    const order = await send('GET', `/api/orders/${f.order.id}`, f.buyer.cookie);
    expect(order.body).toEqual(expect.objectContaining({ status: OrderStatus.Created }));
    const ticket = await send('GET', `/api/tickets/${f.ticket.id}`);
    expect(ticket.body).toEqual(
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
    const listed = await listTicket(seller, { title: 'Play', price: 12 });
    const order = await placeOrder(backend, buyer, listed.id);
    expect((await buyer.pay(order.id, 'tok_visa')).status).toBe(201);

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
