import Link from 'next/link';
import { Pagination } from '@/components/pagination';
import { TicketCard } from '@/components/ticket-card';
import { getCurrentUser, getServerApi } from '@/lib/api/server';
import { pageFromSearchParam, type SearchParams } from '@/lib/navigation';

export default async function TicketListPage({ searchParams }: { searchParams: SearchParams }) {
  const page = pageFromSearchParam((await searchParams).page);
  const api = await getServerApi();
  const [{ items: tickets, nextPage }, currentUser] = await Promise.all([
    api.listTickets(page),
    getCurrentUser().catch(() => null),
  ]);

  return (
    <>
      <div className="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-4">
        <h1 className="mb-0">Tickets for sale</h1>
        <Link href="/tickets/new" className="btn btn-primary">
          Sell a ticket
        </Link>
      </div>
      {tickets.length === 0 ? (
        <div className="text-center py-5 border rounded bg-body-tertiary">
          <p className="lead mb-2">
            {page > 1 ? 'There are no more tickets.' : 'No tickets are for sale right now.'}
          </p>
          {page > 1 ? (
            <Link href="/">Back to the first page</Link>
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
      <Pagination basePath="/" page={page} nextPage={nextPage} label="Ticket pages" />
    </>
  );
}
