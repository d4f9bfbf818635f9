/**
 * GET /api/orders/:id: one of the signed-in buyer's orders.
 */
import { Router } from 'express';
import {
  NotAuthorizedError,
  NotFoundError,
  requireAuth,
  requireObjectIdParam,
} from '@ticketing/common';
import { Order, toOrderJson } from '../models/order.model';

export function showOrderRouter(): Router {
  const router = Router();
  router.get(
    '/api/orders/:id',
    requireAuth,
    requireObjectIdParam('id', 'Order'),
    async (req, res) => {
      const order = await Order.findById(req.params.id).lean();
      if (!order) throw new NotFoundError('Order not found');
      if (order.userId !== req.currentUser!.id) throw new NotAuthorizedError();
      res.status(200).json(toOrderJson(order));
    },
  );
  return router;
}
