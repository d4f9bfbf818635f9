/**
 * A seller's payout account: the Stripe Connect account their payouts are transferred to.
 */
import mongoose from 'mongoose';
import { isDuplicateKeyError } from '@ticketing/common';

export interface PayoutAccountFields {
  /** The seller; one account each. */
  userId: string;
  /** Stripe Connect's `acct_…`. */
  stripeAccountId: string;
}

const payoutAccountSchema = new mongoose.Schema<PayoutAccountFields>(
  {
    userId: { type: String, required: true },
    stripeAccountId: { type: String, required: true },
  },
  { timestamps: true },
);
payoutAccountSchema.index({ userId: 1 }, { unique: true });

export const PayoutAccount = mongoose.model<PayoutAccountFields>(
  'PayoutAccount',
  payoutAccountSchema,
);

/** The seller's connected account, or null. */
export async function payoutAccountOf(userId: string): Promise<string | null> {
  const account = await PayoutAccount.findOne({ userId }).lean();
  return account?.stripeAccountId ?? null;
}

/** Sets (or replaces) the seller's connected account; two first settings at once: one inserts. */
export async function setPayoutAccount(userId: string, stripeAccountId: string): Promise<void> {
  const upsert = () =>
    PayoutAccount.updateOne({ userId }, { $set: { stripeAccountId } }, { upsert: true });
  await upsert().catch((err: unknown) => {
    // The other upsert inserted first: this one is now an update.
    if (isDuplicateKeyError(err)) return upsert();
    throw err;
  });
}
