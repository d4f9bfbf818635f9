/**
 * GET /api/orders/:id/stream: the order's state as Server-Sent Events, for its buyer's order page — now,
 * then on every change (paid, expired, declined, cancelled, price changed, with the reason), each message
 * the whole order with its version as the event id.
 */
import { Router, type Request, type Response } from 'express';
import {
  NotAuthorizedError,
  NotFoundError,
  requireAuth,
  requireObjectIdParam,
  type LiveFeed,
  type LiveStreams,
  type Logger,
} from '@ticketing/common';
import { Order, toOrderJson } from '../models/order.model';

export function orderStreamRouter(feed: LiveFeed, logger: Logger): Router {
  const router = Router();
  router.get(
    '/api/orders/:id/stream',
    requireAuth,
    requireObjectIdParam('id', 'Order'),
    async (req: Request<{ id: string }>, res: Response) => {
      const orderId = req.params.id;
      const buyerId = req.currentUser!.id;
      const found = await Order.findById(orderId, { userId: 1 }).lean();
      if (!found) throw new NotFoundError('Order not found');
      if (found.userId !== buyerId) throw new NotAuthorizedError();

      const stream = (req.app.locals.liveStreams as LiveStreams).start(req, res, buyerId);
      // The whole order each time, once per version: a change seen twice (the feed and the first read)
      // is sent once, and a client resuming with an older Last-Event-ID gets the current state first.
      let sent = -1;
      let pushing = Promise.resolve();
      const push = () => {
        pushing = pushing
          .then(async () => {
            const order = await Order.findById(orderId).lean();
            if (!order || order.version <= sent || stream.closed) return;
            sent = order.version;
            stream.send({ id: order.version, event: 'order', data: toOrderJson(order) });
          })
          .catch((err: unknown) => logger.warn({ err, orderId }, 'order stream: read failed'));
      };
      // Watched before the first read, so no change falls between the two.
      stream.onClose(feed.watch(orderId, push));
      push();
    },
  );
  return router;
}
