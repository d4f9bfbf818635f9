/**
 * POST /api/tickets: a signed-in seller lists a ticket for an event that has not started.
 */
import { Router, type Request, type Response } from 'express';
import { requireAuth, validateBody, type FeeSchedule } from '@ticketing/common';
import { createListing } from '../domain/ticket-lifecycle';
import { toTicketJson } from '../models/ticket.model';
import { listingBody, type ListingBody } from './catalog.schema';

export function newTicketRouter(fees: FeeSchedule): Router {
  const router = Router();
  router.post(
    '/api/tickets',
    requireAuth,
    validateBody(listingBody),
    async (req: Request, res: Response) => {
      const listing = req.body as ListingBody;
      const ticket = await createListing(listing, req.currentUser!.id);
      res.status(201).json(toTicketJson(ticket, fees));
    },
  );
  return router;
}
