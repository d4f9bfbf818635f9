/**
 * The one thing payments needs from a card processor. `StripeGateway` talks to Stripe; `SandboxGateway`
 * stands in when no `STRIPE_KEY` is configured.
 *
 * `charge` either returns the processor's charge id, or throws `CardDeclinedError` / `InvalidTokenError`
 * when the processor definitely did not take the money. Any other error means the outcome is unknown (the
 * request may or may not have reached the processor): the caller must not treat it as a failure, and
 * re-issues the same request, with the same idempotency key, to learn what happened.
 */
export interface PaymentGateway {
  /** Shown in the start-up log: which processor is in use (never its key). */
  readonly name: string;
  charge(request: ChargeRequest): Promise<{ id: string }>;
  refund(request: RefundRequest): Promise<{ id: string }>;
  /**
   * Sends a seller's payout; returns the processor's transfer id. Errors: the outcome is unknown (the
   * caller re-issues the same request, same key, later).
   */
  transfer(request: TransferRequest): Promise<{ id: string }>;
  /** Whether a transfer needs the seller's connected account (`destination`): Stripe does, the sandbox not. */
  readonly needsPayoutAccount: boolean;
}

export interface TransferRequest {
  /** Integer cents. */
  amount: number;
  currency: 'usd';
  /** The seller's connected account (Stripe Connect `acct_…`); absent in the sandbox. */
  destination?: string;
  /** The payout's id: the processor runs one transfer per key, so a re-issue never pays twice. */
  idempotencyKey: string;
  description: string;
}

export interface ChargeRequest {
  /** Integer cents. */
  amount: number;
  currency: 'usd';
  /** A card token from the client (Stripe.js / Stripe's test tokens). */
  token: string;
  /** The processor runs one request per key and answers a repeat with the first result. */
  idempotencyKey: string;
  description: string;
}

export interface RefundRequest {
  /** The processor's charge id (`stripeId`). */
  chargeId: string;
  idempotencyKey: string;
}

/** The card was refused (by the issuer or the processor's risk checks): no money moved. */
export class CardDeclinedError extends Error {
  constructor(
    message = 'Your card was declined',
    readonly declineCode?: string,
  ) {
    super(message);
    this.name = 'CardDeclinedError';
  }
}

/** The token names no usable card (unknown, already used, malformed): no money moved. */
export class InvalidTokenError extends Error {
  constructor(message = 'The card token is not valid') {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

/**
 * The idempotency key of a charge: the order id for the first attempt on an order, `<orderId>:<n>` for
 * the n-th. Stripe stores the result of a request under its key for 24 hours and answers any repeat with
 * that stored result, a decline included. So every re-issue of one attempt (the SDK's network retries, a
 * buyer's retry after an outage, the start-up recovery) reuses its key and can never charge twice, while a
 * new attempt after a decline needs a new key, or Stripe would replay the decline (or refuse the request
 * because its parameters — a different card — differ from the stored ones).
 */
export function chargeIdempotencyKey(orderId: string, attempt: number): string {
  return attempt === 1 ? orderId : `${orderId}:${attempt}`;
}

/** At most one charge per order can complete, so the order id names its refund uniquely. */
export function refundIdempotencyKey(orderId: string): string {
  return `refund:${orderId}`;
}
