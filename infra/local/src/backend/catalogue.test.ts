/**
 * The catalogue through the gateway on the whole backend: an event is stored once however it is reposted
 * (case, spaces, ten sellers at once); a listing needs a known event that has not started; search, filters,
 * sorts and pages of `GET /api/tickets` and `GET /api/events`; and an event's start: its listings close,
 * orders are refused, and a hold never outlasts it.
 *
 * Each test keeps to data of its own: a random tag in its events' names and cities, which its searches and
 * `city` filters name, so listings of the other tests never show in what it reads.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import {
  EventCategory,
  type ApiReply,
  type CatalogEventJson,
  type TicketJson,
} from '@ticketing/common';
import { addEvent, eventInput, startsIn } from '../catalogue-fixtures';
import {
  listTicket,
  orderBecomes,
  placeOrder,
  replicated,
  ticketBecomes,
  useBackend,
  waitFor,
} from './harness';

// A hold far longer than any test: only an event's start can end it early.
const HOLD_SECONDS = 120;
const backend = useBackend({ ORDER_EXPIRATION_SECONDS: String(HOLD_SECONDS) });

const DAY_MS = 24 * 60 * 60 * 1000;
const tag = () => randomUUID().slice(0, 8);
const ids = (reply: ApiReply<Array<{ id: string }>>) => reply.body.map((item) => item.id);

/** The same instant as `iso`, written with a +02:00 offset. */
function atPlusTwo(iso: string): string {
  return new Date(Date.parse(iso) + 2 * 60 * 60 * 1000).toISOString().replace('Z', '+02:00');
}

/** Sleeps until `iso` has passed (by `marginMs`). */
async function sleepPast(iso: string, marginMs = 100): Promise<void> {
  await sleep(Math.max(0, Date.parse(iso) - Date.now() + marginMs));
}

describe('POST /api/events', () => {
  it('answers a repost differing in case, spaces and offset with 200 and the same event', async () => {
    const first = await backend.user();
    const second = await backend.user();
    const input = eventInput({
      name: `Spring Gala ${tag()}`,
      venue: 'Opera House',
      city: 'Vienna',
    });
    const created = await first.createEvent(input);

    const again = await second.createEvent({
      ...input,
      name: `  ${input.name.toUpperCase().replace(/ /g, '   ')} `,
      venue: 'opera   house',
      city: 'VIENNA',
      startsAt: atPlusTwo(input.startsAt),
    });

    expect(created.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(created.body);
    expect(created.body).toEqual(
      expect.objectContaining({ name: input.name, venue: 'Opera House', city: 'Vienna' }),
    );
  });

  it('stores one event when 10 sellers post it at the same instant', async () => {
    const sellers = await Promise.all(Array.from({ length: 10 }, () => backend.user()));
    const input = eventInput({ name: `Rooftop Session ${tag()}` });

    const answers = await Promise.all(sellers.map((seller) => seller.createEvent(input)));

    expect(answers.map((a) => a.status).sort((a, b) => a - b)).toEqual([
      ...Array<number>(9).fill(200),
      201,
    ]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    const found = await sellers[0]!.listEvents({ q: input.name });
    expect(ids(found)).toEqual([answers[0]!.body.id]);
  });
});

describe('POST /api/tickets for an event', () => {
  it('refuses a listing for an unknown event with 404', async () => {
    const seller = await backend.user();

    const res = await seller.createTicket({ eventId: '507f1f77bcf86cd799439011', price: 20 });

    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      errors: [expect.objectContaining({ message: expect.any(String) })],
    });
  });

  it('refuses a listing for an event that has started with 400 on eventId', async () => {
    const seller = await backend.user();
    const event = await addEvent(seller, { startsAt: startsIn(2_000) });
    await sleepPast(event.startsAt);

    const res = await seller.createTicket({ eventId: event.id, price: 20 });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [expect.objectContaining({ field: 'eventId' })] });
  });

  it('titles a listing sent without a title after its event and seat, and shows the event', async () => {
    const seller = await backend.user();
    const event = await addEvent(seller, { name: `Harbor Nights ${tag()}` });

    const res = await seller.createTicket({
      eventId: event.id,
      price: 45,
      section: '101',
      row: 'B',
    });

    expect(res.status).toBe(201);
    expect(res.body).toEqual(
      expect.objectContaining({
        eventId: event.id,
        event,
        section: '101',
        row: 'B',
        status: 'available',
        title: expect.stringContaining(event.name),
      }),
    );
  });
});

describe('search', () => {
  it('finds events and listings by every word of q, in any order, in name, venue or city', async () => {
    const seller = await backend.user();
    const word = tag();
    const jazz = await addEvent(seller, {
      name: `Midnight Harbor Jazz ${word}`,
      venue: 'Blue Note Hall',
      startsAt: startsIn(2 * DAY_MS),
    });
    const rock = await addEvent(seller, {
      name: `Harbor Rock ${word}`,
      venue: 'Stadium',
      startsAt: startsIn(3 * DAY_MS),
    });
    const jazzTicket = await listTicket(seller, { eventId: jazz.id });
    const rockTicket = await listTicket(seller, { eventId: rock.id });

    const byNameWords = await seller.listEvents({ q: `jazz ${word} MIDNIGHT` });
    const byVenueWords = await seller.listEvents({ q: `hall ${word} note` });
    const byShared = await seller.listEvents({ q: `${word} harbor` });
    const notAllWords = await seller.listEvents({ q: `${word} jazz rock` });
    const tickets = await seller.listTickets({ q: `Jazz   ${word}` });
    const ticketsShared = await seller.listTickets({ q: `harbor ${word}`, sort: 'date' });

    expect(ids(byNameWords)).toEqual([jazz.id]);
    expect(ids(byVenueWords)).toEqual([jazz.id]);
    expect(ids(byShared)).toEqual([jazz.id, rock.id]);
    expect(ids(notAllWords)).toEqual([]);
    expect(ids(tickets)).toEqual([jazzTicket.id]);
    expect(ids(ticketsShared)).toEqual([jazzTicket.id, rockTicket.id]);
  });
});

describe('filters', () => {
  /** A city of this test's own, two events there (a concert, then a sports event), one elsewhere. */
  async function arrange() {
    const seller = await backend.user();
    const word = tag();
    const city = `Filterton ${word}`;
    const concert = await addEvent(seller, {
      city,
      category: EventCategory.Concert,
      startsAt: startsIn(10 * DAY_MS),
    });
    const match = await addEvent(seller, {
      city,
      category: EventCategory.Sports,
      startsAt: startsIn(20 * DAY_MS),
    });
    const elsewhere = await addEvent(seller, {
      city: `Elsewhere ${word}`,
      startsAt: startsIn(15 * DAY_MS),
    });
    const t10 = await listTicket(seller, { eventId: concert.id, price: 10 });
    const t40 = await listTicket(seller, { eventId: concert.id, price: 40 });
    const t25 = await listTicket(seller, { eventId: match.id, price: 25 });
    await listTicket(seller, { eventId: elsewhere.id, price: 15 });
    return { seller, city, word, concert, match, t10, t40, t25 };
  }
  const sorted = (list: string[]) => [...list].sort();

  it('filters listings by city (ignoring case and spaces), category and price bounds', async () => {
    const { seller, city, word, t10, t40, t25 } = await arrange();

    const inCity = await seller.listTickets({ city: `  filterton   ${word.toUpperCase()} ` });
    const sports = await seller.listTickets({ city, category: EventCategory.Sports });
    const from20 = await seller.listTickets({ city, minPrice: 20 });
    // Price bounds are on what the buyer pays: asks 10, 25, 40 → totals 12.50, 29.00, 45.50.
    const upTo29 = await seller.listTickets({ city, maxPrice: 29 });
    const between = await seller.listTickets({ city, minPrice: 20, maxPrice: 30 });

    expect(sorted(ids(inCity))).toEqual(sorted([t10.id, t40.id, t25.id]));
    expect(ids(sports)).toEqual([t25.id]);
    expect(sorted(ids(from20))).toEqual(sorted([t40.id, t25.id]));
    expect(sorted(ids(upTo29))).toEqual(sorted([t10.id, t25.id]));
    expect(ids(between)).toEqual([t25.id]);
  });

  it('filters listings and events by start: from/to date-times, and a date `to` through that day', async () => {
    const { seller, city, concert, match, t10, t40, t25 } = await arrange();
    const from = startsIn(15 * DAY_MS);
    const to = startsIn(25 * DAY_MS);
    const matchDay = match.startsAt.slice(0, 10);

    const ticketsBetween = await seller.listTickets({ city, from, to });
    const ticketsToDay = await seller.listTickets({ city, to: matchDay });
    const ticketsFromDay = await seller.listTickets({ city, from: matchDay });
    const eventsBetween = await seller.listEvents({ city, from, to });
    const eventsToDay = await seller.listEvents({ city, to: matchDay });

    expect(ids(ticketsBetween)).toEqual([t25.id]);
    expect(sorted(ids(ticketsToDay))).toEqual(sorted([t10.id, t40.id, t25.id]));
    expect(ids(ticketsFromDay)).toEqual([t25.id]);
    expect(ids(eventsBetween)).toEqual([match.id]);
    expect(ids(eventsToDay)).toEqual([concert.id, match.id]);
  });

  it('lists a city’s events soonest first with their listings’ count and lowest price, by category too', async () => {
    const { seller, city, concert, match } = await arrange();

    const events = await seller.listEvents({ city });
    const concerts = await seller.listEvents({ city, category: EventCategory.Concert });

    expect(events.body).toEqual([
      { ...concert, listings: 2, lowestPrice: 12.5 },
      { ...match, listings: 1, lowestPrice: 29 },
    ]);
    expect(ids(concerts)).toEqual([concert.id]);
  });

  it('shows an event with its listings, cheapest first', async () => {
    const { seller, concert, t10, t40 } = await arrange();

    const res = await seller.getEvent(concert.id);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...concert, listings: 2, lowestPrice: 12.5, tickets: [t10, t40] });
  });
});

describe('sorts', () => {
  it('sorts listings by price up or down, by event start, and newest first by default', async () => {
    const seller = await backend.user();
    const city = `Sortville ${tag()}`;
    const soon = await addEvent(seller, { city, startsAt: startsIn(3 * DAY_MS) });
    const later = await addEvent(seller, { city, startsAt: startsIn(6 * DAY_MS) });
    const last = await addEvent(seller, { city, startsAt: startsIn(9 * DAY_MS) });
    // Listed one after the other: a is the oldest listing, d the newest.
    const a = await listTicket(seller, { eventId: later.id, price: 30 });
    const b = await listTicket(seller, { eventId: soon.id, price: 50 });
    const c = await listTicket(seller, { eventId: last.id, price: 10 });
    const d = await listTicket(seller, { eventId: soon.id, price: 20 });

    const byPrice = await seller.listTickets({ city, sort: 'price' });
    const byPriceDown = await seller.listTickets({ city, sort: '-price' });
    const byDate = await seller.listTickets({ city, sort: 'date' });
    const newest = await seller.listTickets({ city, sort: 'newest' });
    const byDefault = await seller.listTickets({ city });

    expect(ids(byPrice)).toEqual([c.id, d.id, a.id, b.id]);
    expect(ids(byPriceDown)).toEqual([b.id, a.id, d.id, c.id]);
    expect(ids(byDate)).toEqual([b.id, d.id, a.id, c.id]);
    expect(ids(newest)).toEqual([d.id, c.id, b.id, a.id]);
    expect(ids(byDefault)).toEqual(ids(newest));
  });
});

describe('pages', () => {
  /** Every page of `read` from 1, following X-Next-Page; the pages' ids and the header of each. */
  async function readAllPages(read: (page: number) => Promise<ApiReply<Array<{ id: string }>>>) {
    const pages: string[][] = [];
    const nextPages: Array<string | null> = [];
    for (let page = 1; page <= 10; page++) {
      const res = await read(page);
      pages.push(ids(res));
      nextPages.push(res.headers.get('x-next-page'));
      if (!res.headers.get('x-next-page')) break;
    }
    return { pages, nextPages };
  }

  it('pages listings and events, naming the next page in X-Next-Page until the last', async () => {
    const seller = await backend.user();
    const city = `Pageton ${tag()}`;
    const events: CatalogEventJson[] = [];
    for (let day = 1; day <= 3; day++)
      events.push(await addEvent(seller, { city, startsAt: startsIn(day * DAY_MS) }));
    const listed: TicketJson[] = [];
    for (let i = 0; i < 5; i++)
      listed.push(await listTicket(seller, { eventId: events[0]!.id, price: 10 + i }));

    const tickets = await readAllPages((page) => seller.listTickets({ city, page, limit: 2 }));
    const catalogue = await readAllPages((page) => seller.listEvents({ city, page, limit: 2 }));

    expect(tickets.nextPages).toEqual(['2', '3', null]);
    expect(tickets.pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(tickets.pages.flat()).toEqual(listed.map((t) => t.id).reverse());
    expect(catalogue.nextPages).toEqual(['2', null]);
    expect(catalogue.pages.flat()).toEqual(events.map((e) => e.id));
  });
});

describe("an event's start", () => {
  it('closes its listings: gone from both lists, shown closed, and an order is refused', async () => {
    const seller = await backend.user();
    const buyer = await backend.user();
    const event = await addEvent(seller, { name: `Last Call ${tag()}`, startsAt: startsIn(8_000) });
    const ticket = await listTicket(seller, { eventId: event.id });
    await replicated(backend, 'orders', 'tickets', ticket.id);
    expect(ids(await buyer.listTickets({ eventId: event.id }))).toEqual([ticket.id]);
    expect(ids(await buyer.listEvents({ q: event.name }))).toEqual([event.id]);

    await sleepPast(event.startsAt);

    // Pages are cached for up to LISTING_CACHE_MS (1 s by default): a page read just before the start
    // may still be served that long.
    await waitFor(async () => (await buyer.listTickets({ eventId: event.id })).body.length === 0);
    await waitFor(async () => (await buyer.listEvents({ q: event.name })).body.length === 0);
    expect((await buyer.getTicket(ticket.id)).body.status).toBe('closed');
    const detail = await buyer.getEvent(event.id);
    expect(detail.body).toEqual(expect.objectContaining({ id: event.id, tickets: [] }));
    const order = await buyer.createOrder(ticket.id);
    expect(order.status).toBe(400);
    expect(order.body).toEqual({
      errors: [expect.objectContaining({ message: 'The event has started' })],
    });
  });

  it('holds an order placed 5 s before the start only until the start, not for the whole hold', async () => {
    const seller = await backend.user();
    const buyer = await backend.user();
    const event = await addEvent(seller, { startsAt: startsIn(15_000) });
    const ticket = await listTicket(seller, { eventId: event.id });
    await replicated(backend, 'orders', 'tickets', ticket.id);
    const startsAt = Date.parse(event.startsAt);
    await sleep(Math.max(0, startsAt - 5_000 - Date.now()));
    expect(startsAt - Date.now()).toBeGreaterThan(3_000);

    const order = await placeOrder(backend, buyer, ticket.id);

    expect(Math.abs(Date.parse(order.expiresAt) - startsAt)).toBeLessThanOrEqual(1_000);
    expect(Date.parse(order.expiresAt)).toBeLessThanOrEqual(startsAt);
    // The hold ends with the start: the order is cancelled and the unsold ticket shows closed.
    await orderBecomes(buyer, order.id, 'cancelled', 10_000);
    await ticketBecomes(buyer, ticket.id, (t) => t.status === 'closed' && !t.orderId, 10_000);
  }, 60_000);
});
