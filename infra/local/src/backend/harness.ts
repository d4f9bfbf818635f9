/**
 * Whole-backend tests: the real stack (every built service, embedded Mongo, nats-server, redis-server,
 * the gateway) driven over HTTP only, as a browser would. The event stream and the databases are read
 * directly only to check what a user cannot see: that nothing was lost or done twice.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from '@jest/globals';
import mongoose from 'mongoose';
import { connectEventBus, createLogger, type EventBus } from '@ticketing/common';
import { mongoUri } from '@ticketing/common/engines';
import { readEvents, waitFor, type PublishedEvent } from '@ticketing/common/testing';
import { startStack, type Stack } from '../stack';

export { waitFor };

export interface Response<T = any> {
  status: number;
  body: T;
}

/** One browser: keeps its session cookie between requests. */
export class Browser {
  private cookie = '';

  constructor(private readonly baseUrl: string) {}

  async request<T = any>(method: string, path: string, body?: unknown): Promise<Response<T>> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.cookie ? { cookie: this.cookie } : {}),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as T) : (undefined as T) };
  }

  get = <T = any>(path: string) => this.request<T>('GET', path);
  post = <T = any>(path: string, body: unknown = {}) => this.request<T>('POST', path, body);
  put = <T = any>(path: string, body: unknown) => this.request<T>('PUT', path, body);
  delete = <T = any>(path: string) => this.request<T>('DELETE', path);
}

export interface Backend {
  stack: Stack;
  bus: EventBus;
  /** A new signed-up user's browser. */
  user(): Promise<Browser & { id: string }>;
  /** Every stored event of `subject` whose data matches `filter`. */
  events(subject: string, filter?: (data: any) => boolean): Promise<PublishedEvent[]>;
  /** A service's own database, read-only use. */
  db(service: string): mongoose.Connection;
}

/** Starts the whole stack once for the test file; `env` adds settings such as ORDER_EXPIRATION_SECONDS. */
export function useBackend(env: Record<string, string> = {}): Backend {
  const backend = {} as Backend;
  const connections = new Map<string, mongoose.Connection>();
  beforeAll(async () => {
    const base: NodeJS.ProcessEnv = { ...process.env, GATEWAY_PORT: '0', NODE_ENV: 'development', LOG_LEVEL: 'warn', ...env };
    for (const name of ['MONGO_URI', 'NATS_URL', 'REDIS_URL', 'JWT_KEY', 'STRIPE_KEY']) delete base[name];
    const output: string[] = [];
    backend.stack = await startStack({ env: base, output: (line) => output.push(line) });
    backend.bus = await connectEventBus(backend.stack.engines.nats, 'backend-test', createLogger('backend-test', 'silent'));
    backend.user = async () => {
      const browser = new Browser(backend.stack.url);
      const res = await browser.post('/api/users/signup', { email: `${randomUUID()}@example.com`, password: 'correct horse' });
      if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
      return Object.assign(browser, { id: res.body.id as string });
    };
    backend.events = async (subject, filter = () => true) =>
      (await readEvents(backend.bus.jsm, subject)).filter((e) => filter(e.data));
    backend.db = (service) => {
      let conn = connections.get(service);
      if (!conn) {
        conn = mongoose.createConnection(mongoUri(backend.stack.engines.mongo, service), { serverMonitoringMode: 'poll' });
        connections.set(service, conn);
      }
      return conn;
    };
  }, 120_000);
  afterAll(async () => {
    for (const conn of connections.values()) await conn.close();
    await backend.bus?.nc.close();
    await backend.stack?.stop();
  }, 60_000);
  return backend;
}

export async function listTicket(seller: Browser, price = 20, title = 'Concert') {
  const res = await seller.post('/api/tickets', { title, price });
  if (res.status !== 201) throw new Error(`listing failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; price: number; version: number };
}

/** Waits until the ticket, as anyone reads it, satisfies `check`. */
export function ticketBecomes(browser: Browser, ticketId: string, check: (t: any) => boolean, timeoutMs = 5_000) {
  return waitFor(async () => {
    const res = await browser.get(`/api/tickets/${ticketId}`);
    return res.status === 200 && check(res.body) ? res.body : null;
  }, timeoutMs);
}

export function orderBecomes(buyer: Browser, orderId: string, status: string, timeoutMs = 5_000) {
  return waitFor(async () => {
    const res = await buyer.get(`/api/orders/${orderId}`);
    return res.status === 200 && res.body.status === status ? res.body : null;
  }, timeoutMs);
}

/** Every service's outbox is empty: every committed event reached JetStream. */
export async function outboxesDrained(backend: Backend): Promise<boolean> {
  for (const service of ['auth', 'tickets', 'orders', 'payments']) {
    const pending = await backend.db(service).collection('outbox').countDocuments({ sentAt: null });
    if (pending > 0) return false;
  }
  return true;
}

/** Waits until `service` holds its replica of entity `id` (events are asynchronous; a user would not be this fast). */
export function replicated(backend: Backend, service: string, collection: string, id: string, timeoutMs = 5_000) {
  return waitFor(async () => (await backend.db(service).collection(collection).countDocuments({ _id: new mongoose.Types.ObjectId(id) })) === 1, timeoutMs);
}

/** Orders `ticketId` once orders knows the ticket, and returns the order once payments knows it too. */
export async function placeOrder(backend: Backend, buyer: Browser, ticketId: string) {
  await replicated(backend, 'orders', 'tickets', ticketId);
  const res = await buyer.post('/api/orders', { ticketId });
  if (res.status !== 201) throw new Error(`order failed: ${res.status} ${JSON.stringify(res.body)}`);
  await replicated(backend, 'payments', 'orders', res.body.id);
  return res.body as { id: string; expiresAt: string; ticket: { id: string; price: number } };
}
