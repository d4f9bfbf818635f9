import Link from 'next/link';
import type { Ticket } from '@/lib/api/types';
import { formatDate, formatPrice } from '@/lib/format';

export function TicketCard({ ticket, own }: { ticket: Ticket; own: boolean }) {
  return (
    <article className="card h-100 ticket-card" data-testid="ticket-card">
      <div className="card-body d-flex flex-column">
        <h2 className="h5 card-title">
          <Link href={`/tickets/${ticket.id}`} className="stretched-link text-decoration-none">
            {ticket.title}
          </Link>
        </h2>
        <p className="fs-4 fw-semibold mb-2">{formatPrice(ticket.price)}</p>
        <p className="card-text text-body-secondary small mt-auto mb-0">
          Listed <time dateTime={ticket.createdAt}>{formatDate(ticket.createdAt)}</time>
          {own ? <span className="badge text-bg-light border ms-2">Your listing</span> : null}
        </p>
      </div>
    </article>
  );
}
