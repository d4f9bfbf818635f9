/**
 * POST /api/tickets: a signed-in seller lists a ticket for sale.
 */
import { Router, type Request, type Response } from 'express';
import { requireAuth, listingBody, validateBody } from '@ticketing/common';
import { createTicket } from '../domain/ticket-lifecycle';

export function newTicketRouter(): Router {
  const router = Router();
  router.post(
    '/api/tickets',
    requireAuth,
    validateBody(listingBody),
    async (req: Request, res: Response) => {
      const { title, price } = req.body as { title: string; price: number };
      const ticket = await createTicket({ title, price, userId: req.currentUser!.id });
      res.status(201).json(ticket);
    },
  );
  return router;
}
