/**
 * DELETE /api/orders/:id: the buyer cancels their order (cancelling it again is no error).
 */
import { Router } from 'express';
import { requireAuth, requireObjectIdParam } from '@ticketing/common';
import { cancelOrder } from '../domain/order-use-cases';

export function cancelOrderRouter(): Router {
  const router = Router();
  router.delete(
    '/api/orders/:id',
    requireAuth,
    requireObjectIdParam('id', 'Order'),
    async (req, res) => {
      await cancelOrder(req.params.id as string, req.currentUser!.id);
      res.status(204).end();
    },
  );
  return router;
}
