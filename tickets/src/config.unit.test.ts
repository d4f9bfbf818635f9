/**
 * tickets' configuration: missing required variables are named, optional ones get their defaults,
 * and a bad LISTING_CACHE_MS is refused by name.
 */
import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@ticketing/common';
import { readConfig } from './config';

describe('tickets configuration', () => {
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

  it('applies defaults for what is optional', () => {
    const config = readConfig({
      JWT_KEY: 'k',
      MONGO_URI: 'mongodb://localhost/tickets',
      NATS_URL: 'nats://localhost:4222',
    });

    expect(config).toEqual(
      expect.objectContaining({
        PORT: 3000,
        NODE_ENV: 'development',
        LOG_LEVEL: 'info',
        LISTING_CACHE_MS: 1000,
      }),
    );
  });

  it.each(['-1', 'soon', '1.5', '60001'])('refuses LISTING_CACHE_MS=%s naming it', (value) => {
    let problems: string[] = [];
    try {
      readConfig({
        JWT_KEY: 'k',
        MONGO_URI: 'mongodb://localhost/tickets',
        NATS_URL: 'nats://localhost:4222',
        LISTING_CACHE_MS: value,
      });
    } catch (err) {
      problems = (err as ConfigError).problems;
    }

    expect(problems).toEqual([expect.stringMatching(/^LISTING_CACHE_MS/)]);
  });
});
