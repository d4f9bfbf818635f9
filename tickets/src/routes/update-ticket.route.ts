/**
 * PUT /api/tickets/:id: the seller edits an available listing's price, title and seat (never its event).
 */
import { Router, type Request, type Response } from 'express';
import {
  requireAuth,
  requireObjectIdParam,
  validateBody,
  type FeeSchedule,
} from '@ticketing/common';
import { updateListing } from '../domain/ticket-lifecycle';
import { toTicketJson } from '../models/ticket.model';
import { listingChangesBody, type ListingChangesBody } from './catalog.schema';

export function updateTicketRouter(fees: FeeSchedule): Router {
  const router = Router();
  router.put(
    '/api/tickets/:id',
    requireAuth,
    requireObjectIdParam('id', 'Ticket'),
    validateBody(listingChangesBody),
    async (req: Request<{ id: string }>, res: Response) => {
      const changes = req.body as ListingChangesBody;
      const ticket = await updateListing(req.params.id, req.currentUser!.id, changes);
      res.status(200).json(toTicketJson(ticket, fees));
    },
  );
  return router;
}
