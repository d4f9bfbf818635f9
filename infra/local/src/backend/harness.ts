/**
 * Whole-backend tests: the real stack (every built service, embedded Mongo, nats-server, redis-server,
 * the gateway) driven over HTTP only, as a browser would. The event stream and the databases are read
 * directly only to check what a user cannot see: that nothing was lost or done twice. Each user is an
 * `ApiClient` from common (one browser with its session cookie).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from '@jest/globals';
import mongoose from 'mongoose';
import {
  ApiClient,
  connectEventBus,
  createLogger,
  type EventBus,
  type EventData,
  type EventSubject,
  type OrderJson,
  type OrderStatus,
  type TicketInput,
  type TicketJson,
} from '@ticketing/common';
import { durableName, readEvents, waitFor, type PublishedEvent } from '@ticketing/common/testing';
import { addEvent } from '../catalogue-fixtures';
import { serviceDatabases } from '../databases';
import { SERVICES_WITH_EVENTS, pendingEvents } from '../pending-events';
import { startStack, type Stack } from '../stack';

export { waitFor };

export interface Backend {
  stack: Stack;
  bus: EventBus;
  /** A new signed-up user's browser. */
  user(): Promise<ApiClient>;
  /** Every stored event of `subject` whose data matches `filter`. */
  events<S extends EventSubject>(
    subject: S,
    filter?: (data: EventData<S>) => boolean,
  ): Promise<Array<PublishedEvent<S>>>;
  /** Waits for the first stored event of `subject` whose data matches `filter`. */
  waitForEvent<S extends EventSubject>(
    subject: S,
    filter: (data: EventData<S>) => boolean,
    timeoutMs?: number,
  ): Promise<PublishedEvent<S>>;
  /** Waits until `service`'s durable consumer of `subject` has settled everything delivered to it. */
  consumerIdle(service: string, subject: EventSubject, timeoutMs?: number): Promise<void>;
  /** A service's own database, read-only use. */
  db(service: string): mongoose.Connection;
  /**
   * Pauses (or resumes) `service`'s event relay with the operator's lever (SIGUSR2) and waits until the
   * service says it did: its writes still succeed, their events stay pending in their documents.
   */
  toggleRelay(service: string, state: 'paused' | 'resumed'): Promise<void>;
}

/**
 * Starts the whole stack once for the test file; `env` adds settings such as ORDER_EXPIRATION_SECONDS
 * (or a known JWT_KEY, which then replaces the stack's random one).
 */
export function useBackend(env: Record<string, string> = {}): Backend {
  const backend = {} as Backend;
  const databases = serviceDatabases((service) => backend.stack.engines.mongo[service]!);
  beforeAll(async () => {
    const base: NodeJS.ProcessEnv = {
      ...process.env,
      GATEWAY_PORT: '0',
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      ...env,
    };
    // Engines and secrets come from the stack, not the shell; a test file may still set one on purpose
    // (the security suite passes a known JWT_KEY to forge session tokens).
    for (const name of ['MONGO_URI', 'NATS_URL', 'REDIS_URL', 'JWT_KEY', 'STRIPE_KEY'])
      if (!(name in env)) delete base[name];
    const output: string[] = [];
    backend.stack = await startStack({ env: base, output: (line) => output.push(line) });
    backend.bus = await connectEventBus(
      backend.stack.engines.nats,
      'backend-test',
      createLogger('backend-test', 'silent'),
    );
    backend.user = async () => {
      const browser = new ApiClient(backend.stack.url);
      const res = await browser.signUp({
        email: `${randomUUID()}@example.com`,
        password: 'correct horse',
      });
      if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${res.text}`);
      return browser;
    };
    backend.events = async <S extends EventSubject>(
      subject: S,
      filter: (data: EventData<S>) => boolean = () => true,
    ) => (await readEvents(backend.bus.jsm, subject)).filter((e) => filter(e.data));
    backend.waitForEvent = (subject, filter, timeoutMs = 5_000) =>
      waitFor(async () => (await backend.events(subject, filter))[0], timeoutMs);
    backend.consumerIdle = async (service, subject, timeoutMs = 5_000) => {
      await waitFor(async () => {
        const info = await backend.bus.jsm.consumers.info(
          'TICKETING',
          durableName(service, subject),
        );
        return info.num_pending === 0 && info.num_ack_pending === 0;
      }, timeoutMs);
    };
    backend.db = databases.db;
    backend.toggleRelay = async (service, state) => {
      const said = new RegExp(`${service}.*event relay ${state}`);
      const before = output.filter((line) => said.test(line)).length;
      backend.stack.signal(service, 'SIGUSR2');
      await waitFor(() => output.filter((line) => said.test(line)).length > before, 10_000);
    };
  }, 120_000);
  afterAll(async () => {
    await databases.close();
    await backend.bus?.nc.close();
    await backend.stack?.stop();
  }, 60_000);
  return backend;
}

/**
 * Lists a ticket ($20, titled "Concert" unless `listing` says otherwise) for `listing.eventId`, or for a
 * new event of its own, a week ahead, when none is given.
 */
export async function listTicket(
  seller: ApiClient,
  listing: Partial<TicketInput> = {},
): Promise<TicketJson> {
  const eventId = listing.eventId ?? (await addEvent(seller)).id;
  const res = await seller.createTicket({ price: 20, title: 'Concert', ...listing, eventId });
  if (res.status !== 201) throw new Error(`listing failed: ${res.status} ${res.text}`);
  return res.body;
}

/** Waits until the ticket, as anyone reads it, satisfies `check`. */
export function ticketBecomes(
  browser: ApiClient,
  ticketId: string,
  check: (t: TicketJson) => boolean,
  timeoutMs = 5_000,
) {
  return waitFor(async () => {
    const res = await browser.getTicket(ticketId);
    return res.status === 200 && check(res.body) ? res.body : null;
  }, timeoutMs);
}

export function orderBecomes(
  buyer: ApiClient,
  orderId: string,
  status: OrderStatus,
  timeoutMs = 5_000,
) {
  return waitFor(async () => {
    const res = await buyer.getOrder(orderId);
    return res.status === 200 && res.body.status === status ? res.body : null;
  }, timeoutMs);
}

/** No entity of any service carries a pending event: everything written reached JetStream. */
export async function eventsPublished(backend: Backend): Promise<boolean> {
  for (const service of SERVICES_WITH_EVENTS) {
    if ((await pendingEvents(backend.db(service), service)) > 0) return false;
  }
  return true;
}

/** Waits until `service` holds its replica of entity `id` (events are asynchronous; a user would not be this fast). */
export function replicated(
  backend: Backend,
  service: string,
  collection: string,
  id: string,
  timeoutMs = 5_000,
) {
  return waitFor(
    async () =>
      (await backend
        .db(service)
        .collection(collection)
        .countDocuments({ _id: new mongoose.Types.ObjectId(id) })) === 1,
    timeoutMs,
  );
}

/** Orders `ticketId` once orders knows the ticket, and returns the order once payments knows it too. */
export async function placeOrder(
  backend: Backend,
  buyer: ApiClient,
  ticketId: string,
): Promise<OrderJson> {
  await replicated(backend, 'orders', 'tickets', ticketId);
  const res = await buyer.createOrder(ticketId);
  if (res.status !== 201) throw new Error(`order failed: ${res.status} ${res.text}`);
  await replicated(backend, 'payments', 'orders', res.body.id);
  return res.body;
}
