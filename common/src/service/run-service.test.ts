// startService connects mongoose itself, so this file starts its own engines instead of using
// useTestEnvironment (which would connect mongoose a second time).
import { once } from 'node:events';
import { connect as connectTcp, createServer as createTcpServer, type Server } from 'node:net';
import mongoose from 'mongoose';
import { mongoUri, startMongo, startNats, type Engine } from '../engines';
import { Subjects, type EventData } from '../events';
import { createLogger } from '../logger/logger';
import { connectEventBus, type EventBus } from '../nats/connection';
import { Listener, type ListenerContext } from '../nats/listener';
import { EVENTS_STREAM } from '../nats/streams';
import { event, pendingEventsPlugin, saveWithEvents } from '../pending-events';
import { readEvents, TEST_JWT_KEY, waitFor } from '../testing';
import { createHttpApp } from './http-app';
import { startService, type RunningService, type ServiceDefinition } from './run-service';

const NoteModel = mongoose.model(
  'RunServiceTestNote',
  new mongoose.Schema({ email: { type: String, required: true } }).plugin(pendingEventsPlugin),
);

type UserCreated = EventData<typeof Subjects.UserCreated>;

class UserCreatedListener extends Listener<typeof Subjects.UserCreated> {
  readonly subject = Subjects.UserCreated;
  readonly received: UserCreated[] = [];

  constructor(ctx: ListenerContext) {
    super(ctx);
  }

  async onMessage(data: UserCreated): Promise<void> {
    this.received.push(data);
  }
}

const logger = createLogger('run-service-test', 'silent');
let mongo: Engine;
let nats: Engine;
/** A separate connection to read the stream, as an operator would, whatever state the service is in. */
let observer: EventBus;

beforeAll(async () => {
  [mongo, nats] = await Promise.all([startMongo(), startNats()]);
  observer = await connectEventBus(nats.url, 'observer', logger);
}, 60_000);

afterAll(async () => {
  await observer?.nc.close();
  await Promise.all([mongo?.stop(), nats?.stop()]);
});

/** A pending route handler the test releases, to have a request in flight when it wants one. */
function buildGate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  let entered!: () => void;
  const reached = new Promise<void>((resolve) => (entered = resolve));
  return { opened, open, reached, entered };
}

let gate = buildGate();
let listeners: UserCreatedListener[] = [];
const started: RunningService[] = [];
/** Each test gets its own database, so nothing one test left pending is published in the next. */
let database = 0;

beforeEach(() => {
  database += 1;
});

afterEach(async () => {
  gate.open();
  await Promise.all(started.splice(0).map((service) => service.stop()));
  if (mongoose.connection.readyState !== 0) await mongoose.disconnect();
  for await (const consumer of observer.jsm.consumers.list(EVENTS_STREAM)) {
    await observer.jsm.consumers.delete(EVENTS_STREAM, consumer.name);
  }
  await observer.jsm.streams.purge(EVENTS_STREAM);
  gate = buildGate();
  listeners = [];
});

function buildDefinition(overrides: Partial<ServiceDefinition> = {}): ServiceDefinition {
  return {
    name: 'run-service-test',
    logger,
    port: 0,
    mongoUri: mongoUri(mongo.url, `run-service-test-${database}`),
    natsUrl: nats.url,
    createApp: (ctx) =>
      createHttpApp({
        logger: ctx.logger,
        jwtKey: TEST_JWT_KEY,
        secureCookies: false,
        routes(app) {
          app.get('/api/ping', (_req, res) => {
            res.json({ pong: true });
          });
          app.get('/api/slow', async (_req, res) => {
            gate.entered();
            await gate.opened;
            res.json({ slow: 'done' });
          });
          app.post('/api/notes', async (req, res) => {
            const { email, wait } = req.body as { email: string; wait?: boolean };
            if (wait) {
              gate.entered();
              await gate.opened;
            }
            const note = new NoteModel({ email });
            await saveWithEvents(note, (version) => [
              event(Subjects.UserCreated, {
                id: note.id as string,
                version,
                email,
                sessionsValidFrom: new Date().toISOString(),
              }),
            ]);
            res.status(201).json({ id: note.id as string });
          });
        },
      }),
    listeners: (ctx) => {
      listeners = [new UserCreatedListener(ctx)];
      return listeners;
    },
    ...overrides,
  };
}

async function start(overrides: Partial<ServiceDefinition> = {}): Promise<RunningService> {
  const service = await startService(buildDefinition(overrides));
  started.push(service);
  return service;
}

/** Takes a service out of the after-test cleanup because the test stops it itself. */
function forget(service: RunningService): void {
  started.splice(started.indexOf(service), 1);
}

/** Sends raw HTTP/1.1 requests on one keep-alive socket, so later ones can follow an in-flight one. */
function openRawConnection(port: number) {
  const socket = connectTcp(port, '127.0.0.1');
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (received += chunk));
  return {
    connected: once(socket, 'connect'),
    send: (path: string) => socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`),
    received: () => received,
    close: () => socket.destroy(),
  };
}

describe('startService', () => {
  it('serves /healthz, /readyz and the app on the port it was given (0: any free port)', async () => {
    const service = await start({ port: 0 });
    const base = `http://127.0.0.1:${service.port}`;

    const health = await fetch(`${base}/healthz`);
    const ready = await fetch(`${base}/readyz`);
    const ping = await fetch(`${base}/api/ping`);
    const unknown = await fetch(`${base}/api/unknown`);

    expect(service.port).toBeGreaterThan(0);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);
    expect([ping.status, await ping.json()]).toEqual([200, { pong: true }]);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      errors: [{ message: 'Route not found: GET /api/unknown' }],
    });
  });

  it("delivers a route's event through its document, the relay and JetStream to the listeners", async () => {
    const service = await start();

    const res = await fetch(`http://127.0.0.1:${service.port}/api/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ann@example.com' }),
    });

    const { id } = (await res.json()) as { id: string };
    expect(res.status).toBe(201);
    await waitFor(() => listeners[0]!.received.length === 1);
    expect(listeners[0]!.received[0]).toEqual({
      id,
      version: 0,
      email: 'ann@example.com',
      sessionsValidFrom: expect.any(String),
    });
    expect(await readEvents(observer.jsm, Subjects.UserCreated)).toHaveLength(1);
  });

  it('answers any other path with a 404 in the error shape when the service has no HTTP routes', async () => {
    const service = await start({ createApp: undefined, mongoUri: undefined });

    const res = await fetch(`http://127.0.0.1:${service.port}/api/anything`);

    expect([res.status, await res.json()]).toEqual([404, { errors: [{ message: 'Not found' }] }]);
  });

  it('answers /readyz with 503 when an extra readiness check fails', async () => {
    const service = await start({ isReady: () => false });

    const ready = await fetch(`http://127.0.0.1:${service.port}/readyz`);

    expect([ready.status, await ready.json()]).toEqual([503, { status: 'not ready' }]);
  });

  it('stops: HTTP closed, listeners stopped, Mongo disconnected, NATS closed', async () => {
    let onStopCalled = false;
    const service = await start({
      onStop: async () => {
        onStopCalled = true;
      },
    });
    forget(service);

    await service.stop();

    await expect(fetch(`http://127.0.0.1:${service.port}/healthz`)).rejects.toThrow();
    expect(service.server.listening).toBe(false);
    expect(service.bus.nc.isClosed()).toBe(true);
    expect(mongoose.connection.readyState).toBe(0);
    expect(onStopCalled).toBe(true);
  });

  it('answers /readyz with 503 while stopping and finishes the request in flight', async () => {
    const service = await start();
    forget(service);
    const connection = openRawConnection(service.port);
    await connection.connected;
    connection.send('/api/slow');
    await gate.reached;

    const stopped = service.stop();
    // On the same kept-alive connection, after the stop began: the answer waits behind /api/slow.
    connection.send('/readyz');
    gate.open();
    await stopped;

    const text = await waitFor(
      () => /not ready/.test(connection.received()) && connection.received(),
    );
    connection.close();
    expect(text).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*\{"slow":"done"\}/);
    expect(text).toMatch(/HTTP\/1\.1 503 Service Unavailable[\s\S]*\{"status":"not ready"\}$/);
  });

  it('publishes the event of a request that was in flight when stopping began', async () => {
    const service = await start();
    forget(service);
    const inFlight = fetch(`http://127.0.0.1:${service.port}/api/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'late@example.com', wait: true }),
    });
    await gate.reached;

    const stopped = service.stop();
    gate.open();
    const res = await inFlight;
    await stopped;

    expect(res.status).toBe(201);
    const events = await readEvents(observer.jsm, Subjects.UserCreated);
    expect(events.map((e) => e.data.email)).toEqual(['late@example.com']);
  });

  it('fails to start, instead of hanging, when its port is taken, and releases Mongo and NATS', async () => {
    const squatter: Server = createTcpServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as { port: number };

    try {
      await expect(startService(buildDefinition({ port }))).rejects.toThrow(/EADDRINUSE/);
      expect(mongoose.connection.readyState).toBe(0);
    } finally {
      squatter.close();
    }
  });
});
