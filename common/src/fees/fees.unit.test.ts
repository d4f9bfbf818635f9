/**
 * The fee arithmetic, by example (the figures) and by property over every valid ask and schedule.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { loadConfig } from '../config';
import { PRICE_MAX, PRICE_MIN, toCents } from '../middlewares/validators';
import {
  DEFAULT_FEES,
  askRangeForTotal,
  feeConfigSchema,
  feeSchedule,
  priceBreakdown,
  sellerProceeds,
  type FeeSchedule,
} from './fees';

/** Any valid ask, in dollars with at most 2 decimals. */
const ask = fc
  .integer({ min: toCents(PRICE_MIN), max: toCents(PRICE_MAX) })
  .map((cents) => cents / 100);
/** Any schedule the configuration accepts. */
const schedule: fc.Arbitrary<FeeSchedule> = fc.record({
  buyerFeeBasisPoints: fc.integer({ min: 0, max: 10_000 }),
  buyerFeeFixedCents: fc.integer({ min: 0, max: 100_000 }),
  sellerFeeBasisPoints: fc.integer({ min: 0, max: 10_000 }),
});
/** Dollars that are a whole number of cents once read back (no binary rounding residue). */
const isCents = (value: number) => Number.isInteger(value * 100) || toCents(value) / 100 === value;

describe('priceBreakdown and sellerProceeds with the default fees', () => {
  it.each([
    [40, { price: 40, fee: 5.5, total: 45.5 }, { price: 40, fee: 2, amount: 38 }],
    [0.5, { price: 0.5, fee: 1.55, total: 2.05 }, { price: 0.5, fee: 0.03, amount: 0.47 }],
    [19.99, { price: 19.99, fee: 3.5, total: 23.49 }, { price: 19.99, fee: 1, amount: 18.99 }],
    [
      999_999.99,
      { price: 999_999.99, fee: 100_001.5, total: 1_100_001.49 },
      { price: 999_999.99, fee: 50_000, amount: 949_999.99 },
    ],
  ])('$%s: the buyer pays %j and the seller receives %j', (price, buyer, seller) => {
    expect(priceBreakdown(price, DEFAULT_FEES)).toEqual(buyer);
    expect(sellerProceeds(price, DEFAULT_FEES)).toEqual(seller);
  });

  it('rounds half a cent up: 5 % of $0.10 is $0.01, 10 % of $0.05 is $0.01', () => {
    const percentOnly = { ...DEFAULT_FEES, buyerFeeFixedCents: 0 };
    expect(sellerProceeds(0.1, DEFAULT_FEES).fee).toBe(0.01);
    expect(priceBreakdown(0.05, percentOnly).fee).toBe(0.01);
    expect(priceBreakdown(0.04, percentOnly).fee).toBe(0);
  });
});

describe('fee properties, over every valid ask and schedule', () => {
  it('total = ask + fee to the cent, nothing negative, every part whole cents', () => {
    fc.assert(
      fc.property(ask, schedule, (price, fees) => {
        const { price: shown, fee, total } = priceBreakdown(price, fees);
        expect(shown).toBe(price);
        expect(toCents(total)).toBe(toCents(price) + toCents(fee));
        expect(fee).toBeGreaterThanOrEqual(0);
        expect(total).toBeGreaterThanOrEqual(price);
        for (const part of [fee, total]) expect(isCents(part)).toBe(true);
      }),
    );
  });

  it('payout + seller fee = ask to the cent, the payout never negative, every part whole cents', () => {
    fc.assert(
      fc.property(ask, schedule, (price, fees) => {
        const { fee, amount } = sellerProceeds(price, fees);
        expect(toCents(amount) + toCents(fee)).toBe(toCents(price));
        expect(amount).toBeGreaterThanOrEqual(0);
        expect(fee).toBeGreaterThanOrEqual(0);
        for (const part of [fee, amount]) expect(isCents(part)).toBe(true);
      }),
    );
  });

  it('the fee is the percentage rounded half up, plus the fixed fee', () => {
    fc.assert(
      fc.property(ask, schedule, (price, fees) => {
        const exact = (toCents(price) * fees.buyerFeeBasisPoints) / 10_000;
        const percentPart = toCents(priceBreakdown(price, fees).fee) - fees.buyerFeeFixedCents;
        expect(percentPart - exact).toBeGreaterThan(-0.5);
        expect(percentPart - exact).toBeLessThanOrEqual(0.5);
      }),
    );
  });

  it('askRangeForTotal gives exactly the asks whose total is within the bound', () => {
    fc.assert(
      fc.property(ask, ask, schedule, (price, bound, fees) => {
        const total = priceBreakdown(price, fees).total;
        const { atMost, atLeast } = askRangeForTotal(bound, fees);
        expect(price <= atMost).toBe(total <= bound);
        expect(price >= atLeast).toBe(total >= bound);
      }),
    );
  });
});

describe('feeConfigSchema', () => {
  it('defaults to 10 % + $1.50 for the buyer and 5 % for the seller', () => {
    expect(feeSchedule(loadConfig(feeConfigSchema, {}))).toEqual({
      buyerFeeBasisPoints: 1000,
      buyerFeeFixedCents: 150,
      sellerFeeBasisPoints: 500,
    });
  });

  it('reads fractional percentages and fixed fees exactly', () => {
    const env = { BUYER_FEE_PERCENT: '12.5', BUYER_FEE_FIXED: '0.99', SELLER_FEE_PERCENT: '0' };
    expect(feeSchedule(loadConfig(feeConfigSchema, env))).toEqual({
      buyerFeeBasisPoints: 1250,
      buyerFeeFixedCents: 99,
      sellerFeeBasisPoints: 0,
    });
  });

  it.each([
    ['BUYER_FEE_PERCENT', '-1'],
    ['BUYER_FEE_PERCENT', '101'],
    ['BUYER_FEE_PERCENT', '2.555'],
    ['BUYER_FEE_PERCENT', 'ten'],
    ['BUYER_FEE_FIXED', '-0.5'],
    ['BUYER_FEE_FIXED', '1.505'],
    ['SELLER_FEE_PERCENT', '150'],
  ])('refuses %s=%s at start, naming it', (name, value) => {
    expect(() => loadConfig(feeConfigSchema, { [name]: value })).toThrow(new RegExp(name));
  });
});
