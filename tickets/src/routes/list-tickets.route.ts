import { Router, type Request, type Response } from 'express';
import { TicketStatus, requireAuth } from '@ticketing/common';
import { Ticket, TICKET_JSON_PROJECTION, toTicketJson } from '../models/ticket.model';
import { parsePage } from './pagination';

/** Served by the index `{status: 1, createdAt: -1, _id: -1}`; `_id` orders tickets listed in the same ms. */
const AVAILABLE = { status: TicketStatus.Available } as const;
const NEWEST_FIRST = { createdAt: -1, _id: -1 } as const;

/**
 * Tickets that can be bought, newest first, one page at a time. One more than the page is read, to
 * know whether another page exists: then `X-Next-Page` names it. Lean reads of only the fields shown.
 */
export function listTicketsRouter(): Router {
  const router = Router();
  router.get('/api/tickets', async (req, res) => {
    await sendPage(req.query, AVAILABLE, res);
  });
  // The signed-in seller's own listings in every status (reserved and sold too), served by the index
  // `{userId: 1, createdAt: -1, _id: -1}`. Registered before `/api/tickets/:id`, which would take "mine".
  router.get('/api/tickets/mine', requireAuth, async (req, res) => {
    await sendPage(req.query, { userId: req.currentUser!.id }, res);
  });
  return router;
}

async function sendPage(query: Request['query'], filter: object, res: Response): Promise<void> {
  const { page, limit } = parsePage(query);
  const tickets = await Ticket.find(filter, TICKET_JSON_PROJECTION)
    .sort(NEWEST_FIRST)
    .skip((page - 1) * limit)
    .limit(limit + 1)
    .lean();
  if (tickets.length > limit) {
    tickets.pop();
    res.set('X-Next-Page', String(page + 1));
  }
  res.status(200).json(tickets.map(toTicketJson));
}
