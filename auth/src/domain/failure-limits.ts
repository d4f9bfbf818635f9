/**
 * Limits on failed credential checks, counted in Redis so every replica sees the same counts (in memory,
 * per replica, while Redis is unreachable): sign-ins per client address and email, sign-ins per client
 * address, and password changes per client address and user.
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { AuthConfig } from '../config';

/** A key that is still refused, and for how long. */
export interface Refusal {
  retryAfterSeconds: number;
}

/**
 * One limit: at most `maxFailures` failures per key in a window that starts at the key's first failure.
 * A key that reached it is refused, even a right password, until the window ends.
 */
export class FailureLimit {
  private readonly counter: RateLimiterRedis;

  constructor(
    redis: Redis,
    name: string,
    private readonly maxFailures: number,
    windowSeconds: number,
  ) {
    const limits = {
      keyPrefix: `auth:failures:${name}`,
      points: maxFailures,
      duration: windowSeconds,
    };
    this.counter = new RateLimiterRedis({
      ...limits,
      storeClient: redis,
      // With Redis away, fail over at once to this replica's own count instead of waiting for it: a
      // sign-in must not hang, nor lose its limit, while Redis restarts.
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(limits),
    });
  }

  /** How long `key` is still refused, or null when it may try. */
  async refusal(key: string): Promise<Refusal | null> {
    const counted = await this.counter.get(key);
    if (!counted || counted.consumedPoints < this.maxFailures) return null;
    return { retryAfterSeconds: Math.max(1, Math.ceil(counted.msBeforeNext / 1000)) };
  }

  async recordFailure(key: string): Promise<void> {
    await this.counter.consume(key).catch((err: unknown) => {
      // Over the limit already (failures that were checked concurrently): counted, and refused next time.
      if (!(err instanceof RateLimiterRes)) throw err;
    });
  }

  async forget(key: string): Promise<void> {
    await this.counter.delete(key);
  }
}

/**
 * auth's limits. Only failures count, and each is counted after the check that found it wrong, so any
 * number of simultaneous right sign-ins pass (counting requests in flight refused them). The price: a
 * guesser's concurrent attempts are all checked against the count before any of theirs is added, so a
 * burst can overshoot a limit by the attempts it has in flight; every one is still counted, and the key
 * is refused once they are.
 */
export class CredentialLimits {
  /** A guesser trying one account from one address; a right password clears it. */
  private readonly signinByAddressAndEmail: FailureLimit;
  /** A guesser trying many accounts from one address; never cleared by a success. */
  private readonly signinByAddress: FailureLimit;
  /** A stolen session guessing its user's current password. */
  private readonly passwordChangeByAddressAndUser: FailureLimit;

  constructor(redis: Redis, config: AuthConfig) {
    const window = config.SIGNIN_WINDOW_SECONDS;
    const perEmail = config.SIGNIN_MAX_FAILURES_PER_EMAIL;
    this.signinByAddressAndEmail = new FailureLimit(redis, 'signin-email', perEmail, window);
    this.signinByAddress = new FailureLimit(
      redis,
      'signin-address',
      config.SIGNIN_MAX_FAILURES_PER_ADDRESS,
      window,
    );
    this.passwordChangeByAddressAndUser = new FailureLimit(redis, 'password', perEmail, window);
  }

  /** Whether `address` may try to sign in as `email` now. */
  async signinRefusal(address: string, email: string): Promise<Refusal | null> {
    const [byEmail, byAddress] = await Promise.all([
      this.signinByAddressAndEmail.refusal(`${address}|${email}`),
      this.signinByAddress.refusal(address),
    ]);
    return longest(byEmail, byAddress);
  }

  async signinFailed(address: string, email: string): Promise<void> {
    await Promise.all([
      this.signinByAddressAndEmail.recordFailure(`${address}|${email}`),
      this.signinByAddress.recordFailure(address),
    ]);
  }

  async signinSucceeded(address: string, email: string): Promise<void> {
    await this.signinByAddressAndEmail.forget(`${address}|${email}`);
  }

  async passwordChangeRefusal(address: string, userId: string): Promise<Refusal | null> {
    return this.passwordChangeByAddressAndUser.refusal(`${address}|${userId}`);
  }

  async passwordChangeFailed(address: string, userId: string): Promise<void> {
    await this.passwordChangeByAddressAndUser.recordFailure(`${address}|${userId}`);
  }

  async passwordChangeSucceeded(address: string, userId: string): Promise<void> {
    await this.passwordChangeByAddressAndUser.forget(`${address}|${userId}`);
  }
}

function longest(a: Refusal | null, b: Refusal | null): Refusal | null {
  if (!a || !b) return a ?? b;
  return a.retryAfterSeconds >= b.retryAfterSeconds ? a : b;
}
