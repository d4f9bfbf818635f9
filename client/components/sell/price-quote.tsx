'use client';
import { useEffect, useState } from 'react';
import { browserApi } from '@/lib/api/browser';
import type { Quote } from '@/lib/api/types';
import { formatPrice } from '@/lib/format';
import { checkPrice } from '@/lib/listing-input';

/** How long the price must stay unchanged before it is quoted: one request per pause, not per key. */
export const QUOTE_DELAY_MS = 300;

/**
 * The tickets service's quote for the price as typed, once it is a valid price and has stayed the same
 * for QUOTE_DELAY_MS; null before that, for an invalid or empty price, and when the quote failed. The
 * fees are the service's to compute (its schedule is configuration), so the browser never guesses them.
 */
export function usePriceQuote(price: string): Quote | null {
  const [latest, setLatest] = useState<{ price: string; quote: Quote } | null>(null);
  const valid = checkPrice(price).length === 0;

  useEffect(() => {
    if (!valid) return;
    // An answer for a price the seller has since changed is dropped.
    let current = true;
    const timer = setTimeout(() => {
      browserApi.quote(Number(price.trim())).then(
        (quote) => {
          if (current) setLatest({ price, quote });
        },
        // No quote is no reason to stop a seller listing: the form works without it.
        () => undefined,
      );
    }, QUOTE_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [price, valid]);

  return valid && latest?.price === price ? latest.quote : null;
}

/**
 * Beside a seller's price input: what buyers will pay for it and what the seller will receive, updated
 * as they type ("Buyers pay $45.50 · You receive $38.00"); a neutral line until there is a quote.
 */
export function PriceQuote({ price }: { price: string }) {
  const quote = usePriceQuote(price);
  return (
    <span className="d-block" aria-live="polite" data-testid="price-quote">
      {quote ? (
        <strong className="text-body">
          Buyers pay {formatPrice(quote.total)} · You receive {formatPrice(quote.payout)}
        </strong>
      ) : (
        'Buyers pay your price plus a service fee; you receive it less a seller fee.'
      )}
    </span>
  );
}
