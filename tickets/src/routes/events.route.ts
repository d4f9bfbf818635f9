/**
 * The catalogue's routes: POST /api/events (add an event, or get the same one back), GET /api/events
 * (events that have not started, searched and filtered, soonest first, cached) and GET /api/events/:id
 * (one event with its listings, cheapest first).
 */
import { Router, type Request, type Response } from 'express';
import {
  NotFoundError,
  requireAuth,
  requireObjectIdParam,
  priceBreakdown,
  validateBody,
  type EventJson,
  type FeeSchedule,
} from '@ticketing/common';
import { addEvent } from '../domain/catalogue';
import { allWordsFilter, normalizeText } from '../domain/search-text';
import {
  CatalogEvent,
  EVENT_JSON_PROJECTION,
  toCatalogEventJson,
  type StoredCatalogEvent,
} from '../models/catalog-event.model';
import { Ticket, TICKET_JSON_PROJECTION, toTicketJson } from '../models/ticket.model';
import { eventBody, parseEventQuery, type EventBody, type EventQuery } from './catalog.schema';
import { ListingCache } from './listing.cache';
import { MAX_PAGE_SIZE } from './pagination.schema';
import {
  openListings,
  rawQuery,
  sendPage,
  serializePage,
  upcoming,
  type SerializedPage,
} from './serialized-page';

const SOONEST_FIRST = { startsAt: 1, _id: 1 } as const;
const CHEAPEST_FIRST = { price: 1, _id: 1 } as const;

function eventFilter(query: EventQuery, now: Date): object {
  const filter: Record<string, unknown> = { startsAt: upcoming(now, query) };
  if (query.city) filter.cityKey = normalizeText(query.city);
  if (query.category) filter.category = query.category;
  return { ...filter, ...allWordsFilter('search', query.q) };
}

interface ListingStats {
  listings: number;
  /** The lowest total a buyer pays (the total grows with the ask: the cheapest ask's total). */
  lowestPrice: number | null;
}

/**
 * How many tickets each event has for sale now, and the cheapest: one read of the open listings' prices
 * for the whole page of events (the embedded engine has no `$min` in `$group`).
 */
async function listingStats(
  eventIds: string[],
  now: Date,
  fees: FeeSchedule,
): Promise<Map<string, ListingStats>> {
  const stats = new Map<string, ListingStats>(
    eventIds.map((id) => [id, { listings: 0, lowestPrice: null }]),
  );
  const prices = await Ticket.find(
    { ...openListings(now), eventId: { $in: eventIds } },
    { eventId: 1, price: 1 },
  ).lean();
  for (const { eventId, price } of prices) {
    const stat = stats.get(eventId);
    if (!stat) continue;
    stat.listings += 1;
    if (stat.lowestPrice === null || price < stat.lowestPrice) stat.lowestPrice = price;
  }
  for (const stat of stats.values()) {
    if (stat.lowestPrice !== null) stat.lowestPrice = priceBreakdown(stat.lowestPrice, fees).total;
  }
  return stats;
}

function withStats(event: StoredCatalogEvent, stats: Map<string, ListingStats>): EventJson {
  const json = toCatalogEventJson(event);
  return { ...json, ...(stats.get(json.id) ?? { listings: 0, lowestPrice: null }) };
}

async function readEventsPage(query: EventQuery, fees: FeeSchedule): Promise<SerializedPage> {
  const now = new Date();
  const events = await CatalogEvent.find(eventFilter(query, now), EVENT_JSON_PROJECTION)
    .sort(SOONEST_FIRST)
    .skip((query.page - 1) * query.limit)
    .limit(query.limit + 1)
    .lean();
  const stats = await listingStats(
    events.slice(0, query.limit).map((event) => String(event._id)),
    now,
    fees,
  );
  return serializePage(events, query, (event) => withStats(event, stats));
}

/**
 * The event with its open listings, cheapest first (the first 100; `GET /api/tickets?eventId=` pages and
 * sorts them all). Once the event has started nothing is listed.
 */
async function readEvent(eventId: string, fees: FeeSchedule): Promise<SerializedPage | undefined> {
  const now = new Date();
  const event = await CatalogEvent.findById(eventId, EVENT_JSON_PROJECTION).lean();
  if (!event) return undefined;
  const [stats, tickets] = await Promise.all([
    listingStats([eventId], now, fees),
    Ticket.find({ ...openListings(now), eventId }, TICKET_JSON_PROJECTION)
      .sort(CHEAPEST_FIRST)
      .limit(MAX_PAGE_SIZE)
      .lean(),
  ]);
  const detail = {
    ...withStats(event, stats),
    tickets: tickets.map((ticket) => toTicketJson(ticket, fees, now.getTime())),
  };
  return { body: Buffer.from(JSON.stringify(detail)) };
}

export function eventsRouter(listingCacheMs: number, fees: FeeSchedule): Router {
  const router = Router();
  // Both change with every listing's change (counts, lowest prices): dropped on every commit, as the
  // ticket listing is, and on every event added here.
  const pages = new ListingCache<SerializedPage>(listingCacheMs);
  const details = new ListingCache<SerializedPage | undefined>(listingCacheMs);

  router.post('/api/events', requireAuth, validateBody(eventBody), async (req, res) => {
    const { event, created } = await addEvent({
      ...(req.body as EventBody),
      userId: req.currentUser!.id,
    });
    if (created) {
      pages.clear();
      details.clear();
    }
    res.status(created ? 201 : 200).json(toCatalogEventJson(event));
  });

  router.get('/api/events', async (req, res) => {
    const page = await pages.read(rawQuery(req), async () =>
      readEventsPage(parseEventQuery(req.query), fees),
    );
    sendPage(req, res, page);
  });

  router.get(
    '/api/events/:id',
    requireObjectIdParam('id', 'Event'),
    async (req: Request<{ id: string }>, res: Response) => {
      const detail = await details.read(req.params.id, () => readEvent(req.params.id, fees));
      if (!detail) throw new NotFoundError('Event not found');
      sendPage(req, res, detail);
    },
  );
  return router;
}
