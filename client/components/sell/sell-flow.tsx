'use client';
import { useState } from 'react';
import type { CatalogEvent } from '@/lib/api/types';
import { formatPlace } from '@/lib/format';
import { EventWhen } from '../event-when';
import { EventPicker } from './event-picker';
import { ListingForm } from './listing-form';

interface Chosen {
  event: CatalogEvent;
  /** Said once the event is chosen (it was in the catalogue already, …). */
  notice?: string;
}

/**
 * Selling, in two steps on one page: the event (found in the catalogue or added to it), then the
 * price and the seats. `initialEvent` (from `?eventId=`) skips the first.
 */
export function SellFlow({ initialEvent }: { initialEvent: CatalogEvent | null }) {
  const [chosen, setChosen] = useState<Chosen | null>(
    initialEvent ? { event: initialEvent } : null,
  );

  return (
    <>
      <section aria-labelledby="step-event" className="mb-4">
        <h2 id="step-event" className="h4">
          1. The event
        </h2>
        {chosen ? (
          <div className="card">
            <div className="card-body d-flex flex-wrap justify-content-between align-items-start gap-2">
              <div data-testid="chosen-event">
                <div className="fw-semibold">{chosen.event.name}</div>
                <div>
                  <EventWhen event={chosen.event} />
                </div>
                <div className="text-body-secondary">{formatPlace(chosen.event)}</div>
              </div>
              <button
                type="button"
                className="btn btn-sm btn-outline-secondary"
                onClick={() => setChosen(null)}
              >
                Change event
              </button>
            </div>
            {chosen.notice ? (
              <div className="card-footer small" role="status">
                {chosen.notice}
              </div>
            ) : null}
          </div>
        ) : (
          <EventPicker onPick={(event, notice) => setChosen({ event, notice })} />
        )}
      </section>
      <section aria-labelledby="step-tickets">
        <h2 id="step-tickets" className="h4">
          2. Your tickets
        </h2>
        {chosen ? (
          // A new form for each event: seats typed for one event are not carried to another.
          <ListingForm key={chosen.event.id} event={chosen.event} />
        ) : (
          <p className="text-body-secondary">Choose the event first.</p>
        )}
      </section>
    </>
  );
}
