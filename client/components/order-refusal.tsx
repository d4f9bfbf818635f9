'use client';
import Link from 'next/link';
import { useEffect, useId, useRef, useState } from 'react';
import { browserApi } from '@/lib/api/browser';
import type { Order } from '@/lib/api/types';
import { describeHoldLeft } from '@/lib/format';
import { useNow } from '@/lib/hooks/use-now';
import type { OrderRefusal } from '@/lib/order-refusal';
import { AllInPrice } from './all-in-price';

interface OrderRefusalNoticeProps {
  refusal: OrderRefusal;
  /** The alert's id: the purchase button is described by it. */
  id: string;
  compact: boolean;
}

/**
 * Why an order was refused, focused as it appears (like a form's alert after a failed submit). At the
 * hold cap the buyer also sees the holds they would have to pay for or cancel, each linked to its
 * order; after their own hold on the ticket ended, that other buyers can still buy it meanwhile.
 */
export function OrderRefusalNotice({ refusal, id, compact }: OrderRefusalNoticeProps) {
  const alertRef = useRef<HTMLDivElement>(null);
  useEffect(() => alertRef.current?.focus(), [refusal]);

  return (
    <div className={compact ? 'mt-2 small' : 'mt-3'}>
      <div
        ref={alertRef}
        id={id}
        className={`alert alert-danger mb-0${compact ? ' py-2' : ''}`}
        role="alert"
        tabIndex={-1}
      >
        {refusal.message}
        {refusal.kind === 'rehold-cooldown' ? (
          <span className="d-block mt-1">Other buyers can still buy it in the meantime.</span>
        ) : null}
      </div>
      {refusal.kind === 'hold-cap' ? <HeldOrders /> : null}
    </div>
  );
}

type Holds =
  { state: 'loading' } | { state: 'failed' } | { state: 'loaded'; orders: Order[]; readAt: number };

/**
 * The buyer's orders still holding a ticket, read when the cap refused a new one. Kept outside the
 * alert: a live region would announce every change of the time left.
 */
function HeldOrders() {
  const [holds, setHolds] = useState<Holds>({ state: 'loading' });
  const clock = useNow();
  const labelId = useId();

  useEffect(() => {
    let cancelled = false;
    browserApi.listOrders().then(
      (orders) => {
        if (!cancelled) setHolds({ state: 'loaded', orders, readAt: Date.now() });
      },
      () => {
        if (!cancelled) setHolds({ state: 'failed' });
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);

  const allOrders = <Link href="/orders">My orders</Link>;
  if (holds.state === 'loading') {
    return (
      <p role="status" className="mt-2 mb-0">
        Finding the tickets you hold…
      </p>
    );
  }
  const now = clock ?? (holds.state === 'loaded' ? holds.readAt : 0);
  const held =
    holds.state === 'loaded'
      ? holds.orders.filter((o) => o.status === 'created' && Date.parse(o.expiresAt) > now)
      : [];
  if (held.length === 0) {
    return (
      <p role="status" className="mt-2 mb-0">
        {holds.state === 'failed'
          ? 'Your held tickets are listed under '
          : 'Your holds have just ended: try again, or see '}
        {allOrders}.
      </p>
    );
  }
  return (
    <div className="mt-2" data-testid="held-orders">
      <p id={labelId} className="fw-semibold mb-1">
        Pay for or cancel one of these first:
      </p>
      <ul className="list-group" aria-labelledby={labelId}>
        {held.map((order) => (
          <li
            key={order.id}
            className="list-group-item d-flex flex-wrap justify-content-between align-items-baseline gap-2"
            data-testid="held-order"
          >
            <Link href={`/orders/${order.id}`}>{order.ticket.title}</Link>
            <span className="d-flex flex-wrap align-items-baseline gap-2">
              <AllInPrice amount={order.amount} size="inline" />
              <span className="text-body-secondary">
                <time dateTime={order.expiresAt}>
                  {describeHoldLeft(Date.parse(order.expiresAt) - now)}
                </time>
              </span>
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
