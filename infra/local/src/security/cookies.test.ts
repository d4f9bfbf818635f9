/**
 * Session cookie attributes in production, in-process (no stack): the real auth app builder from the
 * compiled auth service (`auth/dist`, built by `npm test` before the tests run) with NODE_ENV=production.
 * Running the whole stack in production mode would need TLS in front of it (Secure cookies are refused
 * over plain HTTP), so the whole-stack files check the development attributes through the gateway.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Express } from 'express';
import { createHttpApp, createLogger, type Logger } from '@ticketing/common';
import { SECURITY_JWT_KEY, call, forgeJwt, nowSeconds, sessionCookie } from './support';

interface AuthAppModule {
  buildApp(config: unknown, logger: Logger, redis: unknown): Express;
}
interface AuthRedisModule {
  /** A client that connects only when asked: these tests never fail a sign-in, so never ask. */
  createRedis(url: string, logger: Logger): unknown;
}
interface AuthConfigModule {
  readConfig(env: NodeJS.ProcessEnv): unknown;
}

const authDist = join(__dirname, '..', '..', '..', '..', 'auth', 'dist');

async function listen(app: Express): Promise<{ server: Server; url: string }> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function authApp(nodeEnv: string): Express {
  const { buildApp } = require(join(authDist, 'app.js')) as AuthAppModule;
  const { readConfig } = require(join(authDist, 'config.js')) as AuthConfigModule;
  const config = readConfig({
    JWT_KEY: SECURITY_JWT_KEY,
    // Never contacted: signing out and reading the current user need no database.
    MONGO_URI: 'mongodb://127.0.0.1:1/auth',
    NATS_URL: 'nats://127.0.0.1:1',
    REDIS_URL: 'redis://127.0.0.1:1',
    NODE_ENV: nodeEnv,
  });
  const { createRedis } = require(join(authDist, 'redis.js')) as AuthRedisModule;
  const logger = createLogger('auth', 'silent');
  return buildApp(config, logger, createRedis('redis://127.0.0.1:1', logger));
}

/** A session-setting route on common's app: what every sign-in does, without a database. */
function sessionApp(secureCookies: boolean): Express {
  return createHttpApp({
    logger: createLogger('security', 'silent'),
    jwtKey: SECURITY_JWT_KEY,
    secureCookies,
    routes(app) {
      app.post('/session', (req, res) => {
        req.session = { jwt: 'x' };
        res.status(200).json({});
      });
      app.get('/me', (req, res) => {
        res.status(200).json({ currentUser: req.currentUser ?? null });
      });
    },
  });
}

function attributes(setCookie: string | null): string[] {
  expect(setCookie).toBeTruthy();
  return setCookie!
    .split(';')
    .slice(1)
    .map((part) => part.trim().toLowerCase());
}

describe('session cookies in production', () => {
  const servers: Server[] = [];
  const start = async (app: Express) => {
    const started = await listen(app);
    servers.push(started.server);
    return started.url;
  };
  afterAll(async () => {
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
  });

  let production: string;
  let development: string;
  beforeAll(async () => {
    production = await start(authApp('production'));
    development = await start(authApp('development'));
  });

  it('auth (NODE_ENV=production) sets the session cookie httpOnly, SameSite=Lax and Secure behind TLS', async () => {
    // The ingress terminates TLS and says so in X-Forwarded-Proto (trust proxy: one hop).
    const res = await call(production, 'POST', '/api/users/signout', {
      body: {},
      headers: { 'x-forwarded-proto': 'https' },
    });

    expect(res.status).toBe(200);
    const attrs = attributes(res.headers.get('set-cookie'));
    expect(res.headers.get('set-cookie')).toMatch(/^session=/);
    expect(attrs).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'secure']));
  });

  it('auth outside production sets httpOnly and SameSite=Lax but not Secure', async () => {
    const res = await call(development, 'POST', '/api/users/signout', { body: {} });

    const attrs = attributes(res.headers.get('set-cookie'));
    expect(attrs).toEqual(expect.arrayContaining(['httponly', 'samesite=lax']));
    expect(attrs).not.toContain('secure');
  });

  it('a service in production still reads a valid session and ignores a forged one', async () => {
    // common's app, as every service builds it (auth also reads its users to end sessions: its tests).
    const service = await start(sessionApp(true));
    const payload = { id: '507f1f77bcf86cd799439011', email: 'a@example.com' };
    const good = forgeJwt({
      payload: { ...payload, exp: nowSeconds() + 60 },
      key: SECURITY_JWT_KEY,
    });
    const bad = forgeJwt({ header: { alg: 'none' }, payload, key: '' });
    const headers = { 'x-forwarded-proto': 'https' };

    const ok = await call(service, 'GET', '/me', {
      cookie: sessionCookie(good),
      headers,
    });
    const forged = await call(service, 'GET', '/me', {
      cookie: sessionCookie(bad),
      headers,
    });

    expect(ok.body).toEqual({ currentUser: expect.objectContaining(payload) });
    expect(forged.body).toEqual({ currentUser: null });
  });

  it("common's createHttpApp with secureCookies sets Secure, httpOnly and SameSite=Lax on every session", async () => {
    const url = await start(sessionApp(true));

    const res = await call(url, 'POST', '/session', {
      body: {},
      headers: { 'x-forwarded-proto': 'https' },
    });

    expect(attributes(res.headers.get('set-cookie'))).toEqual(
      expect.arrayContaining(['httponly', 'samesite=lax', 'secure']),
    );
  });

  it('never sends a Secure session cookie over plain HTTP (no crash, no stack either)', async () => {
    const url = await start(sessionApp(true));

    const res = await call(url, 'POST', '/session', { body: {} });

    // cookie-session leaves the cookie out when the request did not come over TLS.
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
  });
});
