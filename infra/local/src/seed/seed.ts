/**
 * `npm run seed`: fills a running stack, through the public API only (as users would), with the
 * sample marketplace of sample-catalogue.ts, so a new user's first screen is not empty. Run it again and
 * it adds nothing twice: a seller signs in instead of up, an event already there is answered as it is
 * (the catalogue's duplicate rule), and a seller who already has listings lists nothing more.
 */
import { ApiClient, type ApiReply } from '@ticketing/common';
import { EVENTS, SELLERS, type SampleEvent, type SampleListing } from './sample-catalogue';

export interface SeedResult {
  sellers: number;
  events: number;
  listings: number;
}

/** Milliseconds the zone is ahead of UTC at `at` (`Intl`'s offset, DST included). */
function zoneOffsetMs(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const wall = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant it is `time` (`HH:mm`) in `timeZone`, `days` after today (UTC date). */
export function localStart(days: number, time: string, timeZone: string, now = new Date()): Date {
  const [hours, minutes] = time.split(':').map(Number);
  const day = new Date(now.getTime() + days * 24 * 60 * 60 * 1000);
  const wall = Date.UTC(
    day.getUTCFullYear(),
    day.getUTCMonth(),
    day.getUTCDate(),
    hours!,
    minutes!,
  );
  // The offset at the guess, then at the result: right on either side of a DST change.
  const first = wall - zoneOffsetMs(timeZone, new Date(wall));
  return new Date(wall - zoneOffsetMs(timeZone, new Date(first)));
}

function expect2xx<T>(reply: ApiReply<T>, what: string): T {
  if (reply.status >= 200 && reply.status < 300) return reply.body;
  throw new Error(`${what}: ${reply.status} ${reply.text}`);
}

async function signedInSeller(baseUrl: string, email: string, password: string) {
  const client = new ApiClient(baseUrl);
  const signedUp = await client.signUp({ email, password });
  if (signedUp.status !== 201)
    expect2xx(await client.signIn({ email, password }), `sign in ${email}`);
  return client;
}

function listingsOf(event: SampleEvent, seller: number): SampleListing[] {
  return event.listings.filter((listing) => listing.seller === seller);
}

/** Seeds the stack behind `baseUrl` (its gateway); answers what it added. */
export async function seed(baseUrl: string, now = new Date()): Promise<SeedResult> {
  const sellers = await Promise.all(
    SELLERS.map(({ email, password }) => signedInSeller(baseUrl, email, password)),
  );
  const eventIds = new Map<SampleEvent, string>();
  let events = 0;
  for (const event of EVENTS) {
    const { inDays, at, listings: _listed, ...input } = event;
    const reply = await sellers[0]!.createEvent({
      ...input,
      startsAt: localStart(inDays, at, event.timeZone, now).toISOString(),
    });
    eventIds.set(event, expect2xx(reply, `add event ${event.name}`).id);
    if (reply.status === 201) events += 1;
  }
  let listings = 0;
  for (const [index, client] of sellers.entries()) {
    const mine = expect2xx(await client.listMyTickets({ limit: 1 }), 'read my listings');
    if (mine.length > 0) continue;
    for (const event of EVENTS) {
      for (const { price, section, row, seats } of listingsOf(event, index)) {
        for (const seat of seats.length ? seats : [undefined]) {
          const reply = await client.createTicket({
            eventId: eventIds.get(event)!,
            price,
            ...(section ? { section } : {}),
            ...(row ? { row } : {}),
            ...(seat ? { seat } : {}),
          });
          expect2xx(reply, `list a seat for ${event.name}`);
          listings += 1;
        }
      }
    }
  }
  return { sellers: sellers.length, events, listings };
}
