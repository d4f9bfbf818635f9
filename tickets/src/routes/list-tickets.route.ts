/**
 * GET /api/tickets (the public listing, cached) and GET /api/tickets/mine (the seller's own
 * listings), one page at a time.
 */
import { Router, type Request, type Response } from 'express';
import { TicketStatus, requireAuth } from '@ticketing/common';
import { Ticket, TICKET_JSON_PROJECTION, toTicketJson } from '../models/ticket.model';
import { ListingCache } from './listing.cache';
import { parsePage, type Page } from './pagination.schema';

/**
 * A page of the listing as sent: the JSON body's bytes, the next page's number when there is one, and
 * the body's ETag once a response has needed it (a cached page is hashed once, not per request).
 */
interface SerializedPage {
  body: Buffer;
  nextPage?: number;
  etag?: string;
}

/** Served by the index `{status: 1, createdAt: -1, _id: -1}`; `_id` orders tickets listed in the same ms. */
const AVAILABLE = { status: TicketStatus.Available } as const;
const NEWEST_FIRST = { createdAt: -1, _id: -1 } as const;

/**
 * Tickets that can be bought, newest first, one page at a time (from `ListingCache` for
 * `listingCacheMs`), and the signed-in seller's own listings (always read fresh). `X-Next-Page` names the
 * next page when there is one.
 */
export function listTicketsRouter(listingCacheMs: number): Router {
  const router = Router();
  const listings = new ListingCache<SerializedPage>(listingCacheMs);
  router.get('/api/tickets', async (req, res) => {
    const page = parsePage(req.query);
    send(
      req,
      res,
      await listings.read(`${page.page}:${page.limit}`, () => readPage(AVAILABLE, page)),
    );
  });
  // The signed-in seller's own listings in every status (reserved and sold too), served by the index
  // `{userId: 1, createdAt: -1, _id: -1}`. Registered before `/api/tickets/:id`, which would take "mine".
  router.get('/api/tickets/mine', requireAuth, async (req, res) => {
    send(req, res, await readPage({ userId: req.currentUser!.id }, parsePage(req.query)));
  });
  return router;
}

/** One more than the page is read, to know whether another page exists. Lean reads of only the fields shown. */
async function readPage(filter: object, { page, limit }: Page): Promise<SerializedPage> {
  const tickets = await Ticket.find(filter, TICKET_JSON_PROJECTION)
    .sort(NEWEST_FIRST)
    .skip((page - 1) * limit)
    .limit(limit + 1)
    .lean();
  const more = tickets.length > limit;
  if (more) tickets.pop();
  return {
    body: Buffer.from(JSON.stringify(tickets.map(toTicketJson))),
    ...(more ? { nextPage: page + 1 } : {}),
  };
}

/** Express's own ETag function (the app's `etag` setting), computed once per page. */
type EtagOf = (body: Buffer, encoding?: string) => string;

function send(req: Request, res: Response, page: SerializedPage): void {
  if (page.nextPage) res.set('X-Next-Page', String(page.nextPage));
  const etagOf = req.app.get('etag fn') as EtagOf | undefined;
  if (etagOf) res.set('ETag', (page.etag ??= etagOf(page.body)));
  res.status(200).type('json').send(page.body);
}
