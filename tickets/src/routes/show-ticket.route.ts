/**
 * GET /api/tickets/:id: one listing, in any status.
 */
import { Router } from 'express';
import { NotFoundError, requireObjectIdParam, type FeeSchedule } from '@ticketing/common';
import { Ticket, TICKET_JSON_PROJECTION, toTicketJson } from '../models/ticket.model';

/** Any status: a buyer's order page shows the ticket it reserved or bought. */
export function showTicketRouter(fees: FeeSchedule): Router {
  const router = Router();
  router.get('/api/tickets/:id', requireObjectIdParam('id', 'Ticket'), async (req, res) => {
    const ticket = await Ticket.findById(req.params.id, TICKET_JSON_PROJECTION).lean();
    if (!ticket) throw new NotFoundError('Ticket not found');
    res.status(200).json(toTicketJson(ticket, fees));
  });
  return router;
}
