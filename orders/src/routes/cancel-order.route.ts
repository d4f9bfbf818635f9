import { Router } from 'express';
import {
  BadRequestError,
  NotAuthorizedError,
  NotFoundError,
  OrderStatus,
  requireAuth,
  requireObjectIdParam,
} from '@ticketing/common';
import { cancelOrder, updateOrder } from '../domain/order-lifecycle';

export function cancelOrderRouter(): Router {
  const router = Router();
  router.delete(
    '/api/orders/:id',
    requireAuth,
    requireObjectIdParam('id', 'Order'),
    async (req, res) => {
      await updateOrder(req.params.id as string, async (order, tx) => {
        if (!order) throw new NotFoundError('Order not found');
        if (order.userId !== req.currentUser!.id) throw new NotAuthorizedError();
        if (order.status === OrderStatus.Complete)
          throw new BadRequestError('Order is complete and cannot be cancelled');
        // Cancelling an order that is already cancelled changes nothing and is not an error.
        await cancelOrder(order, tx);
      });
      res.status(204).end();
    },
  );
  return router;
}
