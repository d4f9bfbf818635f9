/**
 * POST /api/payments: validates the body, asks the payment processor to pay the order for the signed-in
 * buyer, and turns what came of it into the HTTP answer, every case in one switch.
 */
import { Router, type Request, type Response } from 'express';
import {
  BadRequestError,
  NotAuthorizedError,
  NotFoundError,
  ServiceUnavailableError,
  objectIdField,
  requireAuth,
  validateBody,
} from '@ticketing/common';
import { z } from 'zod';
import type { OrderLookup } from '../domain/order-replica';
import type { OrderRefusal, PaymentOutcome } from '../domain/payment-outcome';
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

/** How the route finds an order the replica may not have yet (see findOrder). */
export type PaymentRouteOptions = OrderLookup;

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
      const outcome = await processor.payOrder(
        { orderId, buyerId: req.currentUser!.id, token },
        options,
      );
      respond(res, outcome);
    },
  );
  return router;
}

type PaymentAnswer = OrderRefusal | PaymentOutcome;

/** The outcomes answered 400: the message the buyer reads, and the field it is about. */
const BAD_REQUESTS = {
  'order-cancelled': ['Order is cancelled', 'orderId'],
  'order-expired': ['Order has expired', 'orderId'],
  'already-paid': ['Order has already been paid', 'orderId'],
  'in-progress': ['A payment for this order is in progress', 'orderId'],
  declined: ['Your card was declined', 'token'],
  'invalid-token': ['The card token is not valid', 'token'],
} as const satisfies Partial<Record<PaymentAnswer['kind'], readonly [string, string]>>;

/** 201 with the charge when it completed; every other outcome is an error the middleware serializes. */
function respond(res: Response, outcome: PaymentAnswer): void {
  switch (outcome.kind) {
    case 'completed':
      res.status(201).json(toChargeJson(outcome.charge));
      return;
    case 'order-on-its-way':
      res.set('Retry-After', '5');
      throw new ServiceUnavailableError(
        'This order has not reached the payment service yet. Please try again in a few seconds',
      );
    case 'order-not-found':
      throw new NotFoundError('Order not found');
    case 'not-the-buyer':
      throw new NotAuthorizedError();
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
    default: {
      const [message, field] = BAD_REQUESTS[outcome.kind];
      throw new BadRequestError(message, field);
    }
  }
}
