import Link from 'next/link';
import type { Ticket } from '@/lib/api/types';
import { formatPlace, formatSeat } from '@/lib/format';
import { AllInPrice } from './all-in-price';
import { EventWhen } from './event-when';

/** A listing in a list: its title, event (when, on the venue's clock, and where), seat and all-in price. */
export function TicketCard({ ticket, own }: { ticket: Ticket; own: boolean }) {
  return (
    <article className="card h-100 ticket-card" data-testid="ticket-card">
      <div className="card-body d-flex flex-column">
        <h2 className="h5 card-title">
          <Link href={`/tickets/${ticket.id}`} className="stretched-link text-decoration-none">
            {ticket.title}
          </Link>
        </h2>
        <p className="mb-1 small">
          <EventWhen event={ticket.event} />
        </p>
        <p className="mb-1 small text-body-secondary">{formatPlace(ticket.event)}</p>
        <p className="mb-2 small">{formatSeat(ticket)}</p>
        <p className="mt-auto mb-0">
          <AllInPrice amount={ticket} />
          {own ? <span className="badge text-bg-light border ms-2 fs-6">Your listing</span> : null}
        </p>
      </div>
    </article>
  );
}
