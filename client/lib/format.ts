const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

// Dates are shown in UTC: the page is rendered on the server, whose time zone is not the visitor's,
// and one fixed zone keeps server and browser renders identical.
const day = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' });

/** 1234.5 → "$1,234.50". */
export function formatPrice(dollars: number): string {
  return usd.format(dollars);
}

/** "2025-11-25T16:40:00.000Z" → "Nov 25, 2025". */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : day.format(date);
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
