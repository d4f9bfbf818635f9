import { render, screen } from '@testing-library/react';
import { PayoutStatusBadge, TicketStatusBadge, orderBadge } from './status-badge';

describe('ticket status badges', () => {
  it('calls an unsold listing of a started event closed', () => {
    render(<TicketStatusBadge status="closed" />);

    expect(screen.getByText('Closed')).toBeInTheDocument();
  });
});

describe('order status badges', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  const open = { status: 'created' as const, expiresAt: '2026-01-01T12:10:00Z' };

  it('names each status as the buyer would say it', () => {
    expect(orderBadge(open, now).label).toBe('Awaiting payment');
    expect(orderBadge({ ...open, expiresAt: '2026-01-01T11:59:00Z' }, now).label).toBe('Expired');
    expect(orderBadge({ ...open, status: 'complete' }, now).label).toBe('Paid');
    expect(orderBadge({ ...open, status: 'cancelled' }, now).label).toBe('Cancelled');
    expect(orderBadge({ ...open, status: 'cancelled', refunded: true }, now).label).toBe(
      'Cancelled · refunded',
    );
  });
});

describe('payout status badges', () => {
  it.each([
    ['pending', 'Pending'],
    ['paid', 'Paid'],
    ['cancelled', 'Cancelled'],
  ] as const)('calls a %s payout %s', (status, label) => {
    render(<PayoutStatusBadge status={status} />);

    expect(screen.getByText(label)).toHaveClass('badge');
  });
});
