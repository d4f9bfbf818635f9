/**
 * POST /api/orders: a signed-in buyer places an order for a ticket.
 */
import { Router, type Request, type Response } from 'express';
import { feeSchedule, objectIdField, requireAuth, validateBody } from '@ticketing/common';
import { z } from 'zod';
import type { OrdersConfig } from '../config';
import { placeOrder } from '../domain/order-use-cases';

const newOrderBody = z.object({ ticketId: objectIdField('ticketId') });

export function newOrderRouter(config: OrdersConfig): Router {
  const router = Router();
  const terms = {
    holdSeconds: config.ORDER_EXPIRATION_SECONDS,
    fees: feeSchedule(config),
    maxActiveHolds: config.MAX_ACTIVE_HOLDS,
    reholdCooldownSeconds: config.REHOLD_COOLDOWN_SECONDS ?? config.ORDER_EXPIRATION_SECONDS,
  };
  router.post(
    '/api/orders',
    requireAuth,
    validateBody(newOrderBody),
    async (req: Request, res: Response) => {
      const { ticketId } = req.body as { ticketId: string };
      const order = await placeOrder(req.currentUser!, ticketId, terms);
      res.status(201).json(order);
    },
  );
  return router;
}
