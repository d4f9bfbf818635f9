/**
 * Property-based bad input (fast-check) against the whole backend through the gateway: generated JSON
 * bodies, ids, query strings and headers are thrown at every route. Every answer must be a 2xx/3xx/4xx
 * (never 5xx), a 4xx must be in the error shape, nothing may leak a stack trace, and what the services
 * stored must still be valid per docs/architecture.md afterwards. The generators are in fuzz-inputs.ts,
 * the checks of the stored state in stored-state.ts. Last, hand-picked bad input on the catalogue's routes
 * (events and the listing's filters): each refused with a 400 naming the field, or 404 for a bad id.
 *
 * Reproduce a failure: fast-check prints `{ seed, path }`; rerun with that seed (and more runs if wanted):
 *   FC_SEED=1234 FC_RUNS=500 npx jest src/security/fuzz.test.ts      (in infra/local)
 * Without FC_SEED every run draws a new seed.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { useBackend } from '../backend/harness';
import {
  allRoutes,
  contentEncoding,
  contentType,
  cookieOf,
  hostileBody,
  hostileCookie,
  hostileId,
  idRoutes,
  jsonRoutes,
  latin1,
  printable,
  queryString,
  rawBody,
  resolveIds,
  who,
  type Who,
} from './fuzz-inputs';
import { eventInput, startsIn } from '../catalogue-fixtures';
import { expectValidState } from './stored-state';
import { SECURITY_JWT_KEY, call, checkAnswer, isErrorShape, type RawResponse } from './support';
import { worldOnce } from './world';

const backend = useBackend({
  JWT_KEY: SECURITY_JWT_KEY,
  // Generated sign-ins fail by the hundred; the limit itself is tested in limits.test.ts.
  SIGNIN_MAX_FAILURES_PER_EMAIL: '1000000',
  SIGNIN_MAX_FAILURES_PER_ADDRESS: '1000000',
  ORDER_EXPIRATION_SECONDS: '600',
});

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
const runs = (numRuns: number): fc.Parameters<unknown> => ({
  numRuns: process.env.FC_RUNS ? Number(process.env.FC_RUNS) : numRuns,
  seed,
});
const PROPERTY_TIMEOUT_MS = 180_000;

/** A seller with a listed ticket and a buyer holding an open order for it; made once. */
const world = worldOnce(backend, { title: 'Fuzzed', price: 30 });

describe('generated bad input through the gateway', () => {
  it(
    'JSON bodies at every route: never a 5xx, 4xx in the error shape, stored state valid',
    async () => {
      const w = await world();
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...jsonRoutes),
          who,
          fc.oneof(
            hostileBody.map((b) => ({ json: b })),
            rawBody.map((text) => ({ text })),
          ),
          async (route, user, body) => {
            const resolved =
              'json' in body ? resolveIds(body.json, w) : (body as { text: string }).text;
            const res = await call(backend.stack.url, route.method, route.path(w), {
              cookie: cookieOf(w, user),
              body: typeof resolved === 'string' ? resolved : (JSON.stringify(resolved) ?? 'null'),
              headers: { 'content-type': 'application/json' },
            });
            checkAnswer(res, `${route.method} ${route.path(w)} as ${user}`);
          },
        ),
        runs(150),
      );
      await expectValidState(backend);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'ids in paths and bodies: never a 5xx, 4xx in the error shape',
    async () => {
      const w = await world();
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...idRoutes),
          hostileId.filter((id) => {
            const path = new URL(`http://gateway/api/tickets/${id}`).pathname;
            return path.startsWith('/api/tickets/');
          }),
          fc.constantFrom('ticketId', 'orderId'),
          async (route, id, field) => {
            const res = await call(backend.stack.url, route.method, `${route.prefix}${id}`, {
              cookie: cookieOf(w, route.who),
              body: route.body,
            });
            checkAnswer(res, `${route.method} ${route.prefix}${id}`);
            // The same id, decoded as far as it decodes, where a body names an entity.
            let decoded = id;
            try {
              decoded = decodeURIComponent(id);
            } catch {
              // kept raw
            }
            const inBody =
              field === 'ticketId'
                ? await call(backend.stack.url, 'POST', '/api/orders', {
                    cookie: w.buyer.cookie,
                    body: { ticketId: decoded },
                  })
                : await call(backend.stack.url, 'POST', '/api/payments', {
                    cookie: w.buyer.cookie,
                    body: { orderId: decoded, token: 'tok_chargeDeclined' },
                  });
            checkAnswer(inBody, `${field} ${JSON.stringify(decoded).slice(0, 80)}`);
          },
        ),
        runs(100),
      );
      await expectValidState(backend);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'query strings on the list routes: never a 5xx, 4xx in the error shape, at most 100 per page',
    async () => {
      const w = await world();
      const lists: Array<[string, Who]> = [
        ['/api/tickets', 'nobody'],
        ['/api/tickets/mine', 'seller'],
        ['/api/events', 'nobody'],
        [`/api/events/${w.event.id}`, 'nobody'],
        ['/api/orders', 'buyer'],
        ['/api/users/currentuser', 'buyer'],
        [`/api/tickets/${w.ticket.id}`, 'nobody'],
        ['/api/tickets/quote', 'nobody'],
        ['/api/payments/payouts', 'seller'],
      ];
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...lists), queryString, async ([path, user], query) => {
          const res = await call(backend.stack.url, 'GET', `${path}?${query}`, {
            cookie: cookieOf(w, user),
          });
          checkAnswer(res, `GET ${path}?${query}`);
          if (res.status === 200 && Array.isArray(res.body))
            expect(res.body.length).toBeLessThanOrEqual(100);
        }),
        runs(100),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'garbage cookies, content types, encodings and request ids: never a 5xx, 4xx in the error shape',
    async () => {
      const w = await world();
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...allRoutes),
          // A real session half the time, so content types and bodies reach the signed-in routes too.
          fc.oneof(hostileCookie, fc.constantFrom<Who>('seller', 'buyer')),
          contentType,
          contentEncoding,
          fc.oneof(fc.constant(undefined), printable(40), latin1),
          fc.oneof(
            fc.constant(undefined),
            hostileBody.map((b) => JSON.stringify(resolveIds(b, w)) ?? 'null'),
            rawBody,
          ),
          async (route, session, type, encoding, requestId, body) => {
            const cookie =
              session === 'seller' || session === 'buyer' ? cookieOf(w, session)! : session;
            const headers: Record<string, string> = { 'content-type': type };
            if (encoding) headers['content-encoding'] = encoding;
            if (requestId !== undefined) headers['x-request-id'] = requestId;
            const method = route.method;
            const res = await call(backend.stack.url, method, route.path(w), {
              cookie,
              headers,
              body: method === 'GET' ? undefined : (body ?? ''),
            });
            checkAnswer(
              res,
              `${method} ${route.path(w)} cookie=${cookie.slice(0, 80)} type=${type}`,
            );
            // Whatever the request claimed, the answer names a valid request id.
            expect(res.headers.get('x-request-id') ?? '').toMatch(/^[\w.:-]{1,128}$/);
          },
        ),
        runs(120),
      );
      await expectValidState(backend);
    },
    PROPERTY_TIMEOUT_MS,
  );
});

const DAY_MS = 24 * 60 * 60 * 1000;
const operator = { $gt: '' };
const badText = [undefined, '', '   ', 'x'.repeat(121), 42, null, true, ['Gala'], operator];

/** Each field of `POST /api/events` with values it must refuse (undefined: the field left out). */
const badEventFields: Array<[string, unknown[]]> = [
  ['name', badText],
  ['venue', badText],
  ['city', badText],
  [
    'startsAt',
    [
      undefined,
      '',
      'tomorrow',
      '2027-06-01',
      '2027-06-01T20:00:00',
      '2027-06-01T25:00:00Z',
      startsIn(-60_000),
      startsIn(3 * 365 * DAY_MS),
      Date.now() + DAY_MS,
      operator,
    ],
  ],
  ['timeZone', [undefined, '', 'Mars/Olympus_Mons', 'Europe/Nowhere', 42, null, { $ne: null }]],
  ['category', [undefined, '', 'opera', 7, null, ['concert'], { $in: ['concert'] }]],
];

/** Query strings each route must refuse, with the parameter the 400 must name. */
const badEventQueries: Array<[string, string]> = [
  ['page=0', 'page'],
  ['limit=abc', 'limit'],
  ['category=opera', 'category'],
  ['from=yesterday', 'from'],
  ['to=2027-06-01T20%3A00%3A00', 'to'],
  ['from=2027-06-02&to=2027-06-01', 'to'],
  ['q=a&q=b', 'q'],
  [`q=${'x'.repeat(201)}`, 'q'],
  [`city=${'x'.repeat(121)}`, 'city'],
];
const badTicketQueries: Array<[string, string]> = [
  ['sort=cheapest', 'sort'],
  ['minPrice=-1', 'minPrice'],
  ['minPrice=abc', 'minPrice'],
  ['maxPrice=1.234', 'maxPrice'],
  ['minPrice=50&maxPrice=10', 'maxPrice'],
  ['eventId=abc', 'eventId'],
  ['category=opera', 'category'],
  ['from=soon', 'from'],
  ['to=2027-13-01', 'to'],
  ['city=a&city=b', 'city'],
];
const badQuoteQueries: Array<[string, string]> = [
  ['', 'price'],
  ['price=', 'price'],
  ['price=0.49', 'price'],
  ['price=1.234', 'price'],
  ['price=1000000.01', 'price'],
  ['price=1e3', 'price'],
  ['price=a&price=b', 'price'],
];

/** A 400 in the error shape with an entry for `field`. */
function namesField(res: RawResponse, field: string): boolean {
  return (
    res.status === 400 &&
    isErrorShape(res.body) &&
    (res.body as { errors: Array<{ field?: string }> }).errors.some((e) => e.field === field)
  );
}

describe('bad input on the catalogue routes, case by case', () => {
  const url = () => backend.stack.url;

  it('POST /api/events refuses every kind of bad field with a 400 naming it, and needs a session', async () => {
    const w = await world();
    const failures: string[] = [];
    for (const [field, values] of badEventFields) {
      for (const value of values) {
        const body = { ...eventInput(), [field]: value };
        const res = await call(url(), 'POST', '/api/events', { cookie: w.seller.cookie, body });
        if (!namesField(res, field))
          failures.push(`${field} ${JSON.stringify(value)}: ${res.status} ${res.text}`);
      }
    }
    const signedOut = await call(url(), 'POST', '/api/events', { body: eventInput() });

    expect(failures).toEqual([]);
    expect(signedOut.status).toBe(401);
    await expectValidState(backend);
  });

  it('GET /api/events, GET /api/tickets and GET /api/tickets/quote refuse bad parameters with a 400 naming it', async () => {
    const failures: string[] = [];
    for (const [path, cases] of [
      ['/api/events', badEventQueries],
      ['/api/tickets', [...badEventQueries, ...badTicketQueries]],
      ['/api/tickets/quote', badQuoteQueries],
    ] as const) {
      for (const [query, field] of cases) {
        const res = await call(url(), 'GET', `${path}?${query}`);
        if (!namesField(res, field))
          failures.push(`${path}?${query.slice(0, 40)}: ${res.status} ${res.text.slice(0, 200)}`);
      }
    }

    expect(failures).toEqual([]);
  });

  it('GET /api/events/:id answers 404 in the error shape for a malformed or unknown id', async () => {
    for (const id of [
      'not-an-id',
      '123',
      'zzzzzzzzzzzzzzzzzzzzzzzz',
      '507f1f77bcf86cd79943901',
      '507f1f77bcf86cd799439011',
    ]) {
      const res = await call(url(), 'GET', `/api/events/${id}`);
      expect({ id, status: res.status, shape: isErrorShape(res.body) }).toEqual({
        id,
        status: 404,
        shape: true,
      });
    }
  });
});
