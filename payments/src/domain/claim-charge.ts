/**
 * Claiming a charge, so that only one process calls the gateway for it: the order's one payment slot,
 * taken by inserting a pending charge (`active: true` is unique per order, so of simultaneous payments
 * exactly one inserts), or the lease of a pending charge nobody is driving any more, to re-issue its call.
 */
import { isDuplicateKeyError, type Logger } from '@ticketing/common';
import {
  Charge,
  insertPendingCharge,
  takeChargeLease,
  type ChargeRecord,
} from '../models/charge.model';

/**
 * Inserts the pending charge that reserves the order's one payment slot, with the token (so the call can
 * be re-issued) and a lease of `leaseMs`; null if the slot is taken.
 */
export async function claimPaymentSlot(
  orderId: string,
  amount: number,
  token: string,
  leaseMs: number,
): Promise<ChargeRecord | null> {
  const attempt = (await Charge.countDocuments({ orderId })) + 1;
  try {
    return await insertPendingCharge({
      orderId,
      amount,
      attempt,
      token,
      lockedUntil: new Date(Date.now() + leaseMs),
    });
  } catch (err) {
    // Another charge is active for this order, or took this attempt number.
    if (isDuplicateKeyError(err)) return null;
    throw err;
  }
}

/** The charge holding the order's slot, if any: a completed or a pending one. */
export function findActiveCharge(orderId: string): Promise<ChargeRecord | null> {
  return Charge.findOne({ orderId, active: true }).lean<ChargeRecord>();
}

/**
 * Takes the lease of a pending charge whose lease has run out, for `leaseMs`, and returns the token to
 * re-issue its gateway call with (same key, same card). Null when another caller got the lease first.
 */
export async function claimStalledCharge(
  charge: ChargeRecord,
  leaseMs: number,
  logger: Logger,
): Promise<string | null> {
  const now = new Date();
  if (!(await takeChargeLease(charge._id, now, new Date(now.getTime() + leaseMs)))) return null;
  if (!charge.token) {
    // Cannot happen: every claim stores its token. Without it the call cannot be re-issued safely.
    logger.error({ chargeId: String(charge._id) }, 'pending charge has no token to re-issue');
    return null;
  }
  logger.info(
    { chargeId: String(charge._id), orderId: charge.orderId, attempt: charge.attempt },
    're-issuing a charge whose outcome was unknown',
  );
  return charge.token;
}
