/**
 * createHttpApp, the Express app every service shares: errors in the contract's shape, the JSON body rules,
 * body validation, the cookie session and request ids.
 */
import jwt from 'jsonwebtoken';
import pino from 'pino';
import request from 'supertest';
import { BadRequestError, CustomError, NotFoundError } from '../errors';
import { createLogger } from '../logger/logger';
import { requireAuth } from '../middlewares/current-user';
import { validateBody } from '../middlewares/validate-request';
import { z } from 'zod';
import { priceField, titleField } from '../middlewares/validators';
import { sessionCookie, TEST_JWT_KEY } from '../testing';
import { createHttpApp } from './http-app';

/** A service-specific error defined outside common, as a service would. */
class ConflictError extends CustomError {
  readonly statusCode = 409;

  constructor() {
    super('Ticket is already reserved', 'ticketId');
  }
}

const alice = { id: '64b7f0c2a1b2c3d4e5f60718', email: 'alice@example.com' };

function buildApp(logger = createLogger('http-app-test', 'silent')) {
  return createHttpApp({
    logger,
    jwtKey: TEST_JWT_KEY,
    secureCookies: false,
    routes(app) {
      app.get('/api/errors/conflict', () => {
        throw new ConflictError();
      });
      app.get('/api/errors/bad-request', () => {
        throw new BadRequestError('Price must be at least 0.50', 'price');
      });
      app.get('/api/errors/plain', () => {
        throw new Error('connection to mongodb://admin:hunter2@db failed');
      });
      app.get('/api/errors/async-not-found', async () => {
        await Promise.resolve();
        throw new NotFoundError('Order not found');
      });
      app.get('/api/errors/async-plain', async () => {
        await Promise.resolve();
        throw new TypeError("Cannot read properties of undefined (reading 'price')");
      });
      app.post('/api/echo', (req, res) => {
        res.json({ body: req.body as unknown });
      });
      app.get('/api/who', (req, res) => {
        res.json({ currentUser: req.currentUser ?? null });
      });
      app.get('/api/private', requireAuth, (req, res) => {
        res.json({ id: req.currentUser!.id });
      });
      app.post(
        '/api/tickets',
        validateBody(z.object({ title: titleField, price: priceField })),
        (req, res) => {
          res.status(201).json(req.body);
        },
      );
    },
  });
}

/** The cookie header a browser would send for a session holding `token`. */
function cookieFor(token: string): string {
  return `session=${Buffer.from(JSON.stringify({ jwt: token })).toString('base64')}`;
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('createHttpApp', () => {
  const app = buildApp();

  describe('errors', () => {
    it('answers a CustomError with its status code and serialized errors', async () => {
      const res = await request(app).get('/api/errors/conflict');

      expect(res.status).toBe(409);
      expect(res.body).toEqual({
        errors: [{ message: 'Ticket is already reserved', field: 'ticketId' }],
      });
    });

    it('answers a BadRequestError with 400 and the field it names', async () => {
      const res = await request(app).get('/api/errors/bad-request');

      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        errors: [{ message: 'Price must be at least 0.50', field: 'price' }],
      });
    });

    it('answers an unknown route with a JSON 404 in the error shape', async () => {
      const res = await request(app).post('/api/nothing/here').send({});

      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.body).toEqual({
        errors: [{ message: 'Route not found: POST /api/nothing/here' }],
      });
    });

    it('answers a thrown plain Error with 500 and a generic message, never the details or stack', async () => {
      const res = await request(app).get('/api/errors/plain');

      expect(res.status).toBe(500);
      expect(res.body).toEqual({ errors: [{ message: 'Something went wrong' }] });
      expect(res.text).not.toMatch(/hunter2|mongodb|at .*\.ts/);
    });

    it('handles an error rejected by an async route (Express 5) like a thrown one', async () => {
      const notFound = await request(app).get('/api/errors/async-not-found');
      const crashed = await request(app).get('/api/errors/async-plain');

      expect(notFound.status).toBe(404);
      expect(notFound.body).toEqual({ errors: [{ message: 'Order not found' }] });
      expect(crashed.status).toBe(500);
      expect(crashed.body).toEqual({ errors: [{ message: 'Something went wrong' }] });
    });
  });

  describe('JSON body', () => {
    it('accepts a JSON object', async () => {
      const res = await request(app).post('/api/echo').send({ title: 'Concert' });

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ body: { title: 'Concert' } });
    });

    it('rejects malformed JSON with 400 in the error shape', async () => {
      const res = await request(app)
        .post('/api/echo')
        .set('content-type', 'application/json')
        .send('{"title": "Concert",');

      expect(res.status).toBe(400);
      expect(res.body).toEqual({ errors: [{ message: 'Request body is not valid JSON' }] });
    });

    it('rejects a body over 16kb with 413 in the error shape', async () => {
      const res = await request(app)
        .post('/api/echo')
        .send({ title: 'x'.repeat(17 * 1024) });

      expect(res.status).toBe(413);
      expect(res.body).toEqual({ errors: [{ message: 'Request body is too large' }] });
    });

    it.each([
      ['an array', '[{"title":"Concert"}]'],
      ['a string', '"Concert"'],
      ['null', 'null'],
      ['a number', '42'],
    ])('rejects %s with 400: the body must be a JSON object', async (_kind, payload) => {
      const res = await request(app)
        .post('/api/echo')
        .set('content-type', 'application/json')
        .send(payload);

      expect(res.status).toBe(400);
      expect(res.body).toEqual({ errors: [{ message: 'Request body must be a JSON object' }] });
    });
  });

  describe('validateBody', () => {
    it('reports every invalid field by name, its first problem only', async () => {
      const res = await request(app).post('/api/tickets').send({ title: '  ', price: '0.1' });

      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        errors: [
          { message: 'Title must be 1 to 200 characters', field: 'title' },
          {
            message: 'Price must be a number from 0.50 to 1,000,000 with at most 2 decimals',
            field: 'price',
          },
        ],
      });
    });

    it('names a missing field as required', async () => {
      const res = await request(app).post('/api/tickets').send({ price: 20 });

      expect(res.body).toEqual({ errors: [{ message: 'Title is required', field: 'title' }] });
    });

    it('hands the route the parsed body: trimmed, and nothing it did not check', async () => {
      const res = await request(app)
        .post('/api/tickets')
        .send({ title: '  Concert ', price: 20, userId: 'someone-else' });

      expect(res.status).toBe(201);
      expect(res.body).toEqual({ title: 'Concert', price: 20 });
    });
  });

  describe('session', () => {
    it('sets currentUser from a valid session cookie', async () => {
      const res = await request(app).get('/api/who').set('Cookie', sessionCookie(alice));

      expect(res.status).toBe(200);
      expect(res.body.currentUser).toMatchObject(alice);
      expect(res.body.currentUser.exp).toBeGreaterThan(Date.now() / 1000);
    });

    it('has no currentUser without a cookie', async () => {
      const res = await request(app).get('/api/who');

      expect(res.body).toEqual({ currentUser: null });
    });

    it('lets a signed-in user through requireAuth', async () => {
      const res = await request(app).get('/api/private').set('Cookie', sessionCookie(alice));

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id: alice.id });
    });

    it('answers 401 on requireAuth without a cookie', async () => {
      const res = await request(app).get('/api/private');

      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: [{ message: 'Not authorized' }] });
    });

    it('answers 401 on requireAuth for a JWT whose payload was tampered with', async () => {
      const token = jwt.sign(alice, TEST_JWT_KEY, { algorithm: 'HS256', expiresIn: 3600 });
      const [header, , signature] = token.split('.');
      const forgedPayload = base64url({ id: 'someone-else', email: 'mallory@example.com' });
      const forged = `${header}.${forgedPayload}.${signature}`;

      const res = await request(app).get('/api/private').set('Cookie', cookieFor(forged));

      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: [{ message: 'Not authorized' }] });
    });

    it('answers 401 on requireAuth for a JWT signed with another key', async () => {
      const token = jwt.sign(alice, 'not-the-service-key', { algorithm: 'HS256' });

      const res = await request(app).get('/api/private').set('Cookie', cookieFor(token));

      expect(res.status).toBe(401);
    });

    it('answers 401 on requireAuth for an expired JWT', async () => {
      const expired = jwt.sign(
        { ...alice, exp: Math.floor(Date.now() / 1000) - 60 },
        TEST_JWT_KEY,
        { algorithm: 'HS256' },
      );

      const res = await request(app).get('/api/private').set('Cookie', cookieFor(expired));

      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: [{ message: 'Not authorized' }] });
    });

    it('answers 401 on requireAuth for an unsigned "alg: none" JWT', async () => {
      const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({
        ...alice,
        iat: Math.floor(Date.now() / 1000),
      })}.`;

      const res = await request(app).get('/api/private').set('Cookie', cookieFor(unsigned));

      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: [{ message: 'Not authorized' }] });
    });

    it('treats a session cookie that is not base64 JSON as signed out', async () => {
      const res = await request(app).get('/api/private').set('Cookie', 'session=%%%not-json');

      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: [{ message: 'Not authorized' }] });
    });
  });

  describe('request id', () => {
    it('echoes the x-request-id the caller sent', async () => {
      const res = await request(app).get('/api/who').set('x-request-id', 'gw-7f3a.1:42');

      expect(res.headers['x-request-id']).toBe('gw-7f3a.1:42');
    });

    it('generates an x-request-id when none was sent, on errors too', async () => {
      const first = await request(app).get('/api/who');
      const second = await request(app).get('/api/nowhere');

      expect(first.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(second.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    });

    it('replaces an x-request-id that could inject into logs', async () => {
      const res = await request(app).get('/api/who').set('x-request-id', 'a b"}{"admin":true');

      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('logs', () => {
    /** An app whose JSON log lines are kept in memory, as an operator would read them. */
    function buildLoggedApp() {
      const lines: any[] = [];
      const logger = pino(
        { level: 'info' },
        { write: (line: string) => lines.push(JSON.parse(line)) },
      );
      return { app: buildApp(logger), lines };
    }

    it('writes one access line per request with its request id and never the session cookie', async () => {
      const { app: loggedApp, lines } = buildLoggedApp();

      await request(loggedApp)
        .get('/api/who')
        .set('x-request-id', 'req-123')
        .set('Cookie', sessionCookie(alice));

      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        req: { id: 'req-123', method: 'GET', url: '/api/who' },
        res: { statusCode: 200 },
      });
      expect(JSON.stringify(lines)).not.toContain('session=');
    });

    it('logs an unhandled error with the request id so an operator can find it', async () => {
      const { app: loggedApp, lines } = buildLoggedApp();

      await request(loggedApp).get('/api/errors/plain').set('x-request-id', 'req-500');

      const errorLine = lines.find((line) => line.msg === 'unhandled error');
      expect(errorLine).toMatchObject({ level: 50, req: { id: 'req-500' } });
      expect(errorLine.err.stack).toContain('connection to mongodb');
    });
  });

  describe('security headers', () => {
    it('sends helmet headers and hides x-powered-by', async () => {
      const res = await request(app).get('/api/who');

      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['x-powered-by']).toBeUndefined();
    });
  });
});
