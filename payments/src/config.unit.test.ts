/**
 * Unit tests of the payments configuration: missing variables named at once, an empty STRIPE_KEY taken
 * as absent (the sandbox).
 */
import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@ticketing/common';
import { readConfig } from './config';

const required = {
  JWT_KEY: 'k',
  MONGO_URI: 'mongodb://localhost/payments',
  NATS_URL: 'nats://localhost:4222',
};

describe('payments configuration', () => {
  it('fails fast naming every missing variable', () => {
    let problems: string[] = [];
    try {
      readConfig({});
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      problems = (err as ConfigError).problems;
    }

    expect(problems).toEqual(
      expect.arrayContaining([
        'JWT_KEY is required',
        'MONGO_URI is required',
        'NATS_URL is required',
      ]),
    );
  });

  it('leaves STRIPE_KEY unset when it is absent or empty (the sandbox gateway)', () => {
    expect(readConfig(required).STRIPE_KEY).toBeUndefined();
    expect(readConfig({ ...required, STRIPE_KEY: '' }).STRIPE_KEY).toBeUndefined();
    expect(readConfig({ ...required, STRIPE_KEY: 'sk_test_1' }).STRIPE_KEY).toBe('sk_test_1');
  });
});
