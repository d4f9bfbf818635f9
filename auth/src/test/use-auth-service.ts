/**
 * auth under test: its real definition (useService) over this file's embedded Mongo and nats-server,
 * and a real redis-server for the failure limits, emptied between tests.
 */
import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { Redis } from 'ioredis';
import { startRedis } from '@ticketing/common/engines';
import { useService, type EnvOverrides, type ServiceUnderTest } from '@ticketing/common/testing';
import { readConfig, type AuthConfig } from '../config';
import { defineAuthService } from '../service';

export type AuthUnderTest = ServiceUnderTest<AuthConfig> & {
  /** This file's redis-server, where the failure limits count. */
  redis: Awaited<ReturnType<typeof startRedis>>;
};

/**
 * Starts auth for this test file with `env` over the test defaults. Redis starts first (auth connects
 * to it at start) and is flushed after each test, so no test's failures count against the next.
 */
export function useAuthService(env: EnvOverrides = {}): AuthUnderTest {
  // Registered before useService's own beforeAll, so Redis is up when auth starts.
  beforeAll(async () => {
    t.redis = await startRedis();
  });
  const t = useService(defineAuthService, {
    readConfig,
    env: () => ({ REDIS_URL: t.redis.url, ...env }),
  }) as AuthUnderTest;
  afterEach(async () => {
    const client = new Redis(t.redis.url, { maxRetriesPerRequest: 1 });
    await client.flushall();
    await client.quit();
  });
  afterAll(async () => {
    await t.redis?.stop();
  });
  return t;
}
