'use client';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { browserApi } from '@/lib/api/browser';
import type { FormErrors } from '@/lib/api/errors';
import type { Ticket, TicketChanges } from '@/lib/api/types';
import { useFormSubmit } from '@/lib/hooks/use-form-submit';
import {
  SEAT_LABELS,
  SEAT_PARTS,
  SEAT_PART_MAX,
  TITLE_MAX,
  checkPrice,
  checkSeat,
  checkTitle,
} from '@/lib/listing-input';
import { Field } from './field';
import { FormAlert } from './form-alert';
import { PriceQuote } from './sell/price-quote';

const FIELDS = ['price', 'title', ...SEAT_PARTS] as const;

type EditableTicket = Pick<Ticket, 'id' | 'title' | 'price' | 'section' | 'row' | 'seat'>;

/** The same rules as the tickets service, checked before sending (the service checks again). */
export function checkTicketChanges(input: Record<(typeof FIELDS)[number], string>): FormErrors {
  const fields: FormErrors['fields'] = { ...checkSeat(input) };
  const price = checkPrice(input.price);
  if (price.length > 0) fields.price = price;
  const title = checkTitle(input.title, { required: true });
  if (title.length > 0) fields.title = title;
  return { fields, form: [] };
}

/**
 * The seller edits a listing: price, title and seat (never its event). Every field is sent; an empty
 * seat part clears it on the service.
 */
export function TicketForm({ ticket }: { ticket: EditableTicket }) {
  const router = useRouter();
  const { errors, submitting, formRef, alertRef, submit } = useFormSubmit({
    fields: FIELDS,
    keepSubmittingOnSuccess: true,
  });
  // As typed, for the live quote; the form itself reads the price from its input when submitted.
  const [priceText, setPriceText] = useState(ticket.price.toFixed(2));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const read = (name: (typeof FIELDS)[number]) => String(data.get(name) ?? '');
    const input = {
      price: read('price'),
      title: read('title'),
      section: read('section'),
      row: read('row'),
      seat: read('seat'),
    };
    await submit(checkTicketChanges(input), async () => {
      const changes: TicketChanges = {
        price: Number(input.price.trim()),
        title: input.title.trim(),
        section: input.section.trim(),
        row: input.row.trim(),
        seat: input.seat.trim(),
      };
      const saved = await browserApi.updateTicket(ticket.id, changes);
      router.push(`/tickets/${saved.id}`);
      router.refresh();
    });
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate>
      <FormAlert ref={alertRef} messages={errors.form} />
      <Field
        id="price"
        name="price"
        label="Price (USD)"
        prefix="$"
        inputMode="decimal"
        defaultValue={ticket.price.toFixed(2)}
        required
        onChange={(e) => setPriceText(e.target.value)}
        errors={errors.fields.price}
        hint={
          <>
            From $0.50 to $1,000,000. <PriceQuote price={priceText} />
          </>
        }
      />
      <Field
        id="title"
        name="title"
        label="Title"
        defaultValue={ticket.title}
        maxLength={TITLE_MAX}
        required
        errors={errors.fields.title}
        hint="What buyers see in lists."
      />
      <fieldset className="mb-3">
        <legend className="fs-6">Seat (leave empty for general admission)</legend>
        <div className="row g-2">
          {SEAT_PARTS.map((part) => (
            <div key={part} className="col-sm-4">
              <Field
                id={part}
                name={part}
                label={SEAT_LABELS[part]}
                defaultValue={ticket[part] ?? ''}
                maxLength={SEAT_PART_MAX}
                errors={errors.fields[part]}
              />
            </div>
          ))}
        </div>
      </fieldset>
      <button type="submit" className="btn btn-primary" disabled={submitting}>
        {submitting ? 'Saving…' : 'Save changes'}
      </button>
    </form>
  );
}
