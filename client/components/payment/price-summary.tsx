import type { PriceBreakdown } from '@/lib/api/types';
import { formatPrice } from '@/lib/format';

/**
 * What the buyer is about to pay, just above the pay button: the ticket's price and the service fee,
 * then the total, larger and bold (US FTC rule 16 CFR 464: the total more prominent than its parts).
 */
export function PriceSummary({ amount }: { amount: PriceBreakdown }) {
  return (
    <dl className="row mx-0 border-top pt-3 mb-3" data-testid="price-summary">
      <dt className="col-7 px-0 fw-normal">Ticket price</dt>
      <dd className="col-5 px-0 text-end mb-1">{formatPrice(amount.price)}</dd>
      <dt className="col-7 px-0 fw-normal">Service fee</dt>
      <dd className="col-5 px-0 text-end mb-1">{formatPrice(amount.fee)}</dd>
      <dt className="col-7 px-0 fs-5">Total</dt>
      <dd className="col-5 px-0 text-end fs-5 fw-bold mb-0">{formatPrice(amount.total)}</dd>
    </dl>
  );
}

/** The breakdown, then the submit button that states the total: "Pay $45.50". */
export function PayButton({
  amount,
  submitting,
  disabled,
}: {
  amount: PriceBreakdown;
  submitting: boolean;
  disabled: boolean;
}) {
  return (
    <>
      <PriceSummary amount={amount} />
      <button type="submit" className="btn btn-success btn-lg w-100" disabled={disabled}>
        {submitting ? 'Paying…' : `Pay ${formatPrice(amount.total)}`}
      </button>
    </>
  );
}
