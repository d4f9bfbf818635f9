/**
 * The sandbox payment gateway: Stripe's test tokens without a network, for development and tests.
 */
import { randomBytes } from 'node:crypto';
import { CardDeclinedError, InvalidTokenError } from './payment-gateway';
import type {
  ChargeRequest,
  PaymentGateway,
  RefundRequest,
  TransferRequest,
} from './payment-gateway';

/** Stripe's test tokens that the sandbox understands. */
export const SandboxTokens = {
  Visa: 'tok_visa',
  Declined: 'tok_chargeDeclined',
} as const;

type Stored = { ok: true; id: string } | { ok: false; error: Error };

/** Remembered results per idempotency key, oldest dropped first (a long-running dev process stays small). */
const MAX_REMEMBERED = 10_000;

/**
 * The gateway used when no `STRIPE_KEY` is set (local runs, tests): no network, no money. `tok_visa`
 * succeeds, `tok_chargeDeclined` is declined, any other token is invalid; refunds succeed. Like Stripe, it
 * answers a repeated idempotency key with the first result, so recovery behaves here as it does in
 * production.
 */
export class SandboxGateway implements PaymentGateway {
  readonly name = 'sandbox';
  readonly needsPayoutAccount = false;
  private readonly results = new Map<string, Stored>();

  async charge(request: ChargeRequest): Promise<{ id: string }> {
    return this.once(`charge:${request.idempotencyKey}`, () => {
      if (request.token === SandboxTokens.Visa) return `ch_sandbox_${randomId()}`;
      if (request.token === SandboxTokens.Declined) throw new CardDeclinedError();
      throw new InvalidTokenError();
    });
  }

  async refund(request: RefundRequest): Promise<{ id: string }> {
    return this.once(`refund:${request.idempotencyKey}`, () => `re_sandbox_${randomId()}`);
  }

  /** Offline: nothing moves; the payout is recorded paid under a sandbox transfer id, once per key. */
  async transfer(request: TransferRequest): Promise<{ id: string }> {
    return this.once(`transfer:${request.idempotencyKey}`, () => `tr_sandbox_${randomId()}`);
  }

  private once(key: string, run: () => string): { id: string } {
    let stored = this.results.get(key);
    if (!stored) {
      try {
        stored = { ok: true, id: run() };
      } catch (error) {
        stored = { ok: false, error: error as Error };
      }
      this.results.set(key, stored);
      if (this.results.size > MAX_REMEMBERED) {
        this.results.delete(this.results.keys().next().value!);
      }
    }
    if (!stored.ok) throw stored.error;
    return { id: stored.id };
  }
}

function randomId(): string {
  return randomBytes(12).toString('hex');
}
