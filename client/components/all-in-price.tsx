import type { ReactNode } from 'react';
import type { PriceBreakdown } from '@/lib/api/types';
import { formatFeesIncluded, formatPrice } from '@/lib/format';

/**
 * How big the total is and how much smaller its fees are beside it. The total always leads and is the
 * larger (US FTC rule 16 CFR 464: the price with every mandatory fee more prominent than any part of it).
 */
const SIZES = {
  /** A ticket's or an order's own page. */
  lg: { total: 'display-6', fees: 'fs-6' },
  /** A card in a list. */
  md: { total: 'fs-4 fw-semibold', fees: 'fs-6 fw-normal' },
  /** A cell of a table: the fees on a line of their own below. */
  sm: { total: 'fw-semibold', fees: 'd-block small fw-normal' },
  /** Within a sentence ("2 tickets · from $45.50 incl. fees"): the total as big as the text around it. */
  inline: { total: '', fees: 'small fw-normal' },
} as const;

interface AllInPriceProps {
  /**
   * What a buyer pays (never the ask alone) and its fees. Without the fee — the lowest of several
   * listings' totals — it says "incl. fees".
   */
  amount: Pick<PriceBreakdown, 'total'> & { fee?: number };
  size?: keyof typeof SIZES;
  /** Wraps the total (a link to the ticket, say); the fees stay outside it. */
  renderTotal?: (text: string) => ReactNode;
  testId?: string;
}

/**
 * The one way a buyer's price is shown: the total they pay, first and prominent, and "incl. $X fees"
 * smaller beside it. Every list, card and page that shows a buyer a price uses this.
 */
export function AllInPrice({ amount, size = 'md', renderTotal, testId }: AllInPriceProps) {
  const classes = SIZES[size];
  const total = formatPrice(amount.total);
  return (
    <span data-testid={testId}>
      <span className={classes.total || undefined}>{renderTotal ? renderTotal(total) : total}</span>{' '}
      <span className={`${classes.fees} text-body-secondary`}>
        {amount.fee === undefined ? 'incl. fees' : formatFeesIncluded(amount.fee)}
      </span>
    </span>
  );
}
