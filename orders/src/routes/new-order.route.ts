import { Router, type Request, type Response } from 'express';
import {
  BadRequestError,
  NotFoundError,
  OrderStatus,
  Subjects,
  TicketStatus,
  objectIdField,
  requireAuth,
  validateRequest,
  withOutbox,
} from '@ticketing/common';
import type { OrdersConfig } from '../config';
import { Order } from '../models/order.model';
import { Ticket } from '../models/ticket.model';

export function newOrderRouter(config: OrdersConfig): Router {
  const router = Router();
  router.post(
    '/api/orders',
    requireAuth,
    [objectIdField('ticketId')],
    validateRequest,
    async (req: Request, res: Response) => {
      const { ticketId } = req.body as { ticketId: string };
      const buyer = req.currentUser!;
      const ticket = await Ticket.findById(ticketId).lean();
      if (!ticket) throw new NotFoundError('Ticket not found');
      if (ticket.userId === buyer.id)
        throw new BadRequestError('You cannot buy your own ticket', 'ticketId');
      if (ticket.status === TicketStatus.Sold)
        throw new BadRequestError('Ticket is sold', 'ticketId');

      const expiresAt = new Date(Date.now() + config.ORDER_EXPIRATION_SECONDS * 1000);
      const order = await withOutbox(async ({ session, publish }) => {
        const created = new Order({
          userId: buyer.id,
          status: OrderStatus.Created,
          expiresAt,
          ticket: { id: ticket._id, title: ticket.title, price: ticket.price },
          holdsTicket: true,
        });
        await created.save({ session });
        publish(Subjects.OrderCreated, {
          id: created.id,
          version: created.version,
          status: created.status,
          userId: created.userId,
          expiresAt: expiresAt.toISOString(),
          ticket: { id: String(ticket._id), price: ticket.price },
        });
        return created;
      }).catch((err: unknown) => {
        // The unique index over orders holding a ticket decides every race between buyers.
        if ((err as { code?: number }).code === 11000)
          throw new BadRequestError('Ticket is already reserved', 'ticketId');
        throw err;
      });
      res.status(201).json(order);
    },
  );
  return router;
}
