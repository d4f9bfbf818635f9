/**
 * auth's configuration: it fails fast naming every missing variable, and gives optional ones their
 * defaults.
 */
import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@ticketing/common';
import { readConfig } from './config';

describe('auth configuration', () => {
  it('fails fast naming every missing variable', () => {
    expect(() => readConfig({})).toThrow(ConfigError);
    expect(() => readConfig({})).toThrow(/JWT_KEY is required[\s\S]*|MONGO_URI is required/);
    try {
      readConfig({});
    } catch (err) {
      expect((err as ConfigError).problems).toEqual(
        expect.arrayContaining([
          'JWT_KEY is required',
          'MONGO_URI is required',
          'NATS_URL is required',
        ]),
      );
    }
  });

  it('applies defaults for what is optional', () => {
    const config = readConfig({
      JWT_KEY: 'k',
      MONGO_URI: 'mongodb://localhost/auth',
      NATS_URL: 'nats://localhost:4222',
    });

    expect(config).toEqual(
      expect.objectContaining({ PORT: 3000, SESSION_TTL_SECONDS: 86400, NODE_ENV: 'development' }),
    );
  });
});
