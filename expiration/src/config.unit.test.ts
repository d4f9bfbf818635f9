/**
 * expiration's configuration: no MONGO_URI needed, REDIS_URL required and checked (its value never
 * echoed), every problem named at once.
 */
import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@ticketing/common';
import { readConfig } from './config';

/** The smallest environment the service starts with; each test changes what it is about. */
function buildEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return {
    NATS_URL: 'nats://127.0.0.1:4222',
    REDIS_URL: 'redis://127.0.0.1:6379',
    ...overrides,
  };
}

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    readConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('readConfig accepted the environment');
}

describe('readConfig', () => {
  it('needs no MONGO_URI and ignores one that is set (the local stack sets it for every service)', () => {
    const config = readConfig(buildEnv({ MONGO_URI: 'mongodb://127.0.0.1:27017/expiration' }));

    expect(config).toEqual({
      NODE_ENV: 'development',
      PORT: 3000,
      LOG_LEVEL: 'info',
      NATS_URL: 'nats://127.0.0.1:4222',
      REDIS_URL: 'redis://127.0.0.1:6379',
      LISTENER_CONCURRENCY: 16,
    });
  });

  it('names a missing REDIS_URL: it has no default', () => {
    expect(() => readConfig(buildEnv({ REDIS_URL: undefined }))).toThrow(ConfigError);
    expect(problemsOf(buildEnv({ REDIS_URL: undefined }))).toEqual(['REDIS_URL is required']);
  });

  it('treats an empty REDIS_URL as missing', () => {
    expect(problemsOf(buildEnv({ REDIS_URL: '' }))).toEqual(['REDIS_URL is required']);
  });

  it('accepts rediss:// (TLS) and a URL with a password', () => {
    const url = 'rediss://:s3cret@redis.internal:6380/0';

    expect(readConfig(buildEnv({ REDIS_URL: url })).REDIS_URL).toBe(url);
  });

  it('rejects a REDIS_URL that is not a redis:// URL, without echoing its value', () => {
    const problems = problemsOf(buildEnv({ REDIS_URL: 'http://:s3cret@redis.internal:6379' }));

    expect(problems).toEqual(['REDIS_URL: must be a redis:// or rediss:// URL']);
    expect(problems.join(' ')).not.toMatch(/s3cret/);
  });

  it('reports every problem at once, each naming its variable', () => {
    const problems = problemsOf({ PORT: 'eighty', LOG_LEVEL: 'verbose' });

    expect(problems).toHaveLength(4);
    expect(problems).toEqual(
      expect.arrayContaining([
        'NATS_URL is required',
        'REDIS_URL is required',
        expect.stringMatching(/^PORT: /),
        expect.stringMatching(/^LOG_LEVEL: /),
      ]),
    );
  });
});
