/**
 * The local gateway: Ingress routing, forwarded headers, retries of idempotent requests, websockets,
 * Server-Sent Event streams, and its own answers (404, 502, 503, 504) in the error shape with the
 * services' security headers.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpApp, createLogger } from '@ticketing/common';
import { freePort } from '@ticketing/common/engines';
import { startGateway, type Gateway } from './gateway';

const INGRESS_FILE = join(__dirname, '..', '..', 'k8s', 'ingress.yaml');

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
}

/** A stand-in service that answers with what it received and echoes websocket bytes back. */
async function startEchoBackend(
  name: string,
): Promise<{ server: Server; port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ service: name, url: req.url }));
  });
  server.on('upgrade', (req, socket: Socket) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
    );
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, seen };
}

/** Opens an upgraded connection, sends `text` and resolves with what comes back (or the refusal). */
function upgradeAndEcho(url: string, text: string): Promise<{ status: number; echoed?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { connection: 'Upgrade', upgrade: 'websocket' } });
    req.on('upgrade', (res, socket) => {
      socket.once('data', (data: Buffer) => {
        socket.destroy();
        resolve({ status: res.statusCode ?? 0, echoed: data.toString() });
      });
      socket.write(text);
    });
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the local gateway', () => {
  const backends = new Map<string, number>();
  let gateway: Gateway;
  let tickets: Awaited<ReturnType<typeof startEchoBackend>>;

  beforeAll(async () => {
    tickets = await startEchoBackend('tickets');
    backends.set('tickets', tickets.port);
    gateway = await startGateway({
      ingressFile: INGRESS_FILE,
      backends,
      port: 0,
      log: () => undefined,
    });
  });

  afterAll(async () => {
    await gateway.close();
    await new Promise((resolve) => tickets.server.close(resolve));
  });

  beforeEach(() => {
    tickets.seen.length = 0;
    backends.delete('auth');
  });

  it('answers 503 in the error shape for a service that is not running', async () => {
    const res = await fetch(`${gateway.url}/api/users/currentuser`);

    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ errors: [{ message: 'auth is not running' }] });
  });

  it('passes the path and query through unchanged to the matching service', async () => {
    const res = await fetch(`${gateway.url}/api/tickets/abc?page=2`);

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ service: 'tickets', url: '/api/tickets/abc?page=2' });
  });

  it('sets the forwarded headers and a request id, ignoring a forwarded-for the client made up', async () => {
    const res = await fetch(`${gateway.url}/api/tickets`, {
      headers: { 'x-forwarded-for': '6.6.6.6' },
    });

    const { headers } = tickets.seen[0]!;
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-forwarded-host']).toBe(`localhost:${gateway.port}`);
    expect(headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('x-request-id')).toBe(headers['x-request-id']);
  });

  it("keeps the caller's request id", async () => {
    await fetch(`${gateway.url}/api/tickets`, { headers: { 'x-request-id': 'trace-123' } });

    expect(tickets.seen[0]!.headers['x-request-id']).toBe('trace-123');
  });

  it('routes to a service as soon as it appears in the port map', async () => {
    const auth = await startEchoBackend('auth');
    backends.set('auth', auth.port);

    const res = await fetch(`${gateway.url}/api/users/signup`, { method: 'POST', body: '{}' });

    expect(await res.json()).toEqual({ service: 'auth', url: '/api/users/signup' });
    await new Promise((resolve) => auth.server.close(resolve));
  });

  it('answers 502 in the error shape when the service does not answer', async () => {
    backends.set('auth', await freePort());

    const res = await fetch(`${gateway.url}/api/users/currentuser`);

    expect(res.status).toBe(502);
    const body = (await res.json()) as { errors: Array<{ message: string }> };
    expect(body.errors[0]!.message).toMatch(/^auth did not answer/);
  });

  /** A stand-in auth that resets the connection of its first `resets` requests, then answers. */
  async function startResettingBackend(resets: number) {
    const attempts: string[] = [];
    const server = createServer((req, res) => {
      attempts.push(req.method ?? '');
      if (attempts.length <= resets) return req.socket.destroy();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ service: 'auth' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    backends.set('auth', (server.address() as AddressInfo).port);
    return { attempts, close: () => new Promise((resolve) => server.close(resolve)) };
  }

  it('passes a GET to the service again, once, when the connection was reset (as nginx does)', async () => {
    const auth = await startResettingBackend(1);

    const res = await fetch(`${gateway.url}/api/users/currentuser`);

    expect(res.status).toBe(200);
    expect(auth.attempts).toEqual(['GET', 'GET']);
    await auth.close();
  });

  it('gives up after one retry, and never replays a POST: 502', async () => {
    const auth = await startResettingBackend(10);

    const get = await fetch(`${gateway.url}/api/users/currentuser`);
    const post = await fetch(`${gateway.url}/api/users/signup`, { method: 'POST', body: '{}' });

    expect([get.status, post.status]).toEqual([502, 502]);
    expect(auth.attempts).toEqual(['GET', 'GET', 'POST']);
    await auth.close();
  });

  it('refuses a body larger than the Ingress allows with 413', async () => {
    const res = await fetch(`${gateway.url}/api/tickets`, {
      method: 'POST',
      body: 'x'.repeat(1024 * 1024 + 1),
    });

    expect(res.status).toBe(413);
    expect(tickets.seen).toHaveLength(0);
  });

  it('carries websocket upgrades through to the service', async () => {
    const result = await upgradeAndEcho(`${gateway.url}/api/tickets/live`, 'ping');

    expect(result).toEqual({ status: 101, echoed: 'ping' });
    expect(tickets.seen[0]!.url).toBe('/api/tickets/live');
  });

  it('refuses a websocket upgrade for a service that is not running with 503', async () => {
    const result = await upgradeAndEcho(`${gateway.url}/_next/webpack-hmr`, 'ping');

    expect(result.status).toBe(503);
  });
});

/** The security headers helmet sets, by name (lower case), as a service's answer carries them. */
const SECURITY_HEADERS = [
  'content-security-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
];

/** What a real service (common's http-app) sends for those headers, read from one of its answers. */
async function serviceSecurityHeaders(): Promise<Record<string, string | null>> {
  const app = createHttpApp({
    logger: createLogger('gateway-test', 'silent'),
    jwtKey: 'gateway-test',
    secureCookies: false,
    routes: () => undefined,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/nothing`);
    await res.arrayBuffer();
    return headersNamed(res, SECURITY_HEADERS);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

function headersNamed(res: Response, names: string[]): Record<string, string | null> {
  return Object.fromEntries(names.map((name) => [name, res.headers.get(name)]));
}

describe("the local gateway's own answers", () => {
  /** An Ingress with no catch-all path, so the gateway itself has no route for a page. */
  const API_ONLY_INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api-only
spec:
  rules:
    - http:
        paths:
          - path: /api/users
            pathType: Prefix
            backend:
              service:
                name: auth
                port:
                  number: 3000
`;
  const backends = new Map<string, number>();
  let dir: string;
  let gateway: Gateway;
  let expected: Record<string, string | null>;
  /** Accepts connections and requests, and never answers them. */
  let silent: Server;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gateway-test-'));
    await writeFile(join(dir, 'ingress.yaml'), API_ONLY_INGRESS);
    gateway = await startGateway({
      ingressFile: join(dir, 'ingress.yaml'),
      backends,
      port: 0,
      log: () => undefined,
      upstreamTimeoutMs: 300,
    });
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    expected = await serviceSecurityHeaders();
  });

  afterAll(async () => {
    await gateway.close();
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  beforeEach(() => backends.delete('auth'));

  it('compares with what a service sends, which sets every one of these headers', () => {
    expect(Object.entries(expected).filter(([, value]) => value === null)).toEqual([]);
    expect(expected['x-content-type-options']).toBe('nosniff');
  });

  it('answers 404 for a path no Ingress rule routes, with the security headers', async () => {
    const res = await fetch(`${gateway.url}/some/page`);

    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ errors: [{ message: 'No route for /some/page' }] });
    expect(headersNamed(res, SECURITY_HEADERS)).toEqual(expected);
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('answers 502 when the service is down, with the security headers', async () => {
    backends.set('auth', await freePort());

    const res = await fetch(`${gateway.url}/api/users/currentuser`);

    expect(res.status).toBe(502);
    const body = (await res.json()) as { errors: Array<{ message: string }> };
    expect(body).toEqual({ errors: [{ message: expect.stringMatching(/^auth did not answer/) }] });
    expect(headersNamed(res, SECURITY_HEADERS)).toEqual(expected);
  });

  it('answers 504 when the service does not answer in time, with the security headers', async () => {
    backends.set('auth', (silent.address() as AddressInfo).port);
    const started = Date.now();

    const res = await fetch(`${gateway.url}/api/users/currentuser`);

    expect(res.status).toBe(504);
    expect(await res.json()).toEqual({
      errors: [{ message: 'auth did not answer in time: no answer within 300 ms' }],
    });
    expect(headersNamed(res, SECURITY_HEADERS)).toEqual(expected);
    // Given up once, not retried as a reset connection would be.
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('answers 503 for a service that is not running, with the security headers', async () => {
    const res = await fetch(`${gateway.url}/api/users/currentuser`);

    expect(res.status).toBe(503);
    expect(headersNamed(res, SECURITY_HEADERS)).toEqual(expected);
  });

  it('refuses a websocket upgrade it has no route for with 404 and the security headers', async () => {
    const res = await new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>(
      (resolve, reject) => {
        const req = request(`${gateway.url}/some/socket`, {
          headers: { connection: 'Upgrade', upgrade: 'websocket' },
        });
        req.on('response', (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
          );
        });
        req.on('error', reject);
        req.end();
      },
    );

    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toEqual({ errors: [{ message: 'No route for /some/socket' }] });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe(expected['content-security-policy']);
  });
});

/**
 * A stand-in orders service whose stream route answers text/event-stream: its headers at once, then
 * one event per entry of `gapsMs` after that many milliseconds, then nothing (open until the client
 * leaves). Records when each event was written and when the request closed.
 */
async function startStreamingBackend(gapsMs: number[]) {
  const written: number[] = [];
  let closed: () => void = () => undefined;
  const requestClosed = new Promise<number>((resolve) => {
    closed = () => resolve(Date.now());
  });
  const server = createServer((req, res) => {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    res.on('close', closed);
    const writeNext = (i: number) => {
      const gap = gapsMs[i];
      if (gap === undefined || res.destroyed) return;
      setTimeout(() => {
        if (res.destroyed) return;
        res.write(`id: ${i}\ndata: ${JSON.stringify({ event: i })}\n\n`);
        written.push(Date.now());
        writeNext(i + 1);
      }, gap);
    };
    writeNext(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    written,
    requestClosed,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * Opens `url` and collects its events as they arrive (id and arrival time) until `count` have come;
 * then the client leaves, and the promise resolves.
 */
function readEvents(url: string, count: number) {
  return new Promise<{
    status: number;
    headers: IncomingHttpHeaders;
    openedAt: number;
    events: Array<{ id: number; at: number }>;
  }>((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream' } });
    req.on('response', (res) => {
      const openedAt = Date.now();
      const events: Array<{ id: number; at: number }> = [];
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n')) {
          const id = /^id: (\d+)$/m.exec(text.slice(0, end))?.[1];
          if (id !== undefined) events.push({ id: Number(id), at: Date.now() });
          text = text.slice(end + 2);
        }
        if (events.length >= count) {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, openedAt, events });
        }
      });
      // Settled already when the client left; otherwise the gateway or the service cut the stream.
      res.on('close', () => reject(new Error(`the stream ended after ${events.length} events`)));
      res.on('error', (err) =>
        reject(new Error(`the stream was cut after ${events.length} events: ${err.message}`)),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the local gateway and Server-Sent Events', () => {
  const TIMEOUT_MS = 300;
  /** 150 ms to the first event, five 100 ms apart, a quiet spell of twice the timeout, five more. */
  const GAPS_MS = [150, 100, 100, 100, 100, 2 * TIMEOUT_MS, 100, 100, 100, 100];
  const backends = new Map<string, number>();
  let gateway: Gateway;
  let orders: Awaited<ReturnType<typeof startStreamingBackend>>;

  beforeAll(async () => {
    orders = await startStreamingBackend(GAPS_MS);
    backends.set('orders', orders.port);
    gateway = await startGateway({
      ingressFile: INGRESS_FILE,
      backends,
      port: 0,
      log: () => undefined,
      upstreamTimeoutMs: TIMEOUT_MS,
    });
  });

  afterAll(async () => {
    await gateway.close();
    await orders.close();
  });

  it('passes each event on as it is written, past the upstream timeout, and closes the upstream with the client', async () => {
    const started = Date.now();

    const stream = await readEvents(`${gateway.url}/api/orders/abc/stream`, GAPS_MS.length);

    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    // The headers came before the first event, which the service wrote 150 ms in.
    expect(stream.openedAt).toBeLessThan(orders.written[0]!);
    expect(stream.events.map((e) => e.id)).toEqual(GAPS_MS.map((_, i) => i));
    // Each event reached the client before the service wrote the next one: nothing was gathered.
    stream.events.slice(0, -1).forEach((event, i) => {
      expect(event.at).toBeLessThan(orders.written[i + 1]!);
    });
    // Open far longer than the timeout, quiet for twice it, and never cut.
    expect(Date.now() - started).toBeGreaterThan(4 * TIMEOUT_MS);
    const closedAt = await orders.requestClosed;
    expect(closedAt - stream.events.at(-1)!.at).toBeLessThan(1_000);
  });
});
