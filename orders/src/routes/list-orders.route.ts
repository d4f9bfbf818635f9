/**
 * GET /api/orders: the signed-in buyer's orders, newest first.
 */
import { Router } from 'express';
import { requireAuth } from '@ticketing/common';
import { Order, toOrderJson } from '../models/order.model';

export function listOrdersRouter(): Router {
  const router = Router();
  router.get('/api/orders', requireAuth, async (req, res) => {
    const orders = await Order.find({ userId: req.currentUser!.id })
      .sort({ createdAt: -1, _id: -1 })
      .lean();
    res.status(200).json(orders.map(toOrderJson));
  });
  return router;
}
