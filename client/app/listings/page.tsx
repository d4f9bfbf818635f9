import type { Metadata } from 'next';
import Link from 'next/link';
import { AllInPrice } from '@/components/all-in-price';
import { EventWhen } from '@/components/event-when';
import { Pagination } from '@/components/pagination';
import { TicketStatusBadge } from '@/components/status-badge';
import { getServerApi, requireSignedIn } from '@/lib/api/server';
import { formatDate, formatPlace, formatPrice, formatSeat } from '@/lib/format';
import { pageFromSearchParam, type SearchParams } from '@/lib/navigation';

export const metadata: Metadata = { title: 'My listings' };

/** Why a listing can no longer be edited. */
const LOCKED_REASON = {
  reserved: 'Held by a buyer',
  sold: 'Sold — final',
  closed: 'Event started',
} as const;

export default async function MyListingsPage({ searchParams }: { searchParams: SearchParams }) {
  const page = pageFromSearchParam((await searchParams).page);
  await requireSignedIn(page > 1 ? `/listings?page=${page}` : '/listings');
  const { items: tickets, nextPage } = await (await getServerApi()).listMyTickets(page);

  return (
    <>
      <div className="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-4">
        <h1 className="mb-0">My listings</h1>
        <Link href="/tickets/new" className="btn btn-primary">
          Sell tickets
        </Link>
      </div>
      {tickets.length === 0 ? (
        <p className="lead">
          {page > 1 ? 'There are no more listings.' : 'You have not listed any tickets yet.'}
        </p>
      ) : (
        <div className="table-responsive">
          <table className="table align-middle">
            <caption className="visually-hidden">Your tickets, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Ticket</th>
                <th scope="col">Event</th>
                <th scope="col">Seat</th>
                <th scope="col" className="text-end">
                  Buyers pay
                </th>
                <th scope="col">Listed</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tickets.map((ticket) => (
                <tr key={ticket.id} data-testid="listing-row">
                  <td>
                    <Link href={`/tickets/${ticket.id}`}>{ticket.title}</Link>
                  </td>
                  <td>
                    <Link href={`/events/${ticket.eventId}`}>{ticket.event.name}</Link>
                    <div className="small text-body-secondary">
                      <EventWhen event={ticket.event} />
                      <br />
                      {formatPlace(ticket.event)}
                    </div>
                  </td>
                  <td>{formatSeat(ticket)}</td>
                  <td className="text-end">
                    <AllInPrice amount={ticket} size="sm" />
                    <span className="d-block small text-body-secondary">
                      Your price {formatPrice(ticket.price)}
                    </span>
                  </td>
                  <td>
                    <time dateTime={ticket.createdAt}>{formatDate(ticket.createdAt)}</time>
                  </td>
                  <td>
                    <TicketStatusBadge status={ticket.status} />
                  </td>
                  <td className="text-end">
                    {ticket.status === 'available' ? (
                      <Link
                        href={`/tickets/${ticket.id}/edit`}
                        className="btn btn-sm btn-outline-secondary"
                        aria-label={`Edit ${ticket.title}`}
                      >
                        Edit
                      </Link>
                    ) : (
                      <span className="small text-body-secondary">
                        {LOCKED_REASON[ticket.status]}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination basePath="/listings" page={page} nextPage={nextPage} label="Listing pages" />
    </>
  );
}
