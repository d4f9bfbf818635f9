import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { AllInPrice } from '@/components/all-in-price';
import { ListingFacts } from '@/components/listing-facts';
import { PurchaseButton } from '@/components/purchase-button';
import { TicketStatusBadge } from '@/components/status-badge';
import { getCurrentUser, getServerApi, getTicket, isApiStatus } from '@/lib/api/server';
import type { CurrentUser, Order, Ticket } from '@/lib/api/types';
import { formatDate, formatPrice } from '@/lib/format';

type Params = Promise<{ ticketId: string }>;

const OWN_LISTING: Record<Ticket['status'], string> = {
  available: 'This is your own listing.',
  reserved: 'This is your own listing. A buyer is holding it while they pay.',
  sold: 'This is your own listing, and it has been sold.',
  closed: 'This is your own listing. Its event has started, so it can no longer be sold.',
};

/** Why someone else cannot purchase the ticket now. */
const UNAVAILABLE: Record<Exclude<Ticket['status'], 'available'>, string> = {
  reserved:
    'Another buyer is holding this ticket while they pay. If they do not finish in time it becomes available again.',
  sold: 'This ticket has been sold.',
  closed: 'The event has started, so this ticket can no longer be bought.',
};

async function readTicket(id: string): Promise<Ticket> {
  try {
    return await getTicket(id);
  } catch (err) {
    if (isApiStatus(err, 404)) notFound();
    throw err;
  }
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const ticket = await getTicket((await params).ticketId).catch(() => null);
  return { title: ticket ? ticket.title : 'Ticket' };
}

/** The viewer's own open order holding this ticket, if any: they can go back to paying for it. */
async function findOwnHold(ticket: Ticket, user: CurrentUser | null): Promise<Order | undefined> {
  if (!user || ticket.status !== 'reserved' || !ticket.orderId) return undefined;
  const orders = await (await getServerApi()).listOrders().catch(() => []);
  return orders.find((o) => o.id === ticket.orderId && o.status !== 'cancelled');
}

export default async function TicketPage({ params }: { params: Params }) {
  const { ticketId } = await params;
  const [ticket, currentUser] = await Promise.all([
    readTicket(ticketId),
    getCurrentUser().catch(() => null),
  ]);
  const own = currentUser?.id === ticket.userId;
  const ownHold = await findOwnHold(ticket, currentUser);

  let action: ReactNode;
  if (ownHold) {
    action = (
      <div className="alert alert-info mb-0">
        You are holding this ticket.{' '}
        <Link href={`/orders/${ownHold.id}`} className="alert-link">
          Continue to payment
        </Link>
      </div>
    );
  } else if (!own && ticket.status === 'available' && currentUser) {
    action = <PurchaseButton ticketId={ticket.id} />;
  } else if (!own && ticket.status === 'available') {
    action = (
      <Link
        href={`/auth/signin?next=${encodeURIComponent(`/tickets/${ticket.id}`)}`}
        className="btn btn-primary btn-lg"
      >
        Sign in to purchase
      </Link>
    );
  } else if (ticket.status === 'closed') {
    // Nothing to purchase once the event has started, not even a disabled button.
    action = (
      <p className="mb-0 text-body-secondary" data-testid="ticket-closed">
        <strong>Event started.</strong> {own ? OWN_LISTING.closed : UNAVAILABLE.closed}
      </p>
    );
  } else {
    const reason =
      own || ticket.status === 'available'
        ? OWN_LISTING[ticket.status]
        : UNAVAILABLE[ticket.status];
    action = (
      <>
        <button
          type="button"
          className="btn btn-primary btn-lg"
          disabled
          aria-describedby="purchase-unavailable"
        >
          Purchase
        </button>
        <p id="purchase-unavailable" className="mt-2 mb-0 text-body-secondary">
          {reason}
        </p>
      </>
    );
  }

  return (
    <div className="row justify-content-center">
      <div className="col-lg-8">
        <nav aria-label="Breadcrumb">
          <ol className="breadcrumb">
            <li className="breadcrumb-item">
              <Link href="/">Events</Link>
            </li>
            <li className="breadcrumb-item text-truncate">
              <Link href={`/events/${ticket.eventId}`}>{ticket.event.name}</Link>
            </li>
            <li className="breadcrumb-item active text-truncate" aria-current="page">
              {ticket.title}
            </li>
          </ol>
        </nav>
        <div className="card">
          <div className="card-body p-4">
            <div className="d-flex justify-content-between align-items-start gap-3">
              <h1 className="h2 card-title" style={{ overflowWrap: 'anywhere' }}>
                {ticket.title}
              </h1>
              <TicketStatusBadge status={ticket.status} />
            </div>
            <p className={own ? 'mb-1' : 'mb-3'}>
              <AllInPrice amount={ticket} size="lg" testId="ticket-price" />
            </p>
            {own ? (
              <p className="mb-3 small text-body-secondary" data-testid="ticket-ask">
                Your price: {formatPrice(ticket.price)}
              </p>
            ) : null}
            <ListingFacts event={ticket.event} seat={ticket} />
            <p className="text-body-secondary small">
              Listed <time dateTime={ticket.createdAt}>{formatDate(ticket.createdAt)}</time>
            </p>
            {action}
            {own && ticket.status === 'available' ? (
              <p className="mt-3 mb-0">
                <Link href={`/tickets/${ticket.id}/edit`} className="btn btn-outline-secondary">
                  Edit listing
                </Link>
              </p>
            ) : null}
          </div>
        </div>
      </div>
    </div>
  );
}
