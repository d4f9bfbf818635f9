import type { Metadata } from 'next';
import { SellFlow } from '@/components/sell/sell-flow';
import { getEvent, requireSignedIn } from '@/lib/api/server';
import type { CatalogEvent } from '@/lib/api/types';
import { requestTime } from '@/lib/clock';
import { firstParam, type SearchParams } from '@/lib/navigation';

export const metadata: Metadata = { title: 'Sell tickets' };

/** `?eventId=` (from an event's page): that event, when it exists and has not started. */
async function preselectedEvent(eventId: string): Promise<CatalogEvent | null> {
  if (!eventId) return null;
  const event = await getEvent(eventId).catch(() => null);
  if (!event || Date.parse(event.startsAt) <= requestTime()) return null;
  const { id, name, venue, city, category, startsAt, timeZone } = event;
  return { id, name, venue, city, category, startsAt, timeZone };
}

export default async function NewTicketPage({ searchParams }: { searchParams: SearchParams }) {
  const eventId = firstParam((await searchParams).eventId);
  await requireSignedIn(
    eventId ? `/tickets/new?eventId=${encodeURIComponent(eventId)}` : '/tickets/new',
  );
  const initialEvent = await preselectedEvent(eventId);
  return (
    <div className="row justify-content-center">
      <div className="col-md-10 col-lg-8">
        <h1 className="mb-4">Sell tickets</h1>
        <SellFlow initialEvent={initialEvent} />
      </div>
    </div>
  );
}
