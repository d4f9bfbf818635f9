import type { Express } from 'express';
import request from 'supertest';
import { EventRelay, createLogger } from '@ticketing/common';
import { TEST_JWT_KEY, useTestEnvironment, type TestEnvironment } from '@ticketing/common/testing';
import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import { buildApp } from '../app';
import { readConfig, type AuthConfig } from '../config';

export interface AuthTestContext {
  env: TestEnvironment;
  app: Express;
  config: AuthConfig;
}

export function testConfig(overrides: Record<string, string> = {}): AuthConfig {
  return readConfig({
    JWT_KEY: TEST_JWT_KEY,
    MONGO_URI: 'mongodb://127.0.0.1:1/auth',
    NATS_URL: 'nats://127.0.0.1:1',
    NODE_ENV: 'test',
    ...overrides,
  });
}

/** The auth app in-process, over a real embedded Mongo and a real JetStream with the event relay running. */
export function useAuthApp(overrides: Record<string, string> = {}): AuthTestContext {
  const env = useTestEnvironment('auth');
  const ctx = { env } as AuthTestContext;
  let relay: EventRelay;
  beforeEach(() => {
    // A fresh app per test: the sign-in failure counter must not leak from one test into the next.
    ctx.config = testConfig(overrides);
    ctx.app = buildApp(ctx.config, createLogger('auth', 'silent'));
  });
  beforeAll(() => {
    relay = new EventRelay(env.ctx.publisher, env.ctx.logger, { sweepIntervalMs: 50 });
    relay.start();
  });
  afterAll(async () => {
    await relay.stop();
  });
  return ctx;
}

export async function signup(app: Express, email = 'ann@example.com', password = 'correct horse') {
  const res = await request(app).post('/api/users/signup').send({ email, password }).expect(201);
  const cookie = res.get('Set-Cookie');
  if (!cookie?.[0]) throw new Error('signup set no cookie');
  return { id: res.body.id as string, email, password, cookie: cookie[0].split(';')[0]! };
}
