/**
 * The Stripe payment gateway: charges and refunds through the official SDK, Stripe's refusals mapped to
 * the gateway's errors.
 */
import Stripe from 'stripe';
import { CardDeclinedError, InvalidTokenError } from './payment-gateway';
import type {
  ChargeRequest,
  PaymentGateway,
  RefundRequest,
  TransferRequest,
} from './payment-gateway';

export interface StripeGatewayOptions {
  apiKey: string;
  /** Where the SDK sends requests; Stripe's API unless set (tests point it at a local stub). */
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
  /** The SDK's own retries of a request that failed on the network, with the same idempotency key. */
  maxNetworkRetries?: number;
  timeoutMs?: number;
}

/**
 * Charges cards through Stripe's Charges API with the official SDK. A timeout of 15 s and two network
 * retries keep one charge well inside the 60 s a pending charge is leased for (see PaymentProcessor).
 */
export class StripeGateway implements PaymentGateway {
  readonly name = 'stripe';
  readonly needsPayoutAccount = true;
  private readonly stripe: Stripe;

  constructor(options: StripeGatewayOptions) {
    this.stripe = new Stripe(options.apiKey, {
      host: options.host,
      port: options.port,
      protocol: options.protocol,
      maxNetworkRetries: options.maxNetworkRetries ?? 2,
      timeout: options.timeoutMs ?? 15_000,
      telemetry: false,
    });
  }

  async charge(request: ChargeRequest): Promise<{ id: string }> {
    try {
      const charge = await this.stripe.charges.create(
        {
          amount: request.amount,
          currency: request.currency,
          source: request.token,
          description: request.description,
        },
        { idempotencyKey: request.idempotencyKey },
      );
      return { id: charge.id };
    } catch (err) {
      throw toGatewayError(err);
    }
  }

  async refund(request: RefundRequest): Promise<{ id: string }> {
    const refund = await this.stripe.refunds.create(
      { charge: request.chargeId },
      { idempotencyKey: request.idempotencyKey },
    );
    return { id: refund.id };
  }

  /** A Stripe Connect transfer from the platform's balance to the seller's connected account. */
  async transfer(request: TransferRequest): Promise<{ id: string }> {
    if (!request.destination) throw new Error('a Stripe transfer needs a destination account');
    const transfer = await this.stripe.transfers.create(
      {
        amount: request.amount,
        currency: request.currency,
        destination: request.destination,
        description: request.description,
      },
      { idempotencyKey: request.idempotencyKey },
    );
    return { id: transfer.id };
  }
}

/** Tokens Stripe refuses as a request error rather than as a card decline. */
const TOKEN_ERROR_CODES = new Set(['token_already_used', 'token_in_use', 'invalid_source']);

/**
 * Stripe's definite refusals become the gateway's errors; everything else (network, 5xx, rate limit, a
 * bad key) is passed on unchanged: its outcome is unknown, and the caller re-issues the request later.
 */
function toGatewayError(err: unknown): unknown {
  if (err instanceof Stripe.errors.StripeCardError) {
    return new CardDeclinedError('Your card was declined', err.decline_code ?? err.code);
  }
  if (
    err instanceof Stripe.errors.StripeInvalidRequestError &&
    (err.param === 'source' || TOKEN_ERROR_CODES.has(err.code ?? ''))
  ) {
    return new InvalidTokenError();
  }
  return err;
}
