/**
 * Property-based bad input (fast-check) against the whole backend through the gateway: generated JSON
 * bodies, ids, query strings and headers are thrown at every route. Every answer must be a 2xx/3xx/4xx
 * (never 5xx), a 4xx must be in the error shape, nothing may leak a stack trace, and what the services
 * stored must still be valid per docs/architecture.md afterwards. The generators are in fuzz-inputs.ts,
 * the checks of the stored state in stored-state.ts.
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
import { expectValidState } from './stored-state';
import { SECURITY_JWT_KEY, call, checkAnswer } from './support';
import { worldOnce } from './world';

const backend = useBackend({
  JWT_KEY: SECURITY_JWT_KEY,
  // Generated sign-ins fail by the hundred; the limit itself is tested in limits.test.ts.
  SIGNIN_MAX_FAILURES: '1000000',
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
        ['/api/orders', 'buyer'],
        ['/api/users/currentuser', 'buyer'],
        [`/api/tickets/${w.ticket.id}`, 'nobody'],
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
