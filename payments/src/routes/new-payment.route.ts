import { Router, type Request, type RequestHandler, type Response } from 'express';
import {
  BadRequestError,
  NotAuthorizedError,
  NotFoundError,
  OrderStatus,
  RequestValidationError,
  ServiceUnavailableError,
  isObjectId,
  requireAuth,
  type SerializedError,
} from '@ticketing/common';
import { NOT_REPLICATED_YET, findOrder, type OrderFeedLag } from '../domain/order-replica';
import type { PaymentProcessor } from '../domain/payment-processor';
import { toChargeJson } from '../models/charge.model';

/** Stripe's card tokens are short (`tok_…`); anything longer is not one, and is not stored. */
const MAX_TOKEN_LENGTH = 255;

/**
 * `orderId` must be an id and `token` a non-empty string; every problem is reported at once, in the same
 * words as common's validators. (A plain check: express-validator is common's dependency, not ours.)
 */
const validatePaymentRequest: RequestHandler = (req, _res, next) => {
  const { orderId, token } = (req.body ?? {}) as { orderId?: unknown; token?: unknown };
  const errors: SerializedError[] = [];
  if (!isObjectId(orderId))
    errors.push({ message: 'orderId must be a valid id', field: 'orderId' });
  if (typeof token !== 'string' || !token.trim() || token.length > MAX_TOKEN_LENGTH)
    errors.push({ message: 'token must be a card token', field: 'token' });
  if (errors.length > 0) throw new RequestValidationError(errors);
  next();
};

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
    validatePaymentRequest,
    async (req: Request, res: Response) => {
      const orderId = req.body.orderId as string;
      const token = (req.body.token as string).trim();
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
