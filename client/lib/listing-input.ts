/**
 * The tickets service's rules for what sellers type, checked in the browser before sending (the service
 * checks again; its messages are the same words). Each check answers the field's messages, or none.
 */
import { EVENT_CATEGORIES, type EventCategory, type EventInput, type SeatInfo } from './api/types';
import { isTimeZone, zonedTimeToUtc } from './zoned-time';

export const PRICE_MIN = 0.5;
export const PRICE_MAX = 1_000_000;
export const TITLE_MAX = 200;
export const SEAT_PART_MAX = 20;
export const EVENT_TEXT_MAX = 120;
/** How far ahead an event may be listed. */
export const MAX_YEARS_AHEAD = 2;

export const SEAT_PARTS = ['section', 'row', 'seat'] as const;
export type SeatPart = (typeof SEAT_PARTS)[number];

export const SEAT_LABELS: Record<SeatPart, string> = {
  section: 'Section',
  row: 'Row',
  seat: 'Seat',
};

export function checkPrice(price: string): string[] {
  const text = price.trim();
  const value = Number(text);
  if (!text) return ['Price is required'];
  if (!/^\d+(\.\d{1,2})?$/.test(text) || value < PRICE_MIN || value > PRICE_MAX)
    return ['Price must be a number from 0.50 to 1,000,000 with at most 2 decimals'];
  return [];
}

/** A title: required when editing, optional when listing (the service then names the event and seat). */
export function checkTitle(title: string, { required }: { required: boolean }): string[] {
  const text = title.trim();
  if (!text) return required ? ['Title is required'] : [];
  if (text.length > TITLE_MAX) return [`Title must be 1 to ${TITLE_MAX} characters`];
  return [];
}

/** Messages per field: the names of the fields at fault, each with its messages. */
export type FieldMessages = Record<string, string[]>;

/** Messages per seat part (section, row, seat) that is too long; empty parts are fine. */
export function checkSeat(seat: SeatInfo): FieldMessages {
  const errors: FieldMessages = {};
  for (const part of SEAT_PARTS) {
    if ((seat[part] ?? '').trim().length > SEAT_PART_MAX)
      errors[part] = [`${SEAT_LABELS[part]} must be at most ${SEAT_PART_MAX} characters`];
  }
  return errors;
}

/** The seat's parts trimmed, the empty ones left out (a listing without any is general admission). */
export function trimSeat(seat: SeatInfo): SeatInfo {
  const trimmed: SeatInfo = {};
  for (const part of SEAT_PARTS) {
    const value = (seat[part] ?? '').trim();
    if (value) trimmed[part] = value;
  }
  return trimmed;
}

/** What the new-event form holds: `startsAt` as the venue's clock shows it ("2027-06-06T20:00"). */
export interface EventDraft {
  name: string;
  venue: string;
  city: string;
  startsAt: string;
  timeZone: string;
  category: string;
}

export function isEventCategory(value: string): value is EventCategory {
  return (EVENT_CATEGORIES as readonly string[]).includes(value);
}

function checkEventText(label: string, value: string): string[] {
  const length = value.trim().length;
  if (length === 0) return [`${label} is required`];
  if (length > EVENT_TEXT_MAX) return [`${label} must be 1 to ${EVENT_TEXT_MAX} characters`];
  return [];
}

export type EventDraftCheck =
  { ok: true; input: EventInput } | { ok: false; fields: FieldMessages };

/**
 * The draft as `POST /api/events` takes it, its start converted from the venue's clock to an instant;
 * or the messages per field. `now` decides "in the future" and "at most two years ahead".
 */
export function checkEventDraft(draft: EventDraft, now = Date.now()): EventDraftCheck {
  const fields: FieldMessages = {};
  const text = { name: 'Name', venue: 'Venue', city: 'City' } as const;
  for (const key of ['name', 'venue', 'city'] as const) {
    const messages = checkEventText(text[key], draft[key]);
    if (messages.length > 0) fields[key] = messages;
  }
  const timeZone = draft.timeZone.trim();
  if (!isTimeZone(timeZone))
    fields.timeZone = ['Time zone must be an IANA time zone, such as America/New_York'];
  if (!isEventCategory(draft.category)) fields.category = ['Choose a category'];

  const startsAt = fields.timeZone ? null : zonedTimeToUtc(draft.startsAt, timeZone);
  if (!draft.startsAt) fields.startsAt = ['Enter the date and time the event starts'];
  else if (!fields.timeZone && !startsAt) fields.startsAt = ['Enter a valid date and time'];
  else if (startsAt) {
    const latest = new Date(now);
    latest.setUTCFullYear(latest.getUTCFullYear() + MAX_YEARS_AHEAD);
    if (Date.parse(startsAt) <= now) fields.startsAt = ['Start must be in the future'];
    else if (Date.parse(startsAt) > latest.getTime())
      fields.startsAt = [`Start must be at most ${MAX_YEARS_AHEAD} years ahead`];
  }

  if (Object.keys(fields).length > 0 || !startsAt || !isEventCategory(draft.category)) {
    return { ok: false, fields };
  }
  return {
    ok: true,
    input: {
      name: draft.name.trim(),
      venue: draft.venue.trim(),
      city: draft.city.trim(),
      startsAt,
      timeZone,
      category: draft.category,
    },
  };
}
