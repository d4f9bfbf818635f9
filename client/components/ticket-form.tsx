'use client';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { browserApi } from '@/lib/api/browser';
import { NO_ERRORS, hasErrors, toFormErrors, type FormErrors } from '@/lib/api/errors';
import type { Ticket } from '@/lib/api/types';
import { Field } from './field';
import { FormAlert } from './form-alert';
import { useFocusFirstError } from './use-focus-first-error';

const FIELDS = ['title', 'price'] as const;
export const PRICE_MIN = 0.5;
export const PRICE_MAX = 1_000_000;
const TITLE_MAX = 200;

/** The same rules as the tickets service, checked before sending (the service checks again). */
export function checkTicketInput(title: string, price: string): FormErrors {
  const fields: FormErrors['fields'] = {};
  const trimmed = title.trim();
  if (!trimmed) fields.title = ['Title is required'];
  else if (trimmed.length > TITLE_MAX)
    fields.title = [`Title must be 1 to ${TITLE_MAX} characters`];
  const value = Number(price.trim());
  if (!price.trim()) fields.price = ['Price is required'];
  else if (!/^\d+(\.\d{1,2})?$/.test(price.trim()) || value < PRICE_MIN || value > PRICE_MAX)
    fields.price = ['Price must be a number from 0.50 to 1,000,000 with at most 2 decimals'];
  return { fields, form: [] };
}

interface TicketFormProps {
  /** Absent: a new listing. Present: edit this one. */
  ticket?: Pick<Ticket, 'id' | 'title' | 'price'>;
}

export function TicketForm({ ticket }: TicketFormProps) {
  const router = useRouter();
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [submitting, setSubmitting] = useState(false);
  const { formRef, alertRef, focusFirstErrorAfterRender } = useFocusFirstError();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const title = String(data.get('title') ?? '');
    const price = String(data.get('price') ?? '');
    const local = checkTicketInput(title, price);
    if (hasErrors(local)) {
      setErrors(local);
      focusFirstErrorAfterRender();
      return;
    }
    setSubmitting(true);
    setErrors(NO_ERRORS);
    try {
      const body = { title: title.trim(), price: Number(price.trim()) };
      const saved = ticket
        ? await browserApi.updateTicket(ticket.id, body)
        : await browserApi.createTicket(body);
      router.push(`/tickets/${saved.id}`);
      router.refresh();
    } catch (err) {
      setErrors(toFormErrors(err, FIELDS));
      setSubmitting(false);
      focusFirstErrorAfterRender();
    }
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate>
      <FormAlert ref={alertRef} messages={errors.form} />
      <Field
        id="title"
        name="title"
        label="Title"
        defaultValue={ticket?.title}
        maxLength={TITLE_MAX}
        required
        errors={errors.fields.title}
        hint="The event, the date and the seat, as the buyer will see it."
      />
      <Field
        id="price"
        name="price"
        label="Price (USD)"
        prefix="$"
        inputMode="decimal"
        defaultValue={ticket ? ticket.price.toFixed(2) : undefined}
        required
        errors={errors.fields.price}
        hint="From $0.50 to $1,000,000."
      />
      <button type="submit" className="btn btn-primary" disabled={submitting}>
        {ticket
          ? submitting
            ? 'Saving…'
            : 'Save changes'
          : submitting
            ? 'Listing…'
            : 'List ticket'}
      </button>
    </form>
  );
}
