/**
 * The shared field rules: which prices are valid, dollars to cents without rounding errors, and
 * which values are entity ids.
 */
import { describe, expect, it } from '@jest/globals';
import { isObjectId, isValidPrice, toCents } from './validators';

describe('isValidPrice', () => {
  it.each([0.5, 1, 19.99, 20.1, 1_000_000])('accepts %p', (price) => {
    expect(isValidPrice(price)).toBe(true);
  });

  it.each([
    0,
    -5,
    0.49,
    19.999,
    1_000_000.01,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    '12',
    'abc',
    null,
    undefined,
    {},
  ])('refuses %p', (price) => {
    expect(isValidPrice(price)).toBe(false);
  });
});

describe('toCents', () => {
  it('converts dollars to integer cents without binary rounding errors', () => {
    expect(toCents(19.99)).toBe(1999);
    expect(toCents(0.5)).toBe(50);
    expect(toCents(1_000_000)).toBe(100_000_000);
  });
});

describe('isObjectId', () => {
  it('accepts a 24-hex id and refuses anything else', () => {
    expect(isObjectId('507f1f77bcf86cd799439011')).toBe(true);
    expect(isObjectId('not-an-id')).toBe(false);
    expect(isObjectId('507f1f77bcf86cd79943901')).toBe(false);
    expect(isObjectId({ $gt: '' })).toBe(false);
    expect(isObjectId(42)).toBe(false);
  });
});
