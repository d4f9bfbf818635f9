'use client';
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { browserApi } from '@/lib/api/browser';
import { retryWhileNotFound } from '@/lib/api/retry';
import { describeOrderRefusal, type OrderRefusal } from '@/lib/order-refusal';
import { OrderRefusalNotice } from './order-refusal';

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
  const [refusal, setRefusal] = useState<OrderRefusal | null>(null);
  const errorId = useId();

  async function purchase() {
    setPending(true);
    setRefusal(null);
    try {
      const order = await retryWhileNotFound(() => browserApi.createOrder(ticketId));
      router.push(`/orders/${order.id}`);
    } catch (err) {
      setRefusal(describeOrderRefusal(err));
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
        aria-describedby={refusal ? errorId : undefined}
      >
        {pending ? 'Reserving…' : label}
      </button>
      {refusal ? (
        <OrderRefusalNotice refusal={refusal} id={errorId} compact={size === 'sm'} />
      ) : null}
    </div>
  );
}
