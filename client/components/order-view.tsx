'use client';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { browserApi } from '@/lib/api/browser';
import { toApiError, toFormErrors, type FormErrors } from '@/lib/api/errors';
import { retryWhileNotFound } from '@/lib/api/retry';
import type { Order } from '@/lib/api/types';
import { describeCountdown, formatCountdown } from '@/lib/format';
import { useEventStream } from '@/lib/hooks/use-event-stream';
import { useNow } from '@/lib/hooks/use-now';
import { AllInPrice } from './all-in-price';
import { ListingFacts } from './listing-facts';
import { PaymentForm } from './payment/payment-form';

export type OrderPhase =
  'paying' | 'confirming' | 'complete' | 'declined' | 'expired' | 'cancelled' | 'refused';

/** Cancellations decided by the tickets service: the listing changed under the order. */
const REFUSED = new Set(['price-changed', 'sold']);

interface Happened {
  /** The payments service accepted a charge. */
  paid: boolean;
  /** Why the last payment attempt failed (a decline: orders then cancels the order). */
  paymentFailure: string | null;
  /** The buyer cancelled it on this page. */
  cancelledHere: boolean;
}

/** What the buyer should see, from the order as last read, the clock and what happened on this page. */
export function orderPhase(order: Order, now: number, happened: Happened): OrderPhase {
  const holdOver = Date.parse(order.expiresAt) <= now;
  if (order.status === 'complete') return 'complete';
  if (order.status === 'cancelled') {
    const reason = order.cancellation?.reason ?? '';
    if (REFUSED.has(reason)) return 'refused';
    if (reason === 'declined' || happened.paymentFailure) return 'declined';
    if (reason === 'expired') return 'expired';
    // Without a reason (an older order), what happened here and the clock tell.
    if (reason === 'cancelled' || happened.cancelledHere || !holdOver) return 'cancelled';
    return 'expired';
  }
  if (happened.paid) return 'confirming';
  // The server cancels an unpaid order when its hold ends; the page need not wait for it to say so.
  if (holdOver) return 'expired';
  return 'paying';
}

interface OrderViewProps {
  initialOrder: Order;
  /** The server's clock when it rendered: "now" until the browser's clock takes over after hydration. */
  renderedAt: number;
  stripeKey: string | null;
}

/** A newer read of the order wins; the stream and a poll (or a reply to Pay) may cross. */
function newer(current: Order, next: Order): Order {
  return next.version >= current.version ? next : current;
}

/**
 * An order's page: a live countdown to the end of the hold and the payment form while it lasts; the
 * outcome (paid, declined, hold expired) appears as it happens, pushed by the order's stream, or
 * read by polling the order when the stream cannot be had.
 */
export function OrderView({ initialOrder, renderedAt, stripeKey }: OrderViewProps) {
  const [order, setOrderState] = useState(initialOrder);
  const setOrder = (next: Order) => setOrderState((current) => newer(current, next));
  const [happened, setHappened] = useState<Happened>({
    paid: false,
    paymentFailure: null,
    cancelledHere: false,
  });
  const [cancelError, setCancelError] = useState<string | null>(null);
  const clock = useNow();
  const now = clock ?? renderedAt;
  const phase = orderPhase(order, now, happened);
  const open = order.status === 'created';
  // Quicker once something is on its way (a payment, a decline, the end of the hold).
  const eager = phase !== 'paying' || happened.paymentFailure !== null;

  const stream = useEventStream(open ? `/api/orders/${order.id}/stream` : null, {
    order: (data) => setOrder(data as Order),
  });
  const polling = open && stream === 'failed';

  useEffect(() => {
    if (!polling) return;
    const id = setInterval(
      () => {
        browserApi.getOrder(order.id).then(
          (next) => setOrderState((current) => newer(current, next)),
          () => undefined,
        );
      },
      eager ? 1_000 : 3_000,
    );
    return () => clearInterval(id);
  }, [order.id, polling, eager]);

  async function pay(token: string): Promise<FormErrors | null> {
    try {
      await retryWhileNotFound(() => browserApi.pay({ orderId: order.id, token }));
      setHappened((h) => ({ ...h, paid: true, paymentFailure: null }));
      return null;
    } catch (err) {
      const apiError = toApiError(err);
      const cardMessages = apiError.fieldMessages('token');
      if (cardMessages.length > 0) {
        setHappened((h) => ({ ...h, paymentFailure: cardMessages.join(' ') }));
      }
      // Whatever the answer, the order may have moved on (cancelled, expired, paid elsewhere).
      browserApi.getOrder(order.id).then(setOrder, () => undefined);
      return toFormErrors(apiError, ['card'], { token: 'card' });
    }
  }

  async function cancel() {
    setCancelError(null);
    try {
      await browserApi.cancelOrder(order.id);
      setHappened((h) => ({ ...h, cancelledHere: true }));
      setOrder(await browserApi.getOrder(order.id));
    } catch (err) {
      setCancelError(toApiError(err).message);
    }
  }

  const msLeft = Date.parse(order.expiresAt) - now;
  const ticketLink = (
    <Link href={`/tickets/${order.ticket.id}`} className="alert-link">
      the ticket&apos;s page
    </Link>
  );

  return (
    <div className="row g-4">
      <div className="col-lg-5">
        <div className="card">
          <div className="card-body">
            <h2 className="h5 card-title">{order.ticket.title}</h2>
            <p className="mb-3">
              <AllInPrice amount={order.amount} size="lg" testId="order-price" />
            </p>
            <ListingFacts event={order.ticket.event} seat={order.ticket} />
            <p className="mb-1 text-body-secondary small">Order {order.id}</p>
            <Link href={`/tickets/${order.ticket.id}`}>View the ticket</Link>
          </div>
        </div>
      </div>
      <div className="col-lg-7">
        {/* `data-stream`: whether the page is live (the e2e tests wait for it before acting). */}
        <div aria-live="polite" data-testid="order-outcome" data-stream={stream}>
          {phase === 'complete' ? (
            <div className="alert alert-success" role="status">
              <h2 className="h5 alert-heading">Paid — your order is complete</h2>
              <p className="mb-0">
                The ticket is yours. See it any time under{' '}
                <Link href="/orders" className="alert-link">
                  My orders
                </Link>
                .
              </p>
            </div>
          ) : null}
          {phase === 'confirming' ? (
            <div className="alert alert-info d-flex align-items-center gap-2" role="status">
              <span className="spinner-border spinner-border-sm" aria-hidden="true" />
              Payment received. Confirming your order…
            </div>
          ) : null}
          {phase === 'declined' ? (
            <div className="alert alert-danger" role="status">
              <h2 className="h5 alert-heading">Payment failed</h2>
              <p>{happened.paymentFailure ?? order.cancellation?.message}</p>
              <p className="mb-0">
                This order has been cancelled and the ticket released. You can start a new purchase
                from {ticketLink}.
              </p>
            </div>
          ) : null}
          {phase === 'expired' ? (
            <div className="alert alert-warning" role="status">
              <h2 className="h5 alert-heading">Your hold expired</h2>
              <p className="mb-0">
                The ticket was not paid for in time and has been released to other buyers. If it is
                still available you can purchase it again from {ticketLink}.
              </p>
            </div>
          ) : null}
          {phase === 'refused' ? (
            <div className="alert alert-warning" role="status">
              <h2 className="h5 alert-heading">{order.cancellation?.message}</h2>
              <p className="mb-0">
                The listing changed just as you ordered, so this order has been cancelled
                {order.refunded ? ' and your payment refunded' : ''}. See {ticketLink} to buy it as
                it is now.
              </p>
            </div>
          ) : null}
          {phase === 'cancelled' ? (
            <div className="alert alert-secondary" role="status">
              <h2 className="h5 alert-heading">This order was cancelled</h2>
              <p className="mb-0">The ticket has been released. See {ticketLink}.</p>
            </div>
          ) : null}
        </div>

        {phase === 'paying' ? (
          <section aria-labelledby="payment-heading">
            <div className="d-flex flex-wrap justify-content-between align-items-baseline mb-3">
              <h2 id="payment-heading" className="h4 mb-0">
                Pay for your ticket
              </h2>
              <p className="mb-0">
                Time left to pay:{' '}
                <span
                  role="timer"
                  aria-live="off"
                  aria-label={clock === null ? undefined : describeCountdown(msLeft)}
                  className="fw-bold font-monospace fs-5"
                  data-testid="countdown"
                >
                  {clock === null ? '–:––' : formatCountdown(msLeft)}
                </span>
              </p>
            </div>
            <p className="text-body-secondary">
              The ticket is held for you until the timer runs out; after that other buyers can
              purchase it.
            </p>
            <PaymentForm stripeKey={stripeKey} amount={order.amount} pay={pay} />
            <div className="mt-3">
              <button type="button" className="btn btn-link px-0" onClick={cancel}>
                Cancel this order and release the ticket
              </button>
              {cancelError ? (
                <div className="alert alert-danger mt-2" role="alert">
                  {cancelError}
                </div>
              ) : null}
            </div>
          </section>
        ) : null}
      </div>
    </div>
  );
}
