import type { Metadata } from 'next';
import Link from 'next/link';
import { Pagination } from '@/components/pagination';
import { SortLinks, sortFromSearchParam, type SortOption } from '@/components/sort-links';
import { TicketCard } from '@/components/ticket-card';
import { SearchProblem } from '@/components/search-problem';
import { getCurrentUser, getServerApi, unlessBadRequest } from '@/lib/api/server';
import type { TicketSort } from '@/lib/api/types';
import { firstParam, pageFromSearchParam, type SearchParams } from '@/lib/navigation';

export const metadata: Metadata = { title: 'All tickets' };

const SORTS: readonly SortOption<TicketSort>[] = [
  { value: 'newest', label: 'Newest listings' },
  { value: 'date', label: 'Event date' },
  { value: 'price', label: 'Price: low to high' },
  { value: '-price', label: 'Price: high to low' },
];

/** Every ticket for sale (of events not started), across events, newest listing first or sorted. */
export default async function TicketListPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const page = pageFromSearchParam(params.page);
  const sort = sortFromSearchParam(params.sort, SORTS);
  const q = firstParam(params.q).trim();
  const api = await getServerApi();
  const [result, currentUser] = await Promise.all([
    unlessBadRequest(api.listTickets({ q, sort, page })),
    getCurrentUser().catch(() => null),
  ]);
  const tickets = result.ok ? result.value.items : [];

  return (
    <>
      <div className="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-4">
        <h1 className="mb-0">Tickets for sale</h1>
        <Link href="/tickets/new" className="btn btn-primary">
          Sell tickets
        </Link>
      </div>
      <div className="d-flex flex-wrap justify-content-between align-items-end gap-3 mb-4">
        <form method="get" action="/tickets" role="search" aria-label="Search tickets">
          <input type="hidden" name="sort" value={sort} />
          <label htmlFor="tickets-q" className="form-label">
            Search tickets
          </label>
          <div className="input-group">
            <input
              id="tickets-q"
              name="q"
              type="search"
              className="form-control"
              defaultValue={q}
              maxLength={200}
              placeholder="Event, venue, city or title"
            />
            <button type="submit" className="btn btn-outline-primary">
              Search
            </button>
          </div>
        </form>
        <SortLinks
          basePath="/tickets"
          options={SORTS}
          current={sort}
          query={{ q }}
          label="Sort tickets"
        />
      </div>
      {!result.ok ? (
        <SearchProblem messages={result.messages} />
      ) : tickets.length === 0 ? (
        <div className="text-center py-5 border rounded bg-body-tertiary">
          <p className="lead mb-2">
            {page > 1
              ? 'There are no more tickets.'
              : q
                ? 'No tickets match your search.'
                : 'No tickets are for sale right now.'}
          </p>
          {page > 1 || q ? (
            <Link href="/tickets">See all tickets</Link>
          ) : (
            <p className="mb-0">
              Have one you can&apos;t use? <Link href="/tickets/new">List it for sale</Link>.
            </p>
          )}
        </div>
      ) : (
        <ul className="row row-cols-1 row-cols-sm-2 row-cols-lg-3 g-3 list-unstyled">
          {tickets.map((ticket) => (
            <li key={ticket.id} className="col">
              <TicketCard ticket={ticket} own={ticket.userId === currentUser?.id} />
            </li>
          ))}
        </ul>
      )}
      {result.ok ? (
        <Pagination
          basePath="/tickets"
          page={page}
          nextPage={result.value.nextPage}
          label="Ticket pages"
          query={{ q, sort }}
        />
      ) : null}
    </>
  );
}
