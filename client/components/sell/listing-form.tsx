'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { browserApi } from '@/lib/api/browser';
import { NO_ERRORS, toFormErrors, type FormErrors } from '@/lib/api/errors';
import type { CatalogEvent, SeatInfo, Ticket } from '@/lib/api/types';
import { formatPrice, formatSeat } from '@/lib/format';
import {
  SEAT_LABELS,
  SEAT_PARTS,
  SEAT_PART_MAX,
  TITLE_MAX,
  checkPrice,
  checkSeat,
  checkTitle,
  trimSeat,
  type FieldMessages,
  type SeatPart,
} from '@/lib/listing-input';
import { Field } from '../field';
import { FormAlert } from '../form-alert';
import { useFocusFirstError } from '../use-focus-first-error';
import { PriceQuote } from './price-quote';

/** Seats listed in one go, at most. */
export const MAX_SEATS = 20;

const SHARED_FIELDS = ['price', 'title'] as const;

/** One seat being listed: its own key (rows come and go) and what the seller typed. */
interface SeatRow {
  key: number;
  seat: Record<SeatPart, string>;
}

/** What went wrong with one seat: messages beside its inputs, and the rest beside the seat. */
interface SeatErrors {
  fields: FieldMessages;
  messages: string[];
}

const EMPTY_SEAT: Record<SeatPart, string> = { section: '', row: '', seat: '' };

export interface ListingOutcome {
  /** Messages for the price and title every listing shares, and for the form as a whole. */
  shared: FormErrors;
  /** Per seat that failed, by row key. */
  seats: Map<number, SeatErrors>;
}

/**
 * Sorts the failures of some seats' listings: a price or title message belongs to the shared field
 * (once); a seat part's to that seat's input; anything else to the seat — or, when every failed seat
 * was refused for the same reasons (the event has started), once to the whole form. When several
 * tickets were listed in all, the form's alert starts by saying how many failed.
 */
export function sortListingFailures(
  failures: { key: number; error: unknown }[],
  listedCount: number,
): ListingOutcome {
  const shared: FormErrors = { fields: {}, form: [] };
  const seats = new Map<number, SeatErrors>();
  for (const { key, error } of failures) {
    const { fields, form } = toFormErrors(error, [...SHARED_FIELDS, ...SEAT_PARTS]);
    const seatErrors: SeatErrors = { fields: {}, messages: form };
    for (const [name, messages] of Object.entries(fields)) {
      if ((SEAT_PARTS as readonly string[]).includes(name)) {
        seatErrors.fields[name] = messages;
      } else {
        const known = (shared.fields[name] ??= []);
        for (const message of messages) if (!known.includes(message)) known.push(message);
      }
    }
    seats.set(key, seatErrors);
  }
  const perSeat = [...seats.values()];
  const first = perSeat[0]?.messages.join('\n') ?? '';
  if (first && perSeat.every((seatErrors) => seatErrors.messages.join('\n') === first)) {
    shared.form.push(...(perSeat[0]?.messages ?? []));
    for (const seatErrors of perSeat) seatErrors.messages = [];
  }
  const tried = failures.length + listedCount;
  if (tried > 1) {
    const bySeat = perSeat.some(
      (seatErrors) => seatErrors.messages.length > 0 || Object.keys(seatErrors.fields).length > 0,
    );
    shared.form.unshift(
      `${failures.length} of ${tried} tickets could not be listed.${bySeat ? ' See the seats below.' : ''}`,
    );
  }
  return { shared, seats };
}

function checkInput(price: string, title: string, rows: SeatRow[]): ListingOutcome {
  const shared: FormErrors = { fields: {}, form: [] };
  const priceErrors = checkPrice(price);
  if (priceErrors.length > 0) shared.fields.price = priceErrors;
  const titleErrors = checkTitle(title, { required: false });
  if (titleErrors.length > 0) shared.fields.title = titleErrors;
  const seats = new Map<number, SeatErrors>();
  for (const row of rows) {
    const fields = checkSeat(row.seat);
    if (Object.keys(fields).length > 0) seats.set(row.key, { fields, messages: [] });
  }
  return { shared, seats };
}

function hasListingErrors(outcome: ListingOutcome): boolean {
  return (
    outcome.seats.size > 0 ||
    outcome.shared.form.length > 0 ||
    Object.keys(outcome.shared.fields).length > 0
  );
}

/**
 * Step two of selling: the price and the seats. One listing per seat (each a `POST /api/tickets` with
 * the event and the price); seats listed before one failed stay listed and leave the form, the failed
 * ones stay with their messages for another try. All listed: one ticket opens its page, several the
 * event's.
 */
export function ListingForm({ event }: { event: CatalogEvent }) {
  const router = useRouter();
  const [rows, setRows] = useState<SeatRow[]>([{ key: 0, seat: EMPTY_SEAT }]);
  const [nextKey, setNextKey] = useState(1);
  const [listed, setListed] = useState<Ticket[]>([]);
  const [errors, setErrors] = useState<ListingOutcome>({ shared: NO_ERRORS, seats: new Map() });
  const [submitting, setSubmitting] = useState(false);
  // As typed, for the live quote; the form itself reads the price from its input when submitted.
  const [priceText, setPriceText] = useState('');
  const { formRef, alertRef, focusFirstErrorAfterRender } = useFocusFirstError();

  function addRow() {
    setRows((current) => [...current, { key: nextKey, seat: EMPTY_SEAT }]);
    setNextKey((key) => key + 1);
  }

  function removeRow(key: number) {
    setRows((current) => current.filter((row) => row.key !== key));
  }

  function changeSeat(key: number, part: SeatPart, value: string) {
    setRows((current) =>
      current.map((row) =>
        row.key === key ? { ...row, seat: { ...row.seat, [part]: value } } : row,
      ),
    );
  }

  async function onSubmit(submitted: FormEvent<HTMLFormElement>) {
    submitted.preventDefault();
    const data = new FormData(submitted.currentTarget);
    const price = String(data.get('price') ?? '');
    const title = String(data.get('title') ?? '');
    const local = checkInput(price, title, rows);
    if (hasListingErrors(local)) {
      setErrors(local);
      focusFirstErrorAfterRender();
      return;
    }
    setSubmitting(true);
    setErrors({ shared: NO_ERRORS, seats: new Map() });
    const listedNow: Ticket[] = [];
    const failures: { key: number; error: unknown }[] = [];
    // One after another: the listings appear in the order the seller typed the seats.
    for (const row of rows) {
      const seat: SeatInfo = trimSeat(row.seat);
      try {
        const ticket = await browserApi.createTicket({
          eventId: event.id,
          price: Number(price.trim()),
          ...(title.trim() ? { title: title.trim() } : {}),
          ...seat,
        });
        listedNow.push(ticket);
      } catch (error) {
        failures.push({ key: row.key, error });
      }
    }
    const allListed = [...listed, ...listedNow];
    if (failures.length === 0) {
      const only = allListed.length === 1 ? allListed[0] : undefined;
      router.push(only ? `/tickets/${only.id}` : `/events/${event.id}?listed=${allListed.length}`);
      router.refresh();
      return;
    }
    const failedKeys = new Set(failures.map((f) => f.key));
    setListed(allListed);
    setRows((current) => current.filter((row) => failedKeys.has(row.key)));
    setErrors(sortListingFailures(failures, allListed.length));
    setSubmitting(false);
    focusFirstErrorAfterRender();
  }

  const { shared, seats } = errors;
  const titleDefault = `Default: ${event.name} — Section, Row, Seat`;

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate>
      {listed.length > 0 ? (
        <div className="alert alert-success" role="status">
          Listed:{' '}
          {listed.map((ticket, i) => (
            <span key={ticket.id}>
              {i > 0 ? '; ' : null}
              <Link href={`/tickets/${ticket.id}`} className="alert-link">
                {formatSeat(ticket)} ({formatPrice(ticket.price)})
              </Link>
            </span>
          ))}
        </div>
      ) : null}
      <FormAlert ref={alertRef} messages={shared.form} />
      <Field
        id="price"
        name="price"
        label="Price per ticket (USD)"
        prefix="$"
        inputMode="decimal"
        required
        onChange={(e) => setPriceText(e.target.value)}
        errors={shared.fields.price}
        hint={
          <>
            From $0.50 to $1,000,000. <PriceQuote price={priceText} />
          </>
        }
      />
      <Field
        id="title"
        name="title"
        label="Title (optional)"
        maxLength={TITLE_MAX}
        placeholder={titleDefault}
        errors={shared.fields.title}
        hint="Leave it empty and each ticket is titled with the event and its seat."
      />
      {rows.map((row, index) => {
        const rowErrors = seats.get(row.key);
        const messageId = `seat-${row.key}-message`;
        return (
          <fieldset
            key={row.key}
            className="border rounded p-3 mb-3"
            aria-describedby={rowErrors?.messages.length ? messageId : undefined}
            data-testid="seat-row"
          >
            <legend className="float-none w-auto fs-6 px-1 mb-0">Ticket {index + 1}</legend>
            <div className="row g-2">
              {SEAT_PARTS.map((part) => (
                <div key={part} className="col-sm-4">
                  <Field
                    id={`seat-${row.key}-${part}`}
                    name={`${part}-${row.key}`}
                    label={SEAT_LABELS[part]}
                    value={row.seat[part]}
                    onChange={(e) => changeSeat(row.key, part, e.target.value)}
                    maxLength={SEAT_PART_MAX}
                    errors={rowErrors?.fields[part]}
                  />
                </div>
              ))}
            </div>
            {rowErrors && rowErrors.messages.length > 0 ? (
              <div id={messageId} className="text-danger small mb-2">
                {rowErrors.messages.join(' ')}
              </div>
            ) : null}
            {rows.length > 1 ? (
              <button
                type="button"
                className="btn btn-sm btn-outline-danger"
                onClick={() => removeRow(row.key)}
              >
                Remove ticket {index + 1}
              </button>
            ) : null}
          </fieldset>
        );
      })}
      <p className="form-text mt-n2">
        One listing per seat; leave Section, Row and Seat empty for general admission.
      </p>
      <div className="d-flex flex-wrap gap-2">
        <button
          type="button"
          className="btn btn-outline-secondary"
          onClick={addRow}
          disabled={rows.length >= MAX_SEATS}
        >
          Add another seat
        </button>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={submitting || rows.length === 0}
        >
          {submitting
            ? 'Listing…'
            : rows.length === 1
              ? 'List ticket'
              : `List ${rows.length} tickets`}
        </button>
      </div>
    </form>
  );
}
