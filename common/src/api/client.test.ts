/**
 * The API client against a real HTTP server built with common's createHttpApp (cookie session, JSON
 * errors): the cookie jar, replies that never throw on a 4xx, bodies sent as given, answers that are not
 * JSON, and a timeout.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BadRequestError } from '../errors';
import { createLogger } from '../logger/logger';
import { signSessionToken } from '../middlewares/current-user';
import { createHttpApp } from '../service/http-app';
import { TEST_JWT_KEY } from '../testing';
import { ApiClient, sendRequest } from './client';

const alice = { id: '64b7f0c2a1b2c3d4e5f60718', email: 'alice@example.com' };

const app = createHttpApp({
  logger: createLogger('api-client-test', 'silent'),
  jwtKey: TEST_JWT_KEY,
  secureCookies: false,
  routes(routes) {
    routes.post('/api/users/signup', (req, res) => {
      req.session = { jwt: signSessionToken(alice, TEST_JWT_KEY, 60) };
      res.status(201).json(alice);
    });
    routes.post('/api/users/signout', (req, res) => {
      req.session = null;
      res.status(200).json({});
    });
    routes.get('/api/users/currentuser', (req, res) => {
      res.status(200).json({ currentUser: req.currentUser ?? null });
    });
    routes.post('/api/tickets', () => {
      throw new BadRequestError('Price must be at least 0.50', 'price');
    });
    // What arrived: the content type, the cookie header and the body (JSON parsed by the app, else raw).
    routes.put('/echo', (req, res) => {
      const answer = (body: unknown) =>
        res.status(200).json({
          type: req.headers['content-type'] ?? null,
          cookie: req.headers.cookie ?? null,
          body,
        });
      if (req.body !== undefined) return answer(req.body);
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      req.on('end', () => answer(raw));
    });
    routes.get('/text', (_req, res) => {
      res.status(200).type('text').send('not json');
    });
    routes.get('/slow', (_req, res) => {
      // Unref'd: the test run need not wait for it after the server closed.
      setTimeout(() => res.status(200).json({}), 2_000).unref();
    });
  },
});

let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('ApiClient', () => {
  it('keeps the session cookie auth sets, sends it back, and drops the user at sign-out', async () => {
    const browser = new ApiClient(url);

    const signup = await browser.signUp({ email: alice.email, password: 'correct horse' });
    const me = await browser.currentUser();
    await browser.signOut();
    const after = await browser.currentUser();

    expect(signup.status).toBe(201);
    expect(browser.user).toBeUndefined();
    expect(me.body.currentUser).toEqual(expect.objectContaining(alice));
    expect(after.body).toEqual({ currentUser: null });
  });

  it('remembers the account of a successful sign-up', async () => {
    const browser = new ApiClient(url);

    await browser.signUp({ email: alice.email, password: 'correct horse' });

    expect(browser.user).toEqual(alice);
    expect(browser.cookie).toMatch(/^session=[^;]+$/);
  });

  it('answers a 4xx with its status and the error shape instead of throwing', async () => {
    const res = await new ApiClient(url).createTicket({ eventId: 'x', price: 0.1 });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [{ message: 'Price must be at least 0.50', field: 'price' }],
    });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.ms).toBeGreaterThan(0);
  });

  it('sends an object as JSON and a string as it is, with the headers given', async () => {
    const browser = new ApiClient(url);

    const json = await browser.request('PUT', '/echo', { body: { a: 1 } });
    const text = await browser.request('PUT', '/echo', {
      body: '{"broken":',
      headers: { 'content-type': 'text/plain' },
    });

    expect(json.body).toEqual({ type: 'application/json', cookie: null, body: { a: 1 } });
    expect(text.body).toEqual({ type: 'text/plain', cookie: null, body: '{"broken":' });
  });

  it('keeps an answer that is not JSON as text, with no body', async () => {
    const res = await new ApiClient(url).request('GET', '/text');

    expect(res).toEqual(
      expect.objectContaining({ status: 200, body: undefined, text: 'not json' }),
    );
  });

  it('rejects once the timeout has passed', async () => {
    const browser = new ApiClient(url, { timeoutMs: 100 });

    await expect(browser.request('GET', '/slow')).rejects.toThrow();
  });
});

describe('sendRequest', () => {
  it('sends the cookie it is given and keeps none', async () => {
    const res = await sendRequest(url, 'PUT', '/echo', { cookie: 'session=forged', body: {} });

    expect(res.body).toEqual(expect.objectContaining({ cookie: 'session=forged' }));
  });
});
