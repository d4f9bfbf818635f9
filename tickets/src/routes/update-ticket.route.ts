/**
 * PUT /api/tickets/:id: the seller edits an available listing's title and price.
 */
import { Router, type Request, type Response } from 'express';
import { requireAuth, requireObjectIdParam, listingBody, validateBody } from '@ticketing/common';
import { updateListing } from '../domain/ticket-lifecycle';

export function updateTicketRouter(): Router {
  const router = Router();
  router.put(
    '/api/tickets/:id',
    requireAuth,
    requireObjectIdParam('id', 'Ticket'),
    validateBody(listingBody),
    async (req: Request<{ id: string }>, res: Response) => {
      const { title, price } = req.body as { title: string; price: number };
      const ticket = await updateListing(req.params.id, req.currentUser!.id, { title, price });
      res.status(200).json(ticket);
    },
  );
  return router;
}
