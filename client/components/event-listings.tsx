'use client';
import Link from 'next/link';
import { useEffect, useState, type ReactNode } from 'react';
import { browserApi } from '@/lib/api/browser';
import type { CurrentUser, Ticket, TicketSort } from '@/lib/api/types';
import { formatAllInPrice, formatSeat } from '@/lib/format';
import { useEventStream } from '@/lib/hooks/use-event-stream';
import { AllInPrice } from './all-in-price';
import { PurchaseButton } from './purchase-button';

/** How often the listings are read again when the event's stream cannot be had. */
export const LISTINGS_REFRESH_MS = 10_000;

export type ListingChange =
  'listed' | 'reserved' | 'released' | 'sold' | 'price-changed' | 'updated';

const CAPTIONS: Partial<Record<TicketSort, string>> = {
  price: 'cheapest first',
  '-price': 'most expensive first',
  newest: 'newest listings first',
};

const STATUS_LABELS: Partial<Record<Ticket['status'], string>> = {
  reserved: 'Reserved',
  sold: 'Sold',
  closed: 'Closed',
};

/** Negative when `a` comes before `b` in the list's order. */
function compareListings(sort: TicketSort, a: Ticket, b: Ticket): number {
  if (sort === 'newest') return Date.parse(b.createdAt) - Date.parse(a.createdAt);
  if (sort === '-price') return b.total - a.total;
  return a.total - b.total;
}

interface ListView {
  sort: TicketSort;
  /** Whether later pages exist: a new listing is only shown here if it sorts before the last one. */
  hasNextPage: boolean;
}

/** The list as one message of the event's stream leaves it. */
export function applyListingChange(
  tickets: Ticket[],
  change: ListingChange,
  ticket: Ticket,
  view: ListView,
): Ticket[] {
  const index = tickets.findIndex((t) => t.id === ticket.id);
  if (index >= 0) {
    // A stale message (crossed by a refresh) must not undo a newer state.
    if (ticket.version < tickets[index]!.version) return tickets;
    // In place, even when the price changed: rows jumping under the pointer would misdirect a click.
    return tickets.map((t, i) => (i === index ? ticket : t));
  }
  if ((change !== 'listed' && change !== 'released') || ticket.status !== 'available') {
    return tickets;
  }
  const at = tickets.findIndex((t) => compareListings(view.sort, ticket, t) < 0);
  if (at < 0) return view.hasNextPage ? tickets : [...tickets, ticket];
  return [...tickets.slice(0, at), ticket, ...tickets.slice(at)];
}

/** What a visitor can do with one listing: buy it, sign in to buy it, or see it is their own. */
function ListingAction({ ticket, user }: { ticket: Ticket; user: CurrentUser | null }) {
  const what = `${formatSeat(ticket)} for ${formatAllInPrice(ticket)}`;
  const statusLabel = STATUS_LABELS[ticket.status];
  if (statusLabel) {
    return (
      <span
        className="badge text-bg-secondary"
        data-testid="listing-status"
        aria-label={`${statusLabel}: ${what}`}
      >
        {statusLabel}
      </span>
    );
  }
  if (user?.id === ticket.userId) {
    return (
      <Link
        href={`/tickets/${ticket.id}`}
        className="btn btn-sm btn-outline-secondary"
        aria-label={`Your listing: ${what}`}
      >
        Your listing
      </Link>
    );
  }
  if (!user) {
    return (
      <Link
        href={`/auth/signin?next=${encodeURIComponent(`/tickets/${ticket.id}`)}`}
        className="btn btn-sm btn-outline-primary"
        aria-label={`Sign in to buy ${what}`}
      >
        Sign in to buy
      </Link>
    );
  }
  return (
    <PurchaseButton ticketId={ticket.id} label="Buy" accessibleName={`Buy ${what}`} size="sm" />
  );
}

/** What the heading says: the event's listings for sale (on every page) and the lowest total. */
export interface ListingsSummary {
  listings: number;
  lowestPrice: number | null;
}

/** The summary of the open listings the stream keeps. */
function summarize(open: ReadonlyMap<string, Ticket>): ListingsSummary {
  let lowestPrice: number | null = null;
  for (const ticket of open.values())
    if (lowestPrice === null || ticket.total < lowestPrice) lowestPrice = ticket.total;
  return { listings: open.size, lowestPrice };
}

function ListingsHeading({ summary }: { summary: ListingsSummary }) {
  return (
    <h2 id="tickets-heading" className="h4 mb-0" data-testid="listings-heading">
      {summary.listings > 0 && summary.lowestPrice !== null ? (
        <>
          {`${summary.listings} ${summary.listings === 1 ? 'ticket' : 'tickets'} for sale · from `}
          <AllInPrice amount={{ total: summary.lowestPrice }} size="inline" />
        </>
      ) : (
        'Tickets for sale'
      )}
    </h2>
  );
}

interface EventListingsProps {
  eventId: string;
  /** The heading's figures as the server rendered them, until the stream tells them. */
  initialSummary: ListingsSummary;
  /** Shown beside the heading (the sort links). */
  actions?: ReactNode;
  /** The page's listings as the server rendered them: the state until the stream says otherwise. */
  initialTickets: Ticket[];
  sort: TicketSort;
  page: number;
  hasNextPage: boolean;
  user: CurrentUser | null;
}

/**
 * An event's tickets for sale under their heading ("12 tickets for sale · from $45.50"), kept current
 * by the event's stream: a listing reserved or sold is marked so, one released is for sale again, new
 * ones appear, prices follow, and the heading counts what is open. Without the stream the page's list is
 * read again every LISTINGS_REFRESH_MS.
 */
export function EventListings({
  eventId,
  initialSummary,
  actions,
  initialTickets,
  sort,
  page,
  hasNextPage,
  user,
}: EventListingsProps) {
  const [tickets, setTickets] = useState(initialTickets);
  // A server refresh (router.refresh() after a refused Buy) renders the list anew: it wins.
  const [rendered, setRendered] = useState(initialTickets);
  if (rendered !== initialTickets) {
    setRendered(initialTickets);
    setTickets(initialTickets);
  }
  // Every open listing of the event (all pages), as the stream tells them; null until it has.
  const [open, setOpen] = useState<ReadonlyMap<string, Ticket> | null>(null);
  const view: ListView = { sort, hasNextPage };
  const stream = useEventStream(`/api/events/${eventId}/stream`, {
    // The open listings as of (re)connecting: what changed since the page was rendered.
    listings: (data) => {
      const { tickets: open } = data as { tickets: Ticket[] };
      setOpen(new Map(open.map((ticket) => [ticket.id, ticket])));
      setTickets((current) =>
        open.reduce((list, ticket) => applyListingChange(list, 'listed', ticket, view), current),
      );
      // Shown for sale but no longer open: taken while the page was not listening (before the stream
      // started, or while it was down). Each is read again to show how it stands: reserved, sold...
      const openIds = new Set(open.map((ticket) => ticket.id));
      for (const shown of tickets) {
        if (shown.status !== 'available' || openIds.has(shown.id)) continue;
        browserApi.getTicket(shown.id).then(
          (ticket) => setTickets((current) => applyListingChange(current, 'updated', ticket, view)),
          () => undefined,
        );
      }
    },
    listing: (data) => {
      const { change, ticket } = data as { change: ListingChange; ticket: Ticket };
      setTickets((current) => applyListingChange(current, change, ticket, view));
      setOpen((current) => {
        if (!current) return current;
        const next = new Map(current);
        if (ticket.status === 'available') next.set(ticket.id, ticket);
        else next.delete(ticket.id);
        return next;
      });
    },
  });

  useEffect(() => {
    if (stream !== 'failed') return;
    const id = setInterval(() => {
      browserApi.listTickets({ eventId, sort, page }).then(
        (result) => setTickets(result.items),
        () => undefined,
      );
    }, LISTINGS_REFRESH_MS);
    return () => clearInterval(id);
  }, [stream, eventId, sort, page]);

  // `data-stream` says whether the list is live (the e2e tests wait for it before acting).
  const heading = (
    <div className="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-3">
      <ListingsHeading summary={open ? summarize(open) : initialSummary} />
      {actions}
    </div>
  );
  if (tickets.length === 0) {
    const sellPath = `/tickets/new?eventId=${encodeURIComponent(eventId)}`;
    return (
      <>
        {heading}
        <div className="text-center py-5 border rounded bg-body-tertiary" data-stream={stream}>
          <p className="lead mb-2">
            {page > 1 ? 'There are no more tickets.' : 'No tickets for this event yet.'}
          </p>
          {page > 1 ? (
            <Link href={`/events/${eventId}`}>Back to the first page</Link>
          ) : (
            <Link href={sellPath}>Be the first to sell one</Link>
          )}
        </div>
      </>
    );
  }

  return (
    <>
      {heading}
      <div className="table-responsive" data-testid="event-listings" data-stream={stream}>
        <table className="table align-middle">
          <caption className="visually-hidden">Tickets for this event, {CAPTIONS[sort]}</caption>
          <thead>
            <tr>
              <th scope="col">Section</th>
              <th scope="col">Row</th>
              <th scope="col">Seat</th>
              <th scope="col" className="text-end">
                Price incl. fees
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tickets.map((ticket) => (
              <tr
                key={ticket.id}
                data-testid="event-listing"
                className={ticket.status === 'available' ? undefined : 'text-body-secondary'}
              >
                {ticket.section || ticket.row || ticket.seat ? (
                  <>
                    <td>{ticket.section ?? '–'}</td>
                    <td>{ticket.row ?? '–'}</td>
                    <td>{ticket.seat ?? '–'}</td>
                  </>
                ) : (
                  <td colSpan={3}>General admission</td>
                )}
                <td className="text-end">
                  <AllInPrice
                    amount={ticket}
                    size="sm"
                    renderTotal={(total) => <Link href={`/tickets/${ticket.id}`}>{total}</Link>}
                  />
                </td>
                <td className="text-end">
                  <ListingAction ticket={ticket} user={user} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
