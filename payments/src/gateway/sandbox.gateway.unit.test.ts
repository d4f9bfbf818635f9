/**
 * Unit tests of the sandbox gateway, the idempotency keys and the choice of gateway from the config.
 */
import { describe, expect, it } from '@jest/globals';
import type { Logger } from '@ticketing/common';
import { readConfig } from '../config';
import {
  CardDeclinedError,
  InvalidTokenError,
  SandboxGateway,
  chargeIdempotencyKey,
  createGateway,
  refundIdempotencyKey,
} from '.';

const charge = (token: string, idempotencyKey = 'order-1') => ({
  amount: 2000,
  currency: 'usd' as const,
  token,
  idempotencyKey,
  description: 'Ticketing order order-1',
});

describe('SandboxGateway', () => {
  it('charges tok_visa', async () => {
    await expect(new SandboxGateway().charge(charge('tok_visa'))).resolves.toEqual({
      id: expect.stringMatching(/^ch_sandbox_[0-9a-f]{24}$/),
    });
  });

  it('declines tok_chargeDeclined', async () => {
    await expect(new SandboxGateway().charge(charge('tok_chargeDeclined'))).rejects.toBeInstanceOf(
      CardDeclinedError,
    );
  });

  it('refuses any other token as invalid', async () => {
    await expect(new SandboxGateway().charge(charge('tok_whatever'))).rejects.toBeInstanceOf(
      InvalidTokenError,
    );
  });

  it('answers a repeated idempotency key with the first result, like Stripe', async () => {
    const sandbox = new SandboxGateway();

    const first = await sandbox.charge(charge('tok_visa', 'k'));
    const again = await sandbox.charge(charge('tok_visa', 'k'));
    const other = await sandbox.charge(charge('tok_visa', 'k:2'));

    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('refunds, once per key', async () => {
    const sandbox = new SandboxGateway();

    const first = await sandbox.refund({ chargeId: 'ch_1', idempotencyKey: 'refund:o' });
    const again = await sandbox.refund({ chargeId: 'ch_1', idempotencyKey: 'refund:o' });

    expect(first.id).toMatch(/^re_sandbox_/);
    expect(again).toEqual(first);
  });
});

describe('idempotency keys', () => {
  it('keys the first attempt by the order id and later ones by the attempt number', () => {
    expect(chargeIdempotencyKey('abc', 1)).toBe('abc');
    expect(chargeIdempotencyKey('abc', 3)).toBe('abc:3');
    expect(refundIdempotencyKey('abc')).toBe('refund:abc');
  });
});

describe('createGateway', () => {
  const base = { JWT_KEY: 'k', MONGO_URI: 'mongodb://localhost/payments', NATS_URL: 'nats://x' };

  function recordingLogger() {
    const lines: string[] = [];
    const record = (...args: unknown[]) => lines.push(JSON.stringify(args));
    return { lines, logger: { info: record, warn: record } as unknown as Logger };
  }

  it('uses the sandbox without STRIPE_KEY (an empty one counts as absent)', () => {
    const { lines, logger } = recordingLogger();

    const gateway = createGateway(readConfig({ ...base, STRIPE_KEY: '' }), logger);

    expect(gateway.name).toBe('sandbox');
    expect(lines.join()).toMatch(/sandbox/);
  });

  it('uses Stripe with STRIPE_KEY, and logs which gateway without the key', () => {
    const { lines, logger } = recordingLogger();

    const gateway = createGateway(readConfig({ ...base, STRIPE_KEY: 'sk_live_secret' }), logger);

    expect(gateway.name).toBe('stripe');
    expect(lines.join()).toMatch(/stripe/);
    expect(lines.join()).not.toContain('sk_live_secret');
  });

  it('refuses a STRIPE_API_URL that is not an http(s) URL', () => {
    expect(() => readConfig({ ...base, STRIPE_API_URL: 'ftp://example.com' })).toThrow(
      /STRIPE_API_URL/,
    );
  });
});
