'use client';
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { browserApi } from '@/lib/api/browser';
import { toApiError } from '@/lib/api/errors';
import { retryWhileNotFound } from '@/lib/api/retry';

interface PurchaseButtonProps {
  ticketId: string;
  /** What the button says: "Purchase" on a ticket's page, "Buy" in an event's list of seats. */
  label?: string;
  /** The button's full name where its label alone would be ambiguous ("Buy Section A, Row 1 for $40.00"). */
  accessibleName?: string;
  size?: 'lg' | 'sm';
}

/** Starts the purchase: the order holds the ticket while the buyer pays on the order's page. */
export function PurchaseButton({
  ticketId,
  label = 'Purchase',
  accessibleName,
  size = 'lg',
}: PurchaseButtonProps) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();

  async function purchase() {
    setPending(true);
    setError(null);
    try {
      const order = await retryWhileNotFound(() => browserApi.createOrder(ticketId));
      router.push(`/orders/${order.id}`);
    } catch (err) {
      setError(toApiError(err).message);
      setPending(false);
      // What the buyer sees may be stale (someone else reserved it): show the ticket as it is now.
      router.refresh();
    }
  }

  return (
    <div>
      <button
        type="button"
        className={`btn btn-primary btn-${size}`}
        onClick={purchase}
        disabled={pending}
        aria-label={pending ? undefined : accessibleName}
        aria-describedby={error ? errorId : undefined}
      >
        {pending ? 'Reserving…' : label}
      </button>
      {error ? (
        <div
          id={errorId}
          className={`alert alert-danger mb-0 ${size === 'lg' ? 'mt-3' : 'mt-2 py-2 small'}`}
          role="alert"
        >
          {error}
        </div>
      ) : null}
    </div>
  );
}
