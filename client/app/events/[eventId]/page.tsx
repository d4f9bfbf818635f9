import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { EventListings } from '@/components/event-listings';
import { EventWhen } from '@/components/event-when';
import { Pagination } from '@/components/pagination';
import { SortLinks, sortFromSearchParam, type SortOption } from '@/components/sort-links';
import { getCurrentUser, getEvent, getServerApi, isApiStatus } from '@/lib/api/server';
import type { EventDetail, Page, Ticket, TicketSort } from '@/lib/api/types';
import { requestTime } from '@/lib/clock';
import { CATEGORY_LABELS, formatPlace } from '@/lib/format';
import { firstParam, pageFromSearchParam, type SearchParams } from '@/lib/navigation';

type Params = Promise<{ eventId: string }>;

const SORTS: readonly SortOption<TicketSort>[] = [
  { value: 'price', label: 'Price: low to high' },
  { value: '-price', label: 'Price: high to low' },
  { value: 'newest', label: 'Newest listings' },
];

async function readEvent(id: string): Promise<EventDetail> {
  try {
    return await getEvent(id);
  } catch (err) {
    if (isApiStatus(err, 404)) notFound();
    throw err;
  }
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const event = await getEvent((await params).eventId).catch(() => null);
  return { title: event ? event.name : 'Event' };
}

/** An event: what, when (on the venue's clock) and where, and its tickets for sale, sortable. */
export default async function EventPage({
  params,
  searchParams,
}: {
  params: Params;
  searchParams: SearchParams;
}) {
  const { eventId } = await params;
  const query = await searchParams;
  const sort = sortFromSearchParam(query.sort, SORTS);
  const page = pageFromSearchParam(query.page);
  // Set by the sell flow after listing several seats at once.
  const listed = Number(firstParam(query.listed));
  const [event, currentUser] = await Promise.all([
    readEvent(eventId),
    getCurrentUser().catch(() => null),
  ]);
  const started = Date.parse(event.startsAt) <= requestTime();
  const listings: Page<Ticket> = started
    ? { items: [], nextPage: null }
    : await (await getServerApi()).listTickets({ eventId, sort, page });
  const basePath = `/events/${event.id}`;

  return (
    <>
      <nav aria-label="Breadcrumb">
        <ol className="breadcrumb">
          <li className="breadcrumb-item">
            <Link href="/">Events</Link>
          </li>
          <li className="breadcrumb-item active text-truncate" aria-current="page">
            {event.name}
          </li>
        </ol>
      </nav>
      {Number.isInteger(listed) && listed > 0 && !started ? (
        <div className="alert alert-success" role="status">
          Your {listed === 1 ? 'ticket is' : `${listed} tickets are`} listed for sale.
        </div>
      ) : null}
      <div className="d-flex flex-wrap justify-content-between align-items-start gap-3 mb-4">
        <div>
          <p className="small text-uppercase text-body-secondary mb-1">
            {CATEGORY_LABELS[event.category]}
          </p>
          <h1 style={{ overflowWrap: 'anywhere' }}>{event.name}</h1>
          <p className="lead mb-1">
            <EventWhen event={event} />
          </p>
          <p className="text-body-secondary mb-0">{formatPlace(event)}</p>
        </div>
        {started ? null : (
          <Link
            href={`/tickets/new?eventId=${encodeURIComponent(event.id)}`}
            className="btn btn-outline-primary"
          >
            Sell tickets for this event
          </Link>
        )}
      </div>

      {started ? (
        <div className="alert alert-secondary" role="status">
          <h2 className="h5 alert-heading">This event has started</h2>
          <p className="mb-0">Its tickets can no longer be bought.</p>
        </div>
      ) : (
        <section aria-labelledby="tickets-heading">
          <EventListings
            eventId={event.id}
            initialSummary={{ listings: event.listings, lowestPrice: event.lowestPrice }}
            actions={
              <SortLinks basePath={basePath} options={SORTS} current={sort} label="Sort tickets" />
            }
            initialTickets={listings.items}
            sort={sort}
            page={page}
            hasNextPage={listings.nextPage !== null}
            user={currentUser}
          />
          <Pagination
            basePath={basePath}
            page={page}
            nextPage={listings.nextPage}
            label="Ticket pages"
            query={{ sort }}
          />
        </section>
      )}
    </>
  );
}
