'use client';
import { useState, type FormEvent } from 'react';
import { browserApi } from '@/lib/api/browser';
import { toApiError } from '@/lib/api/errors';
import type { CatalogEvent, EventSummary } from '@/lib/api/types';
import { formatEventDate, formatPlace } from '@/lib/format';
import { EventWhen } from '../event-when';
import { NewEventForm } from './new-event-form';

/** How many matches the seller is shown: enough to spot theirs, few enough to read. */
const RESULTS = 8;

type Search =
  | { state: 'idle' }
  | { state: 'searching'; q: string }
  | { state: 'done'; q: string; events: EventSummary[] }
  | { state: 'failed'; q: string; message: string };

/**
 * Step one of selling: find the event in the catalogue (`GET /api/events?q=`) and choose it, or add it
 * when it is not there yet.
 */
export function EventPicker({
  onPick,
}: {
  onPick: (event: CatalogEvent, notice?: string) => void;
}) {
  const [search, setSearch] = useState<Search>({ state: 'idle' });
  const [adding, setAdding] = useState(false);
  // What was last searched for: the search box keeps it, and a new event starts with it as its name.
  const [lastQuery, setLastQuery] = useState('');

  async function onSearch(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const q = String(new FormData(event.currentTarget).get('q') ?? '').trim();
    setLastQuery(q);
    if (!q) {
      setSearch({ state: 'idle' });
      return;
    }
    setSearch({ state: 'searching', q });
    try {
      const { items } = await browserApi.listEvents({ q, limit: RESULTS });
      setSearch({ state: 'done', q, events: items });
    } catch (err) {
      setSearch({ state: 'failed', q, message: toApiError(err).message });
    }
  }

  if (adding) {
    return (
      <NewEventForm
        initialName={lastQuery}
        onCancel={() => setAdding(false)}
        onSaved={(event, created) =>
          onPick(
            event,
            created
              ? undefined
              : 'This event was in the catalogue already, so your tickets are listed under it.',
          )
        }
      />
    );
  }

  return (
    <>
      <form onSubmit={onSearch} role="search" aria-label="Search the catalogue" className="mb-3">
        <label htmlFor="event-search" className="form-label">
          Find the event
        </label>
        <div className="input-group">
          <input
            id="event-search"
            name="q"
            type="search"
            className="form-control"
            maxLength={200}
            placeholder="Artist, team, show, venue or city"
            defaultValue={lastQuery}
          />
          <button
            type="submit"
            className="btn btn-outline-primary"
            disabled={search.state === 'searching'}
          >
            Search
          </button>
        </div>
      </form>
      <div aria-live="polite" data-testid="event-search-results">
        {search.state === 'searching' ? <p className="text-body-secondary">Searching…</p> : null}
        {search.state === 'failed' ? (
          <div className="alert alert-danger" role="alert">
            {search.message}
          </div>
        ) : null}
        {search.state === 'done' && search.events.length === 0 ? (
          <p>No upcoming events match “{search.q}”.</p>
        ) : null}
        {search.state === 'done' && search.events.length > 0 ? (
          <>
            <p className="visually-hidden">
              {search.events.length === 1
                ? '1 event found'
                : `${search.events.length} events found`}
            </p>
            <ul className="list-group mb-3">
              {search.events.map((event) => (
                <li
                  key={event.id}
                  className="list-group-item d-flex flex-wrap justify-content-between align-items-center gap-2"
                >
                  <div>
                    <div className="fw-semibold">{event.name}</div>
                    <div className="small">
                      <EventWhen event={event} />
                    </div>
                    <div className="small text-body-secondary">{formatPlace(event)}</div>
                  </div>
                  <button
                    type="button"
                    className="btn btn-sm btn-primary"
                    aria-label={`Choose ${event.name}, ${formatEventDate(event.startsAt, event.timeZone)}`}
                    onClick={() => onPick(event)}
                  >
                    Choose
                  </button>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </div>
      <p className="mb-0">
        {search.state === 'done' ? 'Not listed? ' : 'Selling for an event no one has listed yet? '}
        <button
          type="button"
          className="btn btn-link p-0 align-baseline"
          onClick={() => setAdding(true)}
        >
          Add the event
        </button>
      </p>
    </>
  );
}
