'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { browserApi } from '@/lib/api/browser';
import { toApiError } from '@/lib/api/errors';
import { retryWhileNotFound } from '@/lib/api/retry';

/** Starts the purchase: the order holds the ticket while the buyer pays on the order's page. */
export function PurchaseButton({ ticketId }: { ticketId: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

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
        className="btn btn-primary btn-lg"
        onClick={purchase}
        disabled={pending}
        aria-describedby={error ? 'purchase-error' : undefined}
      >
        {pending ? 'Reserving…' : 'Purchase'}
      </button>
      {error ? (
        <div id="purchase-error" className="alert alert-danger mt-3 mb-0" role="alert">
          {error}
        </div>
      ) : null}
    </div>
  );
}
