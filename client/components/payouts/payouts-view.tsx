import Link from 'next/link';
import type { ReactNode } from 'react';
import type { Payout, PayoutsPage } from '@/lib/api/types';
import { formatDate, formatPrice } from '@/lib/format';
import { EventWhen } from '../event-when';
import { PayoutStatusBadge } from '../status-badge';

/** When a payout happened or will: due from `availableAt` while pending, the day it went when paid. */
function PayoutDate({ payout }: { payout: Payout }): ReactNode {
  const at = (iso: string) => <time dateTime={iso}>{formatDate(iso)}</time>;
  switch (payout.status) {
    case 'pending':
      return <>Available {at(payout.availableAt)}</>;
    case 'paid':
      return payout.paidAt ? <>Paid {at(payout.paidAt)}</> : 'Paid';
    case 'cancelled':
      return <>Sold {at(payout.createdAt)}</>;
  }
}

function Total({ label, amount, id }: { label: string; amount: number; id: string }) {
  return (
    <div className="col">
      <div className="card h-100">
        <div className="card-body">
          <h2 className="h6 text-body-secondary mb-1">{label}</h2>
          <p className="fs-3 fw-semibold mb-0" data-testid={id}>
            {formatPrice(amount)}
          </p>
        </div>
      </div>
    </div>
  );
}

/**
 * A seller's payouts: the pending and paid sums, then one row per sale with what the seller receives
 * (the ask and the seller's fee beside it, smaller), its status, when, and why a due one still waits.
 */
export function PayoutsView({ page }: { page: PayoutsPage }) {
  const { payouts, totals } = page;
  return (
    <>
      <div className="row row-cols-1 row-cols-sm-2 g-3 mb-4">
        <Total label="Pending" amount={totals.pending} id="payouts-pending-total" />
        <Total label="Paid" amount={totals.paid} id="payouts-paid-total" />
      </div>
      {payouts.length === 0 ? (
        // No tinted background: the link on it would fall short of WCAG's 4.5:1 contrast.
        <div className="text-center py-5 border rounded">
          <p className="lead mb-2">No payouts yet.</p>
          <p className="mb-0">
            When a ticket you listed sells, what you receive for it appears here.{' '}
            <Link href="/tickets/new">Sell tickets</Link>
          </p>
        </div>
      ) : (
        <div className="table-responsive">
          <table className="table align-middle">
            <caption className="visually-hidden">Your payouts, newest sale first</caption>
            <thead>
              <tr>
                <th scope="col">Sale</th>
                <th scope="col" className="text-end">
                  You receive
                </th>
                <th scope="col">Status</th>
                <th scope="col">Date</th>
              </tr>
            </thead>
            <tbody>
              {payouts.map((payout) => (
                <tr key={payout.id} data-testid="payout-row">
                  <td>
                    <Link href={`/tickets/${payout.ticketId}`}>{payout.title}</Link>
                    <div className="small text-body-secondary">
                      {payout.event.name}
                      <br />
                      <EventWhen event={payout.event} />
                    </div>
                  </td>
                  <td className="text-end">
                    <span className="fw-semibold">{formatPrice(payout.amount)}</span>
                    <span className="d-block small text-body-secondary">
                      Price {formatPrice(payout.price)} · fee {formatPrice(payout.fee)}
                    </span>
                  </td>
                  <td>
                    <PayoutStatusBadge status={payout.status} />
                    {payout.reason ? (
                      <div className="small text-body-secondary mt-1">{payout.reason}</div>
                    ) : null}
                  </td>
                  <td>
                    <PayoutDate payout={payout} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
