import type { EventCategory, SeatInfo } from './api/types';

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

// Dates are shown in UTC: the page is rendered on the server, whose time zone is not the visitor's,
// and one fixed zone keeps server and browser renders identical.
const day = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' });

/** 1234.5 → "$1,234.50". */
export function formatPrice(dollars: number): string {
  return usd.format(dollars);
}

/** 5.5 → "incl. $5.50 fees": said beside a total, smaller than it. */
export function formatFeesIncluded(fee: number): string {
  return `incl. ${formatPrice(fee)} fees`;
}

/** A total with its fees, in one line of text (an accessible name): "$45.50 incl. $5.50 fees". */
export function formatAllInPrice({ total, fee }: { total: number; fee: number }): string {
  return `${formatPrice(total)} ${formatFeesIncluded(fee)}`;
}

/** "2025-11-25T16:40:00.000Z" → "Nov 25, 2025". */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : day.format(date);
}

const eventFormats = new Map<string, Intl.DateTimeFormat>();

function eventFormat(timeZone: string): Intl.DateTimeFormat {
  let format = eventFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      weekday: 'short',
      month: 'short',
      day: 'numeric',
      year: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZone,
      timeZoneName: 'short',
    });
    eventFormats.set(timeZone, format);
  }
  return format;
}

/**
 * When an event starts, on the venue's clock: ("2027-06-07T00:00:00Z", "America/New_York") →
 * "Sun, Jun 6, 2027, 8:00 PM EDT". Unlike the listing dates this is the same for every visitor, so it
 * reads as the tickets say. Built from the parts rather than `format()`: ICU versions differ in the
 * spaces they put between them (Chromium's narrow no-break space before "PM", Node's plain one), and a
 * client component rendered by both must produce the same text. An unknown zone falls back to UTC.
 */
export function formatEventDate(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  let format: Intl.DateTimeFormat;
  try {
    format = eventFormat(timeZone);
  } catch {
    format = eventFormat('UTC');
  }
  const part = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]));
  const time = `${part.hour}:${part.minute} ${part.dayPeriod}`;
  return `${part.weekday}, ${part.month} ${part.day}, ${part.year}, ${time} ${part.timeZoneName}`;
}

export const CATEGORY_LABELS: Record<EventCategory, string> = {
  concert: 'Concert',
  sports: 'Sports',
  theater: 'Theater',
  comedy: 'Comedy',
  festival: 'Festival',
  other: 'Other',
};

/** Where an event is: "Madison Square Garden, New York". */
export function formatPlace({ venue, city }: { venue: string; city: string }): string {
  return `${venue}, ${city}`;
}

/** {section: '101', row: 'B', seat: '12'} → "Section 101, Row B, Seat 12"; no part → "General admission". */
export function formatSeat({ section, row, seat }: SeatInfo): string {
  const parts = [
    section ? `Section ${section}` : null,
    row ? `Row ${row}` : null,
    seat ? `Seat ${seat}` : null,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'General admission';
}

/** Milliseconds left → "14:05" (or "1:02:03" past an hour); never negative. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const ss = String(seconds).padStart(2, '0');
  if (hours > 0) return `${hours}:${String(minutes).padStart(2, '0')}:${ss}`;
  return `${minutes}:${ss}`;
}

/** Spoken form of a countdown for screen readers: "14 minutes 5 seconds". */
export function describeCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  const parts: string[] = [];
  if (minutes > 0) parts.push(`${minutes} minute${minutes === 1 ? '' : 's'}`);
  parts.push(`${seconds} second${seconds === 1 ? '' : 's'}`);
  return parts.join(' ');
}

/** Time left on a hold, to the minute: "14 min left", "less than a minute left", "hold ended". */
export function describeHoldLeft(ms: number): string {
  if (ms <= 0) return 'hold ended';
  if (ms < 60_000) return 'less than a minute left';
  return `${Math.floor(ms / 60_000)} min left`;
}
