import { RequestValidationError, type SerializedError } from '@ticketing/common';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** Skip-based pages: beyond this the skip is large enough to cost the database real work. */
export const MAX_PAGE = 100_000;

export interface Page {
  page: number;
  limit: number;
}

const WHOLE_NUMBER = /^[1-9]\d*$/;

function readWholeNumber(value: unknown): number | undefined {
  return typeof value === 'string' && WHOLE_NUMBER.test(value) ? Number(value) : undefined;
}

/**
 * `?page=&limit=` → the page to read. Both optional (page 1, 20 per page); a `limit` over 100 is capped.
 * Anything but a whole number from 1 (`0`, `-1`, `abc`, `10.5`, a repeated parameter) is a 400.
 */
export function parsePage(query: Record<string, unknown>): Page {
  const errors: SerializedError[] = [];
  let page = 1;
  let limit = DEFAULT_PAGE_SIZE;
  if (query.page !== undefined) {
    const value = readWholeNumber(query.page);
    if (value === undefined || value > MAX_PAGE) {
      errors.push({ message: `page must be a whole number from 1 to ${MAX_PAGE}`, field: 'page' });
    } else {
      page = value;
    }
  }
  if (query.limit !== undefined) {
    const value = readWholeNumber(query.limit);
    if (value === undefined) {
      errors.push({ message: 'limit must be a whole number of at least 1', field: 'limit' });
    } else {
      limit = Math.min(value, MAX_PAGE_SIZE);
    }
  }
  if (errors.length > 0) throw new RequestValidationError(errors);
  return { page, limit };
}
