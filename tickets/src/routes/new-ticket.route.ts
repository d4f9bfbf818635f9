/**
 * POST /api/tickets: a signed-in seller lists a ticket for sale.
 */
import { Router, type Request, type Response } from 'express';
import { requireAuth, listingBody, validateBody } from '@ticketing/common';
import type { z } from 'zod';
import { createTicket } from '../domain/ticket-lifecycle';

export function newTicketRouter(): Router {
  const router = Router();
  router.post(
    '/api/tickets',
    requireAuth,
    validateBody(listingBody),
    async (req: Request, res: Response) => {
      const listing = req.body as z.infer<typeof listingBody>;
      res.status(201).json(await createTicket({ ...listing, userId: req.currentUser!.id }));
    },
  );
  return router;
}
