import Link from 'next/link';
import { EventCard } from '@/components/event-card';
import { EventSearchForm, hasEventFilters, readEventFilters } from '@/components/event-search-form';
import { Pagination } from '@/components/pagination';
import { SearchProblem } from '@/components/search-problem';
import { getServerApi, unlessBadRequest } from '@/lib/api/server';
import { pageFromSearchParam, type SearchParams } from '@/lib/navigation';

/** The front door: upcoming events, soonest first, searched and filtered by a plain GET form. */
export default async function EventsPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const page = pageFromSearchParam(params.page);
  const filters = readEventFilters(params);
  const filtered = hasEventFilters(filters);
  const api = await getServerApi();
  const result = await unlessBadRequest(api.listEvents({ ...filters, page }));

  return (
    <>
      <div className="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-4">
        <h1 className="mb-0">Upcoming events</h1>
        <div className="d-flex gap-2">
          <Link href="/tickets" className="btn btn-outline-secondary">
            All tickets
          </Link>
          <Link href="/tickets/new" className="btn btn-primary">
            Sell tickets
          </Link>
        </div>
      </div>
      <EventSearchForm filters={filters} />
      {!result.ok ? (
        <SearchProblem messages={result.messages} />
      ) : result.value.items.length === 0 ? (
        <div className="text-center py-5 border rounded bg-body-tertiary">
          <p className="lead mb-2">
            {page > 1
              ? 'There are no more events.'
              : filtered
                ? 'No upcoming events match your search.'
                : 'There are no upcoming events yet.'}
          </p>
          {page > 1 || filtered ? (
            <Link href="/">See all upcoming events</Link>
          ) : (
            <p className="mb-0">
              Have tickets you can&apos;t use? <Link href="/tickets/new">List them for sale</Link>.
            </p>
          )}
        </div>
      ) : (
        <ul className="row row-cols-1 row-cols-sm-2 row-cols-lg-3 g-3 list-unstyled">
          {result.value.items.map((event) => (
            <li key={event.id} className="col">
              <EventCard event={event} />
            </li>
          ))}
        </ul>
      )}
      {result.ok ? (
        <Pagination
          basePath="/"
          page={page}
          nextPage={result.value.nextPage}
          label="Event pages"
          query={filters}
        />
      ) : null}
    </>
  );
}
