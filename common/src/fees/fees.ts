/**
 * The marketplace's fees: one schedule, read from the same configuration by every service that shows or
 * charges a price, and the pure arithmetic over it. Money is computed in integer cents and rounded half
 * up, so a breakdown's parts always add up to the cent; the API shows dollars.
 */
import { z } from 'zod';
import { toCents } from '../middlewares/validators';

/** The fee schedule as services use it: percentages in basis points, the fixed fee in cents. */
export interface FeeSchedule {
  /** The buyer's fee per ticket, in basis points of the ask (1000 = 10 %). */
  buyerFeeBasisPoints: number;
  /** The buyer's fixed fee per ticket, in cents. */
  buyerFeeFixedCents: number;
  /** The seller's fee, in basis points of the ask, kept from the payout. */
  sellerFeeBasisPoints: number;
}

/** What a buyer pays for a ticket: the seller's ask, the buyer's fee, and their sum. Dollars. */
export interface PriceBreakdown {
  price: number;
  fee: number;
  total: number;
}

/** What the seller of a ticket receives: the ask, the seller's fee, and the payout. Dollars. */
export interface SellerProceeds {
  price: number;
  fee: number;
  amount: number;
}

const twoDecimals = (value: number) => Math.abs(Math.round(value * 100) - value * 100) < 1e-6;

const percent = (description: string, fallback: number) =>
  z.coerce
    .number()
    .min(0)
    .max(100)
    .refine(twoDecimals, { message: 'must have at most 2 decimals' })
    .default(fallback)
    .describe(description);

/** The fee variables, shared by tickets, orders and payments (one ConfigMap in Kubernetes). */
export const feeConfigSchema = z.object({
  BUYER_FEE_PERCENT: percent("Buyer's fee per ticket, percent of the ask (0–100)", 10),
  BUYER_FEE_FIXED: z.coerce
    .number()
    .min(0)
    .max(1000)
    .refine(twoDecimals, { message: 'must be dollars with at most 2 decimals' })
    .default(1.5)
    .describe("Buyer's fixed fee per ticket, dollars (0–1,000)"),
  SELLER_FEE_PERCENT: percent("Seller's fee, percent of the ask, kept from the payout (0–100)", 5),
});

export type FeeConfig = z.infer<typeof feeConfigSchema>;

/** The schedule the fee variables describe. */
export function feeSchedule(config: FeeConfig): FeeSchedule {
  return {
    buyerFeeBasisPoints: Math.round(config.BUYER_FEE_PERCENT * 100),
    buyerFeeFixedCents: toCents(config.BUYER_FEE_FIXED),
    sellerFeeBasisPoints: Math.round(config.SELLER_FEE_PERCENT * 100),
  };
}

/** The schedule with every default: 10 % + $1.50 for the buyer, 5 % for the seller. */
export const DEFAULT_FEES: FeeSchedule = feeSchedule(feeConfigSchema.parse({}));

/** `basisPoints` of `cents`, rounded half up to the cent; exact (every operand is an integer < 2^53). */
function shareOf(cents: number, basisPoints: number): number {
  return Math.floor((cents * basisPoints + 5_000) / 10_000);
}

const dollars = (cents: number) => cents / 100;

/** What the buyer of a ticket asked at `price` dollars pays, and why. */
export function priceBreakdown(price: number, fees: FeeSchedule): PriceBreakdown {
  const cents = toCents(price);
  const fee = shareOf(cents, fees.buyerFeeBasisPoints) + fees.buyerFeeFixedCents;
  return { price: dollars(cents), fee: dollars(fee), total: dollars(cents + fee) };
}

/** What the seller of a ticket sold at `price` dollars receives, and what is kept. */
export function sellerProceeds(price: number, fees: FeeSchedule): SellerProceeds {
  const cents = toCents(price);
  const fee = shareOf(cents, fees.sellerFeeBasisPoints);
  return { price: dollars(cents), fee: dollars(fee), amount: dollars(cents - fee) };
}

/**
 * The highest ask whose total is at most `total` dollars (null when even the lowest ask costs more),
 * and the lowest ask whose total is at least it: a buyer's price filter is on what they pay, and the
 * total grows with the ask, so it becomes a range of asks.
 */
export function askRangeForTotal(
  total: number,
  fees: FeeSchedule,
): { atMost: number; atLeast: number } {
  const target = toCents(total);
  const totalOf = (ask: number) =>
    ask + shareOf(ask, fees.buyerFeeBasisPoints) + fees.buyerFeeFixedCents;
  // The smallest ask whose total exceeds the target, by bisection over cents (totalOf is monotonic).
  const firstAbove = (limit: number) => {
    let low = 0;
    let high = Math.max(limit, 1);
    while (totalOf(high) <= limit) high *= 2;
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      if (totalOf(mid) > limit) high = mid;
      else low = mid + 1;
    }
    return low;
  };
  return { atMost: dollars(firstAbove(target) - 1), atLeast: dollars(firstAbove(target - 1)) };
}
