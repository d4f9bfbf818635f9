/**
 * GET /api/tickets (the public listing: search, filters and sorts, cached) and GET /api/tickets/mine
 * (the seller's own listings), one page at a time.
 */
import { Router } from 'express';
import { askRangeForTotal, requireAuth, type FeeSchedule } from '@ticketing/common';
import { allWordsFilter, normalizeText } from '../domain/search-text';
import { Ticket, TICKET_JSON_PROJECTION, toTicketJson } from '../models/ticket.model';
import { parseTicketQuery, type TicketQuery } from './catalog.schema';
import { ListingCache } from './listing.cache';
import { parsePage, type Page } from './pagination.schema';
import {
  openListings,
  rawQuery,
  sendPage,
  serializePage,
  type SerializedPage,
} from './serialized-page';

/** Each `sort` with `_id` to order listings that tie (served by the tickets indexes). */
const SORTS = {
  newest: { createdAt: -1, _id: -1 },
  price: { price: 1, _id: 1 },
  '-price': { price: -1, _id: -1 },
  date: { 'event.startsAt': 1, _id: 1 },
} as const;

/**
 * The stored-document filter of a listing query at `now`. A price bound is on what the buyer pays, the
 * total under `fees`; the total grows with the ask, so it is a bound on the stored ask.
 */
function listingFilter(query: TicketQuery, now: Date, fees: FeeSchedule): object {
  const filter: Record<string, unknown> = { ...openListings(now, query) };
  if (query.eventId) filter.eventId = query.eventId;
  if (query.city) filter.cityKey = normalizeText(query.city);
  if (query.category) filter['event.category'] = query.category;
  if (query.minPrice !== undefined || query.maxPrice !== undefined) {
    filter.price = {
      ...(query.minPrice !== undefined
        ? { $gte: askRangeForTotal(query.minPrice, fees).atLeast }
        : {}),
      ...(query.maxPrice !== undefined
        ? { $lte: askRangeForTotal(query.maxPrice, fees).atMost }
        : {}),
    };
  }
  return { ...filter, ...allWordsFilter('search', query.q) };
}

/** One page of listings (lean reads of the fields shown), read one past the page. */
export async function readListings(
  filter: object,
  sort: (typeof SORTS)[keyof typeof SORTS],
  page: Page,
  fees: FeeSchedule,
): Promise<SerializedPage> {
  const now = Date.now();
  const tickets = await Ticket.find(filter, TICKET_JSON_PROJECTION)
    .sort(sort)
    .skip((page.page - 1) * page.limit)
    .limit(page.limit + 1)
    .lean();
  return serializePage(tickets, page, (ticket) => toTicketJson(ticket, fees, now));
}

/**
 * Tickets that can be bought — available, of events that have not started — searched, filtered and sorted
 * (newest first by default), one page at a time from `ListingCache` for `listingCacheMs`; and the
 * signed-in seller's own listings (always read fresh). `X-Next-Page` names the next page when there is one.
 */
export function listTicketsRouter(listingCacheMs: number, fees: FeeSchedule): Router {
  const router = Router();
  const listings = new ListingCache<SerializedPage>(listingCacheMs);
  router.get('/api/tickets', async (req, res) => {
    const page = await listings.read(rawQuery(req), async () => {
      const query = parseTicketQuery(req.query);
      return readListings(listingFilter(query, new Date(), fees), SORTS[query.sort], query, fees);
    });
    sendPage(req, res, page);
  });
  // The signed-in seller's own listings in every status (reserved, sold and closed too), served by the
  // index `{userId: 1, createdAt: -1, _id: -1}`. Registered before `/api/tickets/:id`, which would take "mine".
  router.get('/api/tickets/mine', requireAuth, async (req, res) => {
    const page = parsePage(req.query);
    const mine = await readListings({ userId: req.currentUser!.id }, SORTS.newest, page, fees);
    sendPage(req, res, mine);
  });
  return router;
}
