/**
 * The fuzz suite's generators (fast-check): hostile JSON values and bodies, raw texts that are not always
 * JSON, ids for paths and bodies, query strings, session cookies, content types and encodings; and the
 * routes they are thrown at, as whom. Ids that mean something to the stack (the world's event, ticket,
 * order, seller) are placeholders until `resolveIds` fills them in.
 */
import fc from 'fast-check';
import { EventCategory } from '@ticketing/common';
import { startsIn } from '../catalogue-fixtures';
import { SECURITY_JWT_KEY, forgeJwt, nowSeconds, sessionCookie } from './support';
import type { World } from './world';

export type Who = 'seller' | 'buyer' | 'nobody';
export const cookieOf = (w: World, who: Who) =>
  who === 'nobody' ? undefined : who === 'seller' ? w.seller.cookie : w.buyer.cookie;

/** Ids that mean something to the stack; filled in once the world exists (generators are lazy). */
const knownId = fc.constantFrom<(w: World) => string>(
  (w) => w.event.id,
  (w) => w.ticket.id,
  (w) => w.order.id,
  (w) => w.seller.id,
  () => '507f1f77bcf86cd799439011',
);

const operators = fc.constantFrom<unknown>(
  { $gt: '' },
  { $ne: null },
  { $where: 'sleep(1000)' },
  { $regex: '.*' },
  { $in: [] },
  { $exists: true },
  { $oid: '507f1f77bcf86cd799439011' },
  { _bsontype: 'ObjectId', id: 'x' },
  { toString: 'x', valueOf: 1 },
  { constructor: { prototype: { admin: true } } },
);

const oddNumbers = fc.constantFrom(
  0,
  -0,
  -1,
  0.49,
  0.5,
  19.999,
  1_000_000,
  1_000_000.01,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  5e-324,
);

const oddStrings = fc.constantFrom(
  '',
  ' ',
  'tok_visa',
  'tok_chargeDeclined',
  'correct horse',
  'a@b.c',
  '\u0000',
  '\ud800',
  '<script>alert(1)</script>',
  "'; db.dropDatabase(); '",
  '507f1f77bcf86cd799439011',
  'x'.repeat(201),
  '1e3',
  '12',
);

/** Any JSON-able value, with operators, odd numbers and strings mixed in at every depth. */
const { value: hostileValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    oddNumbers,
    oddStrings,
    operators,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 10 }), tie('value'), { maxKeys: 4 }),
  ),
}));

/** Mostly `good`, sometimes any hostile value: bodies that get past validation now and then. */
const mostly = <T>(good: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: hostileValue });

const DAY_MS = 24 * 60 * 60 * 1000;
/** Starts from yesterday to three years ahead (past two years is refused), sometimes with an offset. */
const startsAt = fc.oneof(
  fc.integer({ min: -DAY_MS, max: 3 * 365 * DAY_MS }).map(startsIn),
  fc.constantFrom('2027-06-01T20:00:00+02:00', '2027-06-01T20:00:00-05:30', '2027-06-01T20:00:00'),
);
const eventText = fc.oneof(
  fc.string({ minLength: 1, maxLength: 130 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
);
const seatText = fc.string({ maxLength: 24 });

/** A `POST /api/events` body, each field usually plausible. */
const eventBody = fc.record({
  name: mostly(eventText),
  venue: mostly(eventText),
  city: mostly(eventText),
  startsAt: mostly(startsAt),
  timeZone: mostly(
    fc.constantFrom('Europe/Paris', 'America/New_York', 'UTC', 'utc', 'Mars/Olympus_Mons', ''),
  ),
  category: mostly(fc.constantFrom(...Object.values(EventCategory), 'opera', '')),
});

/** A `POST`/`PUT /api/tickets` body for the world's event, each field usually plausible. */
const listingBody = fc.record(
  {
    eventId: mostly(
      fc.oneof(
        fc.constant((w: World) => w.event.id),
        knownId,
      ),
    ),
    price: mostly(fc.integer({ min: 50, max: 100_000_000 }).map((cents) => cents / 100)),
    title: mostly(fc.string({ minLength: 1, maxLength: 40 })),
    section: mostly(seatText),
    row: mostly(seatText),
    seat: mostly(seatText),
  },
  { requiredKeys: ['eventId', 'price'] },
);

/** A body: mostly the routes' own field names with hostile values, sometimes anything at all. */
export const hostileBody = fc.oneof(
  eventBody,
  listingBody,
  fc.record(
    {
      // Plausible titles and prices now and then, so bodies also get past validation into the handlers.
      title: fc.oneof(hostileValue, fc.string({ minLength: 1, maxLength: 40 })),
      price: fc.oneof(
        hostileValue,
        fc.integer({ min: 50, max: 100_000_000 }).map((cents) => cents / 100),
      ),
      eventId: fc.oneof(hostileValue, knownId),
      section: hostileValue,
      ticketId: fc.oneof(hostileValue, knownId),
      orderId: fc.oneof(hostileValue, knownId),
      token: hostileValue,
      email: hostileValue,
      password: hostileValue,
      currentPassword: hostileValue,
      newPassword: hostileValue,
      userId: hostileValue,
      status: fc.oneof(hostileValue, fc.constantFrom('sold', 'complete', 'available')),
      version: hostileValue,
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue(),
  hostileValue,
);

/** Texts that are not always JSON: broken JSON, prototype keys, deep nesting, plain garbage. */
export const rawBody = fc.oneof(
  fc.string(),
  fc.json(),
  fc.constantFrom(
    '{"__proto__":{"admin":true},"title":"Proto","price":10}',
    '{"constructor":{"prototype":{"admin":true}}}',
    '{"title":"a","title":{"$gt":""},"price":1}',
    '{',
    '[',
    'null',
    '"x"',
    '1e99999',
    '{"price":1e99999,"title":"x"}',
    `${'['.repeat(5000)}${']'.repeat(5000)}`,
    `{"a":${'{"a":'.repeat(2000)}1${'}'.repeat(2001)}`,
    '\ufeff{"title":"bom","price":1}',
  ),
);

interface JsonRoute {
  method: string;
  path: (w: World) => string;
}
export const jsonRoutes: JsonRoute[] = [
  { method: 'POST', path: () => '/api/users/signup' },
  { method: 'POST', path: () => '/api/users/signin' },
  { method: 'POST', path: () => '/api/users/signout' },
  { method: 'PUT', path: () => '/api/users/password' },
  { method: 'POST', path: () => '/api/events' },
  { method: 'POST', path: () => '/api/tickets' },
  { method: 'PUT', path: (w) => `/api/tickets/${w.ticket.id}` },
  { method: 'POST', path: () => '/api/orders' },
  { method: 'DELETE', path: (w) => `/api/orders/${w.order.id}` },
  { method: 'POST', path: () => '/api/payments' },
  { method: 'PUT', path: () => '/api/payments/account' },
];
/** The routes that take a body, and every route that reads. */
export const allRoutes: JsonRoute[] = [
  ...jsonRoutes,
  ...[
    () => '/api/users/currentuser',
    () => '/api/tickets',
    () => '/api/tickets/mine',
    (w: World) => `/api/tickets/${w.ticket.id}`,
    () => '/api/events',
    (w: World) => `/api/events/${w.event.id}`,
    () => '/api/orders',
    (w: World) => `/api/orders/${w.order.id}`,
    () => '/api/tickets/quote?price=40',
    () => '/api/payments/payouts',
    () => '/api/payments/account',
  ].map((path) => ({ method: 'GET', path })),
];
export const who = fc.constantFrom<Who>('seller', 'buyer', 'nobody');

/** Path ids: arbitrary (encoded) unicode, raw %-garbage, very long, almost-ids. */
export const hostileId = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }).map(encodeURIComponent),
  fc.string({ unit: 'grapheme', maxLength: 40 }).map(encodeURIComponent),
  fc
    .array(
      fc.oneof(
        fc.constantFrom('%', '%2', '%zz', '%00', '%FF', '%C0%AF', '%2F', '%25', '%E2%82', '%u0000'),
        fc.stringMatching(/^[0-9a-fA-F]{1,6}$/),
      ),
      { maxLength: 10 },
    )
    .map((parts) => parts.join('')),
  fc.integer({ min: 100, max: 6000 }).map((n) => 'a'.repeat(n)),
  fc.stringMatching(/^[0-9a-f]{24}$/),
  fc.stringMatching(/^[0-9a-fA-F]{12,30}$/),
  fc.constantFrom('null', 'undefined', 'NaN', '0', '-1', '[object Object]', '$gt', 'constructor'),
);

export const idRoutes: Array<{ method: string; prefix: string; who: Who; body?: unknown }> = [
  { method: 'GET', prefix: '/api/events/', who: 'nobody' },
  { method: 'GET', prefix: '/api/tickets/', who: 'nobody' },
  { method: 'PUT', prefix: '/api/tickets/', who: 'seller', body: { title: 'Renamed', price: 31 } },
  { method: 'GET', prefix: '/api/orders/', who: 'buyer' },
  { method: 'DELETE', prefix: '/api/orders/', who: 'buyer' },
];

const queryKey = fc.oneof(
  fc.constantFrom('page', 'limit', 'page[]', 'limit[]', 'page[$gt]', '__proto__', 'constructor'),
  // The catalogue's filters (GET /api/tickets takes all, GET /api/events the first five).
  fc.constantFrom('q', 'city', 'category', 'from', 'to', 'eventId', 'minPrice', 'maxPrice', 'sort'),
  // GET /api/tickets/quote's one parameter.
  fc.constantFrom('price', 'price[]', 'price[$gt]'),
  fc.constantFrom('q[]', 'city[$ne]', 'sort[0]', 'minPrice[$gt]'),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
);
const queryValue = fc.oneof(
  fc.integer().map(String),
  fc.double().map(String),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
  fc.constantFrom(
    '',
    '%',
    '%zz',
    '01',
    '1e3',
    '0x10',
    '-1',
    '0',
    '100001',
    '99999999999999999999',
    'Infinity',
    '%20 1',
  ),
  fc.constantFrom(
    'concert',
    'opera',
    'price',
    '-price',
    'date',
    'newest',
    '2027-06-01',
    '2027-13-01',
    '2027-06-01T20%3A00%3A00Z',
    '2027-06-01T20%3A00%3A00%2B02%3A00',
    '19.99',
    '19.999',
    '.*',
    '(a%2B)%2B%24',
    '%24where',
    '507f1f77bcf86cd799439011',
  ),
);
export const queryString = fc
  .array(
    fc.oneof(
      fc.tuple(queryKey, queryValue).map(([k, v]) => `${k}=${v}`),
      queryKey,
    ),
    { maxLength: 6 },
  )
  .map((pairs) => pairs.join('&'));

export const printable = (maxLength: number) =>
  fc.string({ unit: 'binary-ascii', maxLength }).map((s) => s.replace(/[^\x20-\x7e]/g, ''));
export const latin1 = fc
  .array(
    fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f),
    { maxLength: 30 },
  )
  .map((codes) => String.fromCharCode(...codes));

export const hostileCookie = fc.oneof(
  printable(60).map((s) => `session=${s}`),
  hostileValue.map((v) => `session=${Buffer.from(JSON.stringify(v) ?? '').toString('base64')}`),
  hostileValue.map((v) => sessionCookie(v)),
  // Correctly signed with the stack key but with payloads of every type: only {id, email} strings count.
  fc
    .record(
      {
        id: hostileValue,
        email: hostileValue,
        exp: fc.oneof(hostileValue, fc.constant(nowSeconds() + 600)),
      },
      { requiredKeys: [] },
    )
    .map((payload) => sessionCookie(forgeJwt({ payload, key: SECURITY_JWT_KEY }))),
  fc.constantFrom(
    'session=a; session=b',
    'session=',
    'session',
    '=',
    ';;;',
    `session=${'A'.repeat(6000)}`,
    'session.sig=abc',
  ),
  latin1.map((s) => `session=${s}`),
);

export const contentType = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=utf-16',
    'application/json; charset=latin1',
    'application/json; charset=bogus',
    'application/json;;;',
    'application/vnd.api+json',
    'application/*',
    '*/*',
    'text/plain',
    'text/html',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
  ),
  printable(40),
);
export const contentEncoding = fc.constantFrom<string | undefined>(
  undefined,
  undefined,
  'gzip',
  'deflate',
  'br',
  'identity',
  'bogus',
);

/** Known-id placeholders (functions from the generators) become the world's real ids. */
export function resolveIds(value: unknown, w: World): unknown {
  if (typeof value === 'function') return (value as (w: World) => string)(w);
  if (Array.isArray(value)) return value.map((v) => resolveIds(v, w));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveIds(v, w);
    return out;
  }
  return value;
}
