/**
 * auth's configuration: it fails fast naming every missing variable and every malformed one, and
 * gives optional ones their defaults.
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
          'REDIS_URL is required',
        ]),
      );
    }
  });

  it('applies defaults for what is optional', () => {
    const config = readConfig({
      JWT_KEY: 'k',
      MONGO_URI: 'mongodb://localhost/auth',
      NATS_URL: 'nats://localhost:4222',
      REDIS_URL: 'redis://localhost:6379',
    });

    expect(config).toEqual(
      expect.objectContaining({
        PORT: 3000,
        SESSION_TTL_SECONDS: 86400,
        NODE_ENV: 'development',
        SIGNIN_MAX_FAILURES_PER_EMAIL: 5,
        SIGNIN_MAX_FAILURES_PER_ADDRESS: 100,
        SIGNIN_WINDOW_SECONDS: 900,
      }),
    );
  });

  it.each([
    ['a REDIS_URL that is not a redis:// URL', { REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
    [
      'a failure limit of 0',
      { SIGNIN_MAX_FAILURES_PER_EMAIL: '0' },
      'SIGNIN_MAX_FAILURES_PER_EMAIL',
    ],
    ['a window that is not a number', { SIGNIN_WINDOW_SECONDS: 'soon' }, 'SIGNIN_WINDOW_SECONDS'],
  ])('refuses %s, naming it', (_name, override, variable) => {
    const env = {
      JWT_KEY: 'k',
      MONGO_URI: 'mongodb://localhost/auth',
      NATS_URL: 'nats://localhost:4222',
      REDIS_URL: 'redis://localhost:6379',
      ...override,
    };

    expect(() => readConfig(env)).toThrow(new RegExp(`${variable}:`));
  });
});
