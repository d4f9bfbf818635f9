import Link from 'next/link';
import type { EventSummary } from '@/lib/api/types';
import { CATEGORY_LABELS, formatPlace } from '@/lib/format';
import { AllInPrice } from './all-in-price';
import { EventWhen } from './event-when';

/**
 * An upcoming event in a list: what, when (on the venue's clock), where, and what is for sale from the
 * lowest total a buyer pays (`lowestPrice` includes the fees).
 */
export function EventCard({ event }: { event: EventSummary }) {
  return (
    <article className="card h-100 ticket-card" data-testid="event-card">
      <div className="card-body d-flex flex-column">
        <p className="small text-uppercase text-body-secondary mb-1">
          {CATEGORY_LABELS[event.category]}
        </p>
        <h2 className="h5 card-title">
          <Link href={`/events/${event.id}`} className="stretched-link text-decoration-none">
            {event.name}
          </Link>
        </h2>
        <p className="mb-1">
          <EventWhen event={event} />
        </p>
        <p className="text-body-secondary">{formatPlace(event)}</p>
        <p className="mt-auto mb-0 fw-semibold" data-testid="event-availability">
          {event.listings > 0 && event.lowestPrice !== null ? (
            <>
              {`${event.listings} ${event.listings === 1 ? 'ticket' : 'tickets'} · from `}
              <AllInPrice amount={{ total: event.lowestPrice }} size="inline" />
            </>
          ) : (
            'No tickets yet'
          )}
        </p>
      </div>
    </article>
  );
}
