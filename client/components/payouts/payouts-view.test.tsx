import { render, screen, within } from '@testing-library/react';
import type { Payout } from '@/lib/api/types';
import { PayoutsView } from './payouts-view';

function buildPayout(overrides: Partial<Payout> = {}): Payout {
  return {
    id: 'p1',
    orderId: 'o1',
    ticketId: 't1',
    title: 'Jazz Night — Row A, Seat 7',
    event: {
      name: 'Jazz Night',
      startsAt: '2027-06-07T00:00:00.000Z',
      timeZone: 'America/New_York',
    },
    price: 40,
    fee: 2,
    amount: 38,
    status: 'pending',
    availableAt: '2027-06-08T00:00:00.000Z',
    createdAt: '2027-05-01T12:00:00.000Z',
    ...overrides,
  };
}

describe('the payouts page', () => {
  it('shows the pending and paid totals at the top', () => {
    render(<PayoutsView page={{ payouts: [buildPayout()], totals: { pending: 38, paid: 95 } }} />);

    expect(screen.getByTestId('payouts-pending-total')).toHaveTextContent('$38.00');
    expect(screen.getByTestId('payouts-paid-total')).toHaveTextContent('$95.00');
  });

  it('shows a pending sale: what the seller receives, the ask and fee, its event and when it is due', () => {
    const payout = buildPayout({ reason: 'Connect a payout account to be paid' });

    render(<PayoutsView page={{ payouts: [payout], totals: { pending: 38, paid: 0 } }} />);

    const row = screen.getByTestId('payout-row');
    expect(within(row).getByRole('link', { name: payout.title })).toHaveAttribute(
      'href',
      '/tickets/t1',
    );
    expect(row).toHaveTextContent('Jazz Night');
    expect(row).toHaveTextContent('Sun, Jun 6, 2027, 8:00 PM EDT');
    expect(row).toHaveTextContent('$38.00');
    expect(row).toHaveTextContent('Price $40.00 · fee $2.00');
    expect(within(row).getByText('Pending')).toHaveClass('badge');
    expect(row).toHaveTextContent('Available Jun 8, 2027');
    expect(row).toHaveTextContent('Connect a payout account to be paid');
  });

  it('shows when a paid payout was paid, and a cancelled one as cancelled', () => {
    const paid = buildPayout({ id: 'p2', status: 'paid', paidAt: '2027-06-09T10:00:00.000Z' });
    const cancelled = buildPayout({ id: 'p3', status: 'cancelled' });

    render(<PayoutsView page={{ payouts: [paid, cancelled], totals: { pending: 0, paid: 38 } }} />);

    const [paidRow, cancelledRow] = screen.getAllByTestId('payout-row');
    expect(paidRow).toHaveTextContent('Paid Jun 9, 2027');
    expect(within(paidRow!).getByText('Paid', { selector: '.badge' })).toBeInTheDocument();
    expect(paidRow).not.toHaveTextContent('Available');
    expect(within(cancelledRow!).getByText('Cancelled')).toHaveClass('badge');
  });

  it('says so when nothing has been sold yet', () => {
    render(<PayoutsView page={{ payouts: [], totals: { pending: 0, paid: 0 } }} />);

    expect(screen.getByText('No payouts yet.')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(screen.getByTestId('payouts-pending-total')).toHaveTextContent('$0.00');
  });
});
