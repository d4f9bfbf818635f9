/**
 * The `?page=&limit=` query of the listing routes: both optional (page 1, 20 per page), a `limit` over 100
 * is capped. Anything but a whole number from 1 (`0`, `-1`, `abc`, `10.5`, a repeated parameter) is a 400.
 */
import { z } from 'zod';
import { parseQuery } from '@ticketing/common';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** Skip-based pages: beyond this the skip is large enough to cost the database real work. */
export const MAX_PAGE = 100_000;

const PAGE = `page must be a whole number from 1 to ${MAX_PAGE}`;
const LIMIT = 'limit must be a whole number of at least 1';
/** Digits only, no sign, no leading zero: `Number()` alone would take ` 1`, `1e3` and `0x10`. */
const WHOLE_NUMBER = /^[1-9]\d*$/;

const wholeNumber = (message: string) =>
  z.string({ error: message }).regex(WHOLE_NUMBER, message).transform(Number);

/** The paging parameters; the catalogue's queries extend them with their filters. */
export const pageQuery = z.object({
  page: wholeNumber(PAGE)
    .refine((page) => page <= MAX_PAGE, PAGE)
    .default(1),
  limit: wholeNumber(LIMIT)
    .transform((limit) => Math.min(limit, MAX_PAGE_SIZE))
    .default(DEFAULT_PAGE_SIZE),
});

export type Page = z.infer<typeof pageQuery>;

/** `req.query` → the page to read, or a 400 naming each bad parameter. */
export function parsePage(query: unknown): Page {
  return parseQuery(pageQuery, query);
}
