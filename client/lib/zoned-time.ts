/**
 * Wall-clock times in a named time zone, with nothing but `Intl`: a seller types when the event starts
 * as the venue's clock shows it ("2027-06-06T20:00" in America/New_York) and the API takes the instant
 * ("2027-06-07T00:00:00.000Z"). The offset depends on the date (daylight saving time), so it is read
 * from the zone's rules for that very moment, not from the browser's own zone.
 */

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
const DAY_MS = 24 * 60 * 60 * 1000;

const wallClocks = new Map<string, Intl.DateTimeFormat>();

function wallClock(timeZone: string): Intl.DateTimeFormat {
  let format = wallClocks.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallClocks.set(timeZone, format);
  }
  return format;
}

/** True when `Intl` knows `timeZone` as a time zone (an IANA name such as Europe/Paris, or UTC). */
export function isTimeZone(timeZone: string): boolean {
  if (!timeZone.trim()) return false;
  try {
    wallClock(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** How far the zone's clock is ahead of UTC at instant `ms` (negative west of Greenwich), in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const part: Record<string, number> = {};
  for (const { type, value } of wallClock(timeZone).formatToParts(new Date(ms))) {
    part[type] = Number(value);
  }
  const asUtc = Date.UTC(
    part.year ?? 0,
    (part.month ?? 1) - 1,
    part.day ?? 1,
    part.hour ?? 0,
    part.minute ?? 0,
    part.second ?? 0,
  );
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * "YYYY-MM-DDTHH:mm" on the clocks of `timeZone` → the ISO instant ("…Z"), or null when the text is
 * no such date and time or the zone is unknown.
 *
 * Around a change of the clocks it does what Temporal's `disambiguation: 'compatible'` does: a time
 * that happens twice (01:30 on the night the clocks go back) is the first of them; a time that never
 * happens (02:30 on the night they go forward) is read with the offset before the change, i.e. as
 * the moment an hour later (03:30). The caller shows the instant back on the zone's clock, so a
 * seller sees the shift.
 */
export function zonedTimeToUtc(local: string, timeZone: string): string | null {
  const match = LOCAL.exec(local);
  if (!match || !isTimeZone(timeZone)) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  // The wall-clock reading as if it were UTC; the instant is this minus the zone's offset then.
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(wall);
  if (
    year < 1000 ||
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59
  ) {
    return null;
  }
  // No zone changes its clocks twice within two days: the offsets a day either side are the only
  // candidates (equal on most days).
  const before = wall - offsetAt(wall - DAY_MS, timeZone);
  const after = wall - offsetAt(wall + DAY_MS, timeZone);
  const readsAsWall = (instant: number) => instant + offsetAt(instant, timeZone) === wall;
  const candidates = [before, after].filter(readsAsWall);
  // Both read as the wall time: it happens twice, take the earlier. Neither: it is skipped, and the
  // offset before the change puts it after the gap.
  const instant = candidates.length > 0 ? Math.min(...candidates) : before;
  return new Date(instant).toISOString();
}
