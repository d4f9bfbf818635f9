import Link from 'next/link';
import { Fragment } from 'react';
import type { CatalogEvent, SeatInfo } from '@/lib/api/types';
import { formatPlace } from '@/lib/format';
import { SEAT_LABELS, SEAT_PARTS } from '@/lib/listing-input';
import { EventWhen } from './event-when';

/** What a ticket is for: the event (linked), when on the venue's clock, where, and the seat. */
export function ListingFacts({ event, seat }: { event: CatalogEvent; seat: SeatInfo }) {
  const parts = SEAT_PARTS.filter((part) => seat[part]);
  return (
    <dl className="row mb-3" data-testid="listing-facts">
      <dt className="col-sm-3">Event</dt>
      <dd className="col-sm-9">
        <Link href={`/events/${event.id}`}>{event.name}</Link>
      </dd>
      <dt className="col-sm-3">When</dt>
      <dd className="col-sm-9">
        <EventWhen event={event} />
      </dd>
      <dt className="col-sm-3">Where</dt>
      <dd className="col-sm-9">{formatPlace(event)}</dd>
      {parts.length === 0 ? (
        <>
          <dt className="col-sm-3">Seat</dt>
          <dd className="col-sm-9">General admission</dd>
        </>
      ) : (
        parts.map((part) => (
          <Fragment key={part}>
            <dt className="col-sm-3">{SEAT_LABELS[part]}</dt>
            <dd className="col-sm-9">{seat[part]}</dd>
          </Fragment>
        ))
      )}
    </dl>
  );
}
