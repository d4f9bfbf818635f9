import { Router, type Request, type Response } from 'express';
import { priceField, requireAuth, titleField, validateRequest } from '@ticketing/common';
import { createTicket } from '../domain/ticket-lifecycle';

export function newTicketRouter(): Router {
  const router = Router();
  router.post(
    '/api/tickets',
    requireAuth,
    [titleField(), priceField()],
    validateRequest,
    async (req: Request, res: Response) => {
      const { title, price } = req.body as { title: string; price: number };
      const ticket = await createTicket({ title, price, userId: req.currentUser!.id });
      res.status(201).json(ticket);
    },
  );
  return router;
}
