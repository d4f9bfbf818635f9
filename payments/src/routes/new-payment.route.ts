import { Router, type Request, type Response } from 'express';
import {
  BadRequestError,
  NotAuthorizedError,
  NotFoundError,
  OrderStatus,
  ServiceUnavailableError,
  objectIdField,
  requireAuth,
  validateBody,
} from '@ticketing/common';
import { z } from 'zod';
import { NOT_REPLICATED_YET, findOrder, type OrderFeedLag } from '../domain/order-replica';
import type { PaymentProcessor } from '../domain/payment-processor';
import { toChargeJson } from '../models/charge.model';

/** Stripe's card tokens are short (`tok_…`); anything longer is not one, and is not stored. */
const MAX_TOKEN_LENGTH = 255;

const CARD_TOKEN = 'token must be a card token';

/** `orderId` must be an id and `token` a card token: a non-empty string, trimmed, not over-long. */
const paymentBody = z.object({
  orderId: objectIdField('orderId'),
  token: z
    .string({ error: CARD_TOKEN })
    .max(MAX_TOKEN_LENGTH, CARD_TOKEN)
    .trim()
    .min(1, CARD_TOKEN),
});

export interface PaymentRouteOptions {
  /** Whether order.created events are still pending (an order not found may be on its way). */
  orderFeedLag: OrderFeedLag;
  /** How long to wait for such an order before answering 503. */
  orderWaitMs: number;
}

export function newPaymentRouter(
  processor: PaymentProcessor,
  options: PaymentRouteOptions,
): Router {
  const router = Router();
  router.post(
    '/api/payments',
    requireAuth,
    validateBody(paymentBody),
    async (req: Request, res: Response) => {
      const { orderId, token } = req.body as z.infer<typeof paymentBody>;
      const order = await findOrder(orderId, options.orderFeedLag, options.orderWaitMs);
      if (order === NOT_REPLICATED_YET) {
        res.set('Retry-After', '5');
        throw new ServiceUnavailableError(
          'This order has not reached the payment service yet. Please try again in a few seconds',
        );
      }
      if (!order) throw new NotFoundError('Order not found');
      if (order.userId !== req.currentUser!.id) throw new NotAuthorizedError();
      if (order.status === OrderStatus.Cancelled)
        throw new BadRequestError('Order is cancelled', 'orderId');
      // The clock decides, not only the replica: order.cancelled for an expired hold may still be on its way.
      if (order.expiresAt.getTime() <= Date.now())
        throw new BadRequestError('Order has expired', 'orderId');

      const outcome = await processor.pay(order, token);
      switch (outcome.kind) {
        case 'completed':
          res.status(201).json(toChargeJson(outcome.charge));
          return;
        case 'already-paid':
          throw new BadRequestError('Order has already been paid', 'orderId');
        case 'in-progress':
          throw new BadRequestError('A payment for this order is in progress', 'orderId');
        case 'declined':
          throw new BadRequestError('Your card was declined', 'token');
        case 'invalid-token':
          throw new BadRequestError('The card token is not valid', 'token');
        case 'refunded':
          throw new BadRequestError(
            outcome.charge.stripeRefundId
              ? 'Order was cancelled while it was being paid; the payment has been refunded'
              : 'Order was cancelled while it was being paid; the payment will be refunded',
            'orderId',
          );
        case 'unavailable':
          throw new ServiceUnavailableError(
            'The payment provider could not be reached. Please try again: you will not be charged twice',
          );
      }
    },
  );
  return router;
}
