import type { CatalogEvent } from '@/lib/api/types';
import { formatEventDate } from '@/lib/format';

/** When the event starts, on the venue's clock ("Sun, Jun 6, 2027, 8:00 PM EDT"), as a <time>. */
export function EventWhen({ event }: { event: Pick<CatalogEvent, 'startsAt' | 'timeZone'> }) {
  return <time dateTime={event.startsAt}>{formatEventDate(event.startsAt, event.timeZone)}</time>;
}
