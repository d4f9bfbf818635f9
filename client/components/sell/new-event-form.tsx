'use client';
import { useMemo, useState, type FormEvent } from 'react';
import { browserApi } from '@/lib/api/browser';
import { NO_ERRORS, toFormErrors, type FormErrors } from '@/lib/api/errors';
import { EVENT_CATEGORIES, type CatalogEvent } from '@/lib/api/types';
import { CATEGORY_LABELS, formatEventDate } from '@/lib/format';
import { EVENT_TEXT_MAX, checkEventDraft, type EventDraft } from '@/lib/listing-input';
import { zonedTimeToUtc } from '@/lib/zoned-time';
import { Field, SelectField } from '../field';
import { FormAlert } from '../form-alert';
import { useFocusFirstError } from '../use-focus-first-error';

const FIELDS = ['name', 'venue', 'city', 'startsAt', 'timeZone', 'category'] as const;

/** The browser's own zone: where most sellers' events are. */
function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Every IANA zone the browser knows, with `current` among them (UTC is not always listed), A to Z. */
function timeZoneChoices(current: string): string[] {
  const zones = new Set(Intl.supportedValuesOf('timeZone'));
  zones.add('UTC');
  zones.add(current);
  return [...zones].sort();
}

interface NewEventFormProps {
  /** What the seller searched for: the new event's name to start from. */
  initialName: string;
  /** The event as the catalogue has it; `created` false when it was there already. */
  onSaved: (event: CatalogEvent, created: boolean) => void;
  onCancel: () => void;
}

/**
 * Adds an event to the catalogue. The start is typed as the venue's clock shows it, in the venue's
 * time zone (the browser's to begin with), and sent as the instant that is; the form shows it back on
 * that clock so a seller sees what buyers will see.
 *
 * Rendered only after the seller asks for it (never on the server), so reading the browser's zone
 * and its list of zones here cannot differ from a server render.
 */
export function NewEventForm({ initialName, onSaved, onCancel }: NewEventFormProps) {
  const [draft, setDraft] = useState<EventDraft>(() => ({
    name: initialName,
    venue: '',
    city: '',
    startsAt: '',
    timeZone: browserTimeZone(),
    category: '',
  }));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [submitting, setSubmitting] = useState(false);
  const { formRef, alertRef, focusFirstErrorAfterRender } = useFocusFirstError();
  const [zones] = useState(() => timeZoneChoices(draft.timeZone));
  // Some 400 options: built once, so typing in the other fields does not rebuild them.
  const zoneOptions = useMemo(
    () =>
      zones.map((zone) => (
        <option key={zone} value={zone}>
          {zone.replaceAll('_', ' ')}
        </option>
      )),
    [zones],
  );
  const startsAt = draft.startsAt ? zonedTimeToUtc(draft.startsAt, draft.timeZone) : null;

  const change = (name: keyof EventDraft) => (value: string) =>
    setDraft((current) => ({ ...current, [name]: value }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const checked = checkEventDraft(draft);
    if (!checked.ok) {
      setErrors({ fields: checked.fields, form: [] });
      focusFirstErrorAfterRender();
      return;
    }
    setSubmitting(true);
    setErrors(NO_ERRORS);
    try {
      const saved = await browserApi.createEvent(checked.input);
      onSaved(saved.event, saved.created);
    } catch (err) {
      setErrors(toFormErrors(err, FIELDS));
      setSubmitting(false);
      focusFirstErrorAfterRender();
    }
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-labelledby="new-event-heading">
      <h3 id="new-event-heading" className="h5">
        Add the event
      </h3>
      <FormAlert ref={alertRef} messages={errors.form} />
      <Field
        id="event-name"
        name="name"
        label="Event name"
        value={draft.name}
        onChange={(e) => change('name')(e.target.value)}
        maxLength={EVENT_TEXT_MAX}
        required
        errors={errors.fields.name}
        hint="The artist, teams or show, as on the ticket."
      />
      <div className="row">
        <div className="col-md-6">
          <Field
            id="event-venue"
            name="venue"
            label="Venue"
            value={draft.venue}
            onChange={(e) => change('venue')(e.target.value)}
            maxLength={EVENT_TEXT_MAX}
            required
            errors={errors.fields.venue}
          />
        </div>
        <div className="col-md-6">
          <Field
            id="event-city"
            name="city"
            label="City"
            value={draft.city}
            onChange={(e) => change('city')(e.target.value)}
            maxLength={EVENT_TEXT_MAX}
            autoComplete="off"
            required
            errors={errors.fields.city}
          />
        </div>
      </div>
      <div className="row">
        <div className="col-md-6">
          <Field
            id="event-starts-at"
            name="startsAt"
            type="datetime-local"
            label="Date and time"
            value={draft.startsAt}
            onChange={(e) => change('startsAt')(e.target.value)}
            required
            errors={errors.fields.startsAt}
            hint="As the clocks at the venue will show it."
          />
        </div>
        <div className="col-md-6">
          <SelectField
            id="event-time-zone"
            name="timeZone"
            label="Time zone"
            hint="Where the venue is: buyers see the start on its clock."
            value={draft.timeZone}
            onChange={(e) => change('timeZone')(e.target.value)}
            required
            errors={errors.fields.timeZone}
          >
            {zoneOptions}
          </SelectField>
        </div>
      </div>
      <SelectField
        id="event-category"
        name="category"
        label="Category"
        value={draft.category}
        onChange={(e) => change('category')(e.target.value)}
        required
        errors={errors.fields.category}
      >
        <option value="">Choose…</option>
        {EVENT_CATEGORIES.map((category) => (
          <option key={category} value={category}>
            {CATEGORY_LABELS[category]}
          </option>
        ))}
      </SelectField>
      {startsAt ? (
        <p className="text-body-secondary" data-testid="event-start-preview">
          Buyers will see it starts{' '}
          <strong>
            <time dateTime={startsAt}>{formatEventDate(startsAt, draft.timeZone)}</time>
          </strong>
          .
        </p>
      ) : null}
      <div className="d-flex gap-2">
        <button type="submit" className="btn btn-primary" disabled={submitting}>
          {submitting ? 'Adding…' : 'Add event'}
        </button>
        <button type="button" className="btn btn-outline-secondary" onClick={onCancel}>
          Back to search
        </button>
      </div>
    </form>
  );
}
