/**
 * What the catalogue's routes take: an event (`POST /api/events`), a listing and a listing's changes
 * (`POST` and `PUT /api/tickets`), and the filters of `GET /api/events` and `GET /api/tickets`. Every
 * bad field or parameter is a 400 naming it.
 */
import { z } from 'zod';
import {
  EventCategory,
  objectIdField,
  parseQuery,
  priceField,
  SEAT_PARTS,
  titleField,
  type TicketSort,
} from '@ticketing/common';
import { pageQuery } from './pagination.schema';

/** How far ahead an event may be listed. */
export const MAX_YEARS_AHEAD = 2;
const NAME_MAX = 120;
const SEAT_MAX = 20;
const CATEGORIES = Object.values(EventCategory).join(', ');

/** `name`, `venue`, `city`: trimmed, 1 to 120 characters. */
const eventText = (label: string) => {
  const length = `${label} must be 1 to ${NAME_MAX} characters`;
  return z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, length)
    .max(NAME_MAX, length);
};

/** The IANA name `Intl` knows `zone` by (`utc` → `UTC`), or undefined when it is no time zone. */
export function canonicalTimeZone(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

const TIME_ZONE = 'Time zone must be an IANA time zone, such as America/New_York';
const STARTS_AT =
  'Start must be an ISO date-time with a time zone offset, such as 2027-06-01T20:00:00Z';

function latestStart(now = new Date()): Date {
  const latest = new Date(now);
  latest.setUTCFullYear(latest.getUTCFullYear() + MAX_YEARS_AHEAD);
  return latest;
}

export const eventBody = z.object({
  name: eventText('Name'),
  venue: eventText('Venue'),
  city: eventText('City'),
  category: z.enum(EventCategory, { error: `Category must be one of ${CATEGORIES}` }),
  timeZone: z
    .string({ error: TIME_ZONE })
    .trim()
    .transform((zone, ctx) => {
      const canonical = canonicalTimeZone(zone);
      if (canonical) return canonical;
      ctx.addIssue({ code: 'custom', message: TIME_ZONE });
      return z.NEVER;
    }),
  startsAt: z.iso
    .datetime({ offset: true, error: STARTS_AT })
    .transform((text) => new Date(text))
    .refine((startsAt) => startsAt.getTime() > Date.now(), 'Start must be in the future')
    .refine(
      (startsAt) => startsAt <= latestStart(),
      `Start must be at most ${MAX_YEARS_AHEAD} years ahead`,
    ),
});
export type EventBody = z.infer<typeof eventBody>;

/** `section`, `row`, `seat`: trimmed, at most 20 characters; empty is none. */
const seatPart = (label: string) =>
  z
    .string({ error: `${label} must be text` })
    .trim()
    .max(SEAT_MAX, `${label} must be at most ${SEAT_MAX} characters`);
const seatParts = {
  section: seatPart('Section').optional(),
  row: seatPart('Row').optional(),
  seat: seatPart('Seat').optional(),
};

export const listingBody = z.object({
  eventId: objectIdField('eventId'),
  price: priceField,
  title: titleField.optional(),
  ...seatParts,
});
export type ListingBody = z.infer<typeof listingBody>;

/** Any of the seller's fields; `eventId` may be sent back unchanged but never changes. */
export const listingChangesBody = z
  .object({
    eventId: objectIdField('eventId').optional(),
    price: priceField.optional(),
    title: titleField.optional(),
    ...seatParts,
  })
  .refine(
    (changes) => ['price', 'title', ...SEAT_PARTS].some((field) => field in changes),
    'Send at least one of price, title, section, row and seat',
  );
export type ListingChangesBody = z.infer<typeof listingChangesBody>;

const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A `from`/`to` bound: an ISO date-time with an offset, or a date (UTC), which as `to` means through the
 * end of that day.
 */
const dateBound = (name: string, endOfDay: boolean) => {
  const message = `${name} must be a date (2027-06-01) or an ISO date-time`;
  return z.string({ error: message }).transform((text, ctx) => {
    const dateOnly = DATE_ONLY.test(text);
    const valid = dateOnly || z.iso.datetime({ offset: true }).safeParse(text).success;
    const at = valid ? new Date(dateOnly ? `${text}T00:00:00Z` : text) : undefined;
    if (!at || Number.isNaN(at.getTime())) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return dateOnly && endOfDay ? new Date(at.getTime() + DAY_MS - 1) : at;
  });
};

/** A query parameter given once, as text. */
const text = (name: string, max = 200) =>
  z
    .string({ error: `${name} must be given once, as text` })
    .trim()
    .max(max, `${name} must be at most ${max} characters`);

const eventFilters = {
  q: text('q').optional(),
  city: text('city', NAME_MAX).optional(),
  category: z.enum(EventCategory, { error: `category must be one of ${CATEGORIES}` }).optional(),
  from: dateBound('from', false).optional(),
  to: dateBound('to', true).optional(),
};

function boundsInOrder(query: { from?: Date; to?: Date }): boolean {
  return !query.from || !query.to || query.from <= query.to;
}

const eventQuery = pageQuery
  .extend(eventFilters)
  .refine(boundsInOrder, { message: 'to must not be before from', path: ['to'] });
export type EventQuery = z.infer<typeof eventQuery>;

const PRICE_PARAM = /^\d{1,7}(\.\d{1,2})?$/;
const priceParam = (name: string) => {
  const message = `${name} must be a price in dollars, such as 25 or 19.99`;
  return z.string({ error: message }).regex(PRICE_PARAM, message).transform(Number);
};

/** `GET /api/tickets/quote?price=`: an ask a seller might list at. */
const quoteQuery = z.object({
  price: z
    .string({ error: 'price is required, in dollars, such as 25 or 19.99' })
    .regex(PRICE_PARAM, 'price must be a price in dollars, such as 25 or 19.99')
    .transform(Number)
    .pipe(priceField),
});
export type QuoteQuery = z.infer<typeof quoteQuery>;

export function parseQuoteQuery(query: unknown): QuoteQuery {
  return parseQuery(quoteQuery, query);
}

const SORTS = ['price', '-price', 'date', 'newest'] as const satisfies readonly TicketSort[];

const ticketQuery = pageQuery
  .extend({
    ...eventFilters,
    eventId: objectIdField('eventId').optional(),
    minPrice: priceParam('minPrice').optional(),
    maxPrice: priceParam('maxPrice').optional(),
    sort: z.enum(SORTS, { error: `sort must be one of ${SORTS.join(', ')}` }).default('newest'),
  })
  .refine(boundsInOrder, { message: 'to must not be before from', path: ['to'] })
  .refine(
    (query) =>
      query.minPrice === undefined ||
      query.maxPrice === undefined ||
      query.minPrice <= query.maxPrice,
    { message: 'maxPrice must not be below minPrice', path: ['maxPrice'] },
  );
export type TicketQuery = z.infer<typeof ticketQuery>;

const FILTERS = new Set([...Object.keys(eventFilters), 'eventId', 'minPrice', 'maxPrice', 'sort']);

/** A search form sends its empty fields too (`?city=&category=`): an empty filter is no filter. */
function withoutBlankFilters(query: unknown): unknown {
  if (!query || typeof query !== 'object') return query;
  return Object.fromEntries(
    Object.entries(query).filter(
      ([name, value]) => !(FILTERS.has(name) && typeof value === 'string' && value.trim() === ''),
    ),
  );
}

export function parseEventQuery(query: unknown): EventQuery {
  return parseQuery(eventQuery, withoutBlankFilters(query));
}

export function parseTicketQuery(query: unknown): TicketQuery {
  return parseQuery(ticketQuery, withoutBlankFilters(query));
}
