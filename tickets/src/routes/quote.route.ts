/**
 * GET /api/tickets/quote?price=: what a listing at this ask costs its buyer and pays its seller, under the
 * platform's fees, for the sell form to show while the seller types.
 */
import { Router } from 'express';
import { priceBreakdown, sellerProceeds, type FeeSchedule } from '@ticketing/common';
import { parseQuoteQuery } from './catalog.schema';

/** Registered before `/api/tickets/:id`, which would take "quote". */
export function quoteRouter(fees: FeeSchedule): Router {
  const router = Router();
  router.get('/api/tickets/quote', (req, res) => {
    const { price } = parseQuoteQuery(req.query);
    const buyer = priceBreakdown(price, fees);
    const seller = sellerProceeds(price, fees);
    res.status(200).json({ ...buyer, sellerFee: seller.fee, payout: seller.amount });
  });
  return router;
}
