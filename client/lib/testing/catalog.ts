import type { CatalogEvent } from '@/lib/api/types';

/** The event the component tests' tickets and orders are for (New York, so times show in ET). */
export const JAZZ_NIGHT: CatalogEvent = {
  id: 'e1',
  name: 'Jazz Night',
  venue: 'Blue Note',
  city: 'New York',
  category: 'concert',
  startsAt: '2026-01-10T01:00:00.000Z',
  timeZone: 'America/New_York',
};
