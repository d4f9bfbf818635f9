/**
 * The seller's side of payments: GET /api/payments/payouts (their payouts, newest first, with what is
 * pending and paid in all) and GET/PUT /api/payments/account (the Stripe account payouts go to).
 */
import { Router, type Request, type Response } from 'express';
import {
  PayoutStatus,
  requireAuth,
  toCents,
  validateBody,
  type PayoutAccountJson,
  type PayoutsJson,
} from '@ticketing/common';
import { z } from 'zod';
import { payoutAccountOf, setPayoutAccount } from '../models/payout-account.model';
import { Payout, retryPayoutsOf, toPayoutJson, type PayoutRecord } from '../models/payout.model';

/** The payouts a page shows; the totals count them all. */
const PAGE_SIZE = 100;

const ACCOUNT_ID = 'stripeAccountId must be a Stripe account id, such as acct_1Nv0FGQ9RKHgCVdK';
const accountBody = z.object({
  stripeAccountId: z
    .string({ error: ACCOUNT_ID })
    .trim()
    .regex(/^acct_[A-Za-z0-9]{1,250}$/, ACCOUNT_ID),
});

/** Dollars summed in cents, so the totals are exact. */
function sumOf(payouts: Array<Pick<PayoutRecord, 'amount' | 'status'>>, status: PayoutStatus) {
  const cents = payouts
    .filter((payout) => payout.status === status)
    .reduce((sum, payout) => sum + toCents(payout.amount), 0);
  return cents / 100;
}

export function payoutsRouter(): Router {
  const router = Router();

  router.get('/api/payments/payouts', requireAuth, async (req: Request, res: Response) => {
    const userId = req.currentUser!.id;
    const [page, amounts] = await Promise.all([
      Payout.find({ userId })
        .sort({ createdAt: -1, _id: -1 })
        .limit(PAGE_SIZE)
        .lean<PayoutRecord[]>(),
      Payout.find({ userId }, { amount: 1, status: 1 }).lean<PayoutRecord[]>(),
    ]);
    const body: PayoutsJson = {
      payouts: page.map(toPayoutJson),
      totals: {
        pending: sumOf(amounts, PayoutStatus.Pending),
        paid: sumOf(amounts, PayoutStatus.Paid),
      },
    };
    res.status(200).json(body);
  });

  router.get('/api/payments/account', requireAuth, async (req: Request, res: Response) => {
    const body: PayoutAccountJson = {
      stripeAccountId: await payoutAccountOf(req.currentUser!.id),
    };
    res.status(200).json(body);
  });

  router.put(
    '/api/payments/account',
    requireAuth,
    validateBody(accountBody),
    async (req: Request, res: Response) => {
      const userId = req.currentUser!.id;
      const { stripeAccountId } = req.body as z.infer<typeof accountBody>;
      await setPayoutAccount(userId, stripeAccountId);
      // Payouts that waited for an account are paid at the next sweep.
      await retryPayoutsOf(userId, new Date());
      const body: PayoutAccountJson = { stripeAccountId };
      res.status(200).json(body);
    },
  );
  return router;
}
