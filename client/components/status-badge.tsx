import type { Order, PayoutStatus, TicketStatus } from '@/lib/api/types';

const TICKET_BADGES: Record<TicketStatus, { label: string; className: string }> = {
  available: { label: 'Available', className: 'text-bg-success' },
  reserved: { label: 'Reserved', className: 'text-bg-warning' },
  sold: { label: 'Sold', className: 'text-bg-secondary' },
  // Unsold when its event started: no longer listed or orderable.
  closed: { label: 'Closed', className: 'text-bg-dark' },
};

export function TicketStatusBadge({ status }: { status: TicketStatus }) {
  const badge = TICKET_BADGES[status];
  return <span className={`badge ${badge.className}`}>{badge.label}</span>;
}

/** What an order's status means to its buyer; an unpaid hold past its end is shown as expired. */
export function orderBadge(order: Pick<Order, 'status' | 'expiresAt' | 'refunded'>, now: number) {
  switch (order.status) {
    case 'complete':
      return { label: 'Paid', className: 'text-bg-success' };
    case 'cancelled':
      return order.refunded
        ? { label: 'Cancelled · refunded', className: 'text-bg-secondary' }
        : { label: 'Cancelled', className: 'text-bg-secondary' };
    case 'created':
      return Date.parse(order.expiresAt) <= now
        ? { label: 'Expired', className: 'text-bg-secondary' }
        : { label: 'Awaiting payment', className: 'text-bg-warning' };
  }
}

export function OrderStatusBadge({
  order,
  now,
}: {
  order: Pick<Order, 'status' | 'expiresAt' | 'refunded'>;
  now: number;
}) {
  const badge = orderBadge(order, now);
  return <span className={`badge ${badge.className}`}>{badge.label}</span>;
}

const PAYOUT_BADGES: Record<PayoutStatus, { label: string; className: string }> = {
  pending: { label: 'Pending', className: 'text-bg-warning' },
  paid: { label: 'Paid', className: 'text-bg-success' },
  cancelled: { label: 'Cancelled', className: 'text-bg-secondary' },
};

export function PayoutStatusBadge({ status }: { status: PayoutStatus }) {
  const badge = PAYOUT_BADGES[status];
  return <span className={`badge ${badge.className}`}>{badge.label}</span>;
}
