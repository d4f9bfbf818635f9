import { toApiError } from './api/errors';

/**
 * Why the orders service would not place an order, as the buyer needs to act on it:
 * - `hold-cap`: they already hold as many unpaid tickets as one buyer may; paying for or cancelling
 *   one of them frees a place;
 * - `rehold-cooldown`: their own hold on this very ticket ended unpaid a moment ago; they must wait
 *   (the message says how long) while other buyers may buy it;
 * - `other`: anything else (reserved by someone else, sold, the event started, ...), shown as said.
 */
export type OrderRefusal =
  | { kind: 'hold-cap'; message: string }
  | { kind: 'rehold-cooldown'; message: string }
  | { kind: 'other'; message: string };

// The service tells these two apart from its other 400s on `ticketId` only in words, so these patterns
// are part of the contract of POST /api/orders. Only the leading words are matched: the numbers in the
// messages (the configured cap, the seconds left) vary.
const HOLD_CAP = /^You already hold \d+ tickets?\b/;
const REHOLD_COOLDOWN = /^Your hold on this ticket ended recently\b/;

/** Sorts what `POST /api/orders` threw into one of the refusals a buyer is shown. */
export function describeOrderRefusal(err: unknown): OrderRefusal {
  const apiError = toApiError(err);
  if (apiError.status === 400) {
    for (const { message, field } of apiError.errors) {
      if (field !== 'ticketId') continue;
      if (HOLD_CAP.test(message)) return { kind: 'hold-cap', message };
      if (REHOLD_COOLDOWN.test(message)) return { kind: 'rehold-cooldown', message };
    }
  }
  return { kind: 'other', message: apiError.message };
}
