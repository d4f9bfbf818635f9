/**
 * `npm run seed` against a running stack: the sample events and listings appear through the public API,
 * each event at its local time in its own zone, and a second run adds nothing.
 */
import { describe, expect, it } from '@jest/globals';
import { ApiClient } from '@ticketing/common';
import { useBackend } from '../backend/harness';
import { EVENTS } from './sample-catalogue';
import { localStart, seed } from './seed';

const backend = useBackend();

describe('localStart', () => {
  it.each([
    // Winter and summer time in New York; Los Angeles across the March change.
    ['2027-01-10T12:00:00Z', 3, '20:00', 'America/New_York', '2027-01-14T01:00:00.000Z'],
    ['2027-07-10T12:00:00Z', 3, '20:00', 'America/New_York', '2027-07-14T00:00:00.000Z'],
    ['2027-03-12T12:00:00Z', 2, '19:30', 'America/Los_Angeles', '2027-03-15T02:30:00.000Z'],
  ])('from %s, +%i days at %s in %s is %s', (now, days, time, zone, expected) => {
    expect(localStart(days, time, zone, new Date(now)).toISOString()).toBe(expected);
  });
});

describe('npm run seed', () => {
  it('lists the sample events and seats through the API, once', async () => {
    const url = backend.stack.url;
    const expectedListings = EVENTS.flatMap((event) =>
      event.listings.map((listing) => Math.max(listing.seats.length, 1)),
    ).reduce((sum, n) => sum + n, 0);

    const first = await seed(url);
    const again = await seed(url);

    expect(first).toEqual({ sellers: 3, events: EVENTS.length, listings: expectedListings });
    expect(again).toEqual({ sellers: 3, events: 0, listings: 0 });
    const visitor = new ApiClient(url);
    const events = (await visitor.listEvents({ limit: 100 })).body;
    expect(events.map((event) => event.name).sort()).toEqual(
      EVENTS.map((event) => event.name).sort(),
    );
    const counted = events.reduce((sum, event) => sum + event.listings, 0);
    expect(counted).toBe(expectedListings);
    const hamilton = events.find((event) => event.name === 'Hamilton')!;
    // The cheapest seat's total: $129 + 10 % + $1.50.
    expect(hamilton).toMatchObject({
      lowestPrice: 143.4,
      listings: 3,
      timeZone: 'America/New_York',
    });
    // 19:00 in New York, whatever the date's offset.
    const local = new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/New_York',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(hamilton.startsAt));
    expect(local).toBe('19:00');
  });
});
