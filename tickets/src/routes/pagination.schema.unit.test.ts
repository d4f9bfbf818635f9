/**
 * parsePage: the listing's page and limit have defaults, the limit is capped, and anything but a
 * whole number from 1 is refused.
 */
import { describe, expect, it } from '@jest/globals';
import { RequestValidationError } from '@ticketing/common';
import { DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE, parsePage } from './pagination.schema';

describe('parsePage', () => {
  it('defaults to the first page of 20', () => {
    expect(parsePage({})).toEqual({ page: 1, limit: DEFAULT_PAGE_SIZE });
  });

  it('reads whole numbers', () => {
    expect(parsePage({ page: '3', limit: '7' })).toEqual({ page: 3, limit: 7 });
  });

  it('caps the limit at 100', () => {
    expect(parsePage({ limit: '101' }).limit).toBe(MAX_PAGE_SIZE);
    expect(parsePage({ limit: '99999999999999999999' }).limit).toBe(MAX_PAGE_SIZE);
  });

  it('accepts the last allowed page', () => {
    expect(parsePage({ page: String(MAX_PAGE) }).page).toBe(MAX_PAGE);
  });

  it.each([
    ['0'],
    ['-1'],
    ['abc'],
    ['10.5'],
    ['1e3'],
    [' 1'],
    ['01'],
    [''],
    [['1', '2']],
    [String(MAX_PAGE + 1)],
  ])('refuses page %p', (page) => {
    expect(() => parsePage({ page })).toThrow(RequestValidationError);
  });

  it.each([['0'], ['-1'], ['abc'], ['10.5'], [['5']]])('refuses limit %p', (limit) => {
    expect(() => parsePage({ limit })).toThrow(RequestValidationError);
  });
});
