/**
 * The local stack runner (`startStack`): its configuration, a busy gateway port, and the whole stack
 * through the gateway — sign-up, sessions, a killed and restarted service, NATS and Redis restarted with
 * their data, the relay lever, a service dying on its own, and no process left behind.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  connectEventBus,
  createLogger,
  sendRequest,
  type CurrentUserJson,
  type ErrorsJson,
} from '@ticketing/common';
import { readEvents } from '@ticketing/common/testing';
import { withDatabase } from './databases';
import { prefixLine, startStack, type ProcessExit, type Stack } from './stack';

const ROOT = join(__dirname, '..', '..', '..');
const AUTH_ENTRY = join(ROOT, 'auth', 'dist', 'index.js');

/** This run's own engines, whatever MONGO_URI, NATS_URL or REDIS_URL the shell running the tests holds. */
function testEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GATEWAY_PORT: '0',
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
  };
  for (const name of ['MONGO_URI', 'NATS_URL', 'REDIS_URL', 'JWT_KEY']) delete env[name];
  return env;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function sessionCookieFrom(res: { headers: Headers }): string {
  const setCookie = res.headers.get('set-cookie') ?? '';
  return setCookie.split(';')[0]!;
}

let emailCounter = 0;
function newCredentials() {
  emailCounter += 1;
  return { email: `buyer${emailCounter}@example.com`, password: 'correct-horse-42' };
}

describe('withDatabase', () => {
  it('swaps the database and keeps credentials and options', () => {
    expect(withDatabase('mongodb://u:p@db1:27017,db2:27017/admin?replicaSet=rs1', 'orders')).toBe(
      'mongodb://u:p@db1:27017,db2:27017/orders?replicaSet=rs1',
    );
  });

  it('adds a database to a URI that has none', () => {
    expect(withDatabase('mongodb+srv://cluster.example.net', 'auth')).toBe(
      'mongodb+srv://cluster.example.net/auth',
    );
  });
});

describe('startStack', () => {
  it('fails fast, starting nothing, when the gateway port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    const lines: string[] = [];

    const starting = startStack({
      env: { ...testEnv(), GATEWAY_PORT: String(port) },
      output: (line) => lines.push(line),
    });

    await expect(starting).rejects.toThrow(`port ${port} is in use`);
    expect(lines.join('\n')).not.toMatch(/starting NATS/);
    await new Promise((resolve) => blocker.close(resolve));
  });
});

describe('the whole stack through the gateway', () => {
  const lines: string[] = [];
  const unexpectedExits: ProcessExit[] = [];
  const startedPids = new Set<number>();
  let stack: Stack;

  const rememberPids = () => {
    for (const pid of stack.pids().values()) startedPids.add(pid);
  };
  const post = (path: string, body: unknown, cookie = '') =>
    sendRequest(stack.url, 'POST', path, { body, cookie });
  const currentUser = async (cookie: string) =>
    (await sendRequest<CurrentUserJson>(stack.url, 'GET', '/api/users/currentuser', { cookie }))
      .body;

  beforeAll(async () => {
    if (!existsSync(AUTH_ENTRY))
      throw new Error(`${AUTH_ENTRY} is missing: run npm run build first`);
    stack = await startStack({
      env: testEnv(),
      output: (line) => lines.push(line),
      onUnexpectedExit: (exit) => unexpectedExits.push(exit),
    });
    rememberPids();
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('starts the engines and auth, and reports its URL', () => {
    expect([...stack.pids().keys()]).toEqual(
      expect.arrayContaining(['mongo-auth', 'mongo-orders', 'nats', 'redis', 'auth']),
    );
    expect(lines).toContain(prefixLine('stack', `ready: ${stack.url}`));
  });

  it('signs up through the gateway and sets a session cookie', async () => {
    const res = await post('/api/users/signup', newCredentials());

    expect(res.status).toBe(201);
    expect(res.headers.get('set-cookie')).toMatch(/^session=.+/);
  });

  it('knows the signed-in user from the session cookie', async () => {
    const credentials = newCredentials();
    const signup = await post('/api/users/signup', credentials);

    const body = await currentUser(sessionCookieFrom(signup));

    expect(body.currentUser).toMatchObject({ email: credentials.email, id: expect.any(String) });
  });

  it('signs out by clearing the cookie', async () => {
    const signup = await post('/api/users/signup', newCredentials());

    const signout = await post('/api/users/signout', {}, sessionCookieFrom(signup));

    expect(signout.status).toBe(200);
    expect(signout.headers.get('set-cookie')).toMatch(/^session=;.*expires=Thu, 01 Jan 1970/);
    expect((await currentUser(sessionCookieFrom(signout))).currentUser).toBeNull();
  });

  it('rejects a second sign-up with the same email with 400 in the error shape', async () => {
    const credentials = newCredentials();
    await post('/api/users/signup', credentials);

    const res = await post('/api/users/signup', credentials);

    expect(res.status).toBe(400);
    const body = res.body as ErrorsJson;
    expect(body.errors).toEqual([expect.objectContaining({ message: expect.any(String) })]);
  });

  it('answers 503 for a killed service and serves again after a restart on the same port', async () => {
    const port = stack.ports.get('auth');
    await stack.kill('auth');

    const whileDown = await fetch(`${stack.url}/api/users/currentuser`);
    await stack.restart('auth');
    rememberPids();
    const afterRestart = await fetch(`${stack.url}/api/users/currentuser`);

    expect(whileDown.status).toBe(503);
    expect(await whileDown.json()).toEqual({ errors: [{ message: 'auth is not running' }] });
    expect(afterRestart.status).toBe(200);
    expect(stack.ports.get('auth')).toBe(port);
    expect(unexpectedExits).toEqual([]);
  }, 60_000);

  it('restarts nats-server and Redis on the same port with their data; services reconnect', async () => {
    const urls = { ...stack.engines };
    const before = newCredentials();
    await post('/api/users/signup', before);
    const bus = await connectEventBus(
      stack.engines.nats,
      'stack-test',
      createLogger('t', 'silent'),
    );
    const userCreated = async (email: string) =>
      (await readEvents(bus.jsm, 'user.created')).some((e) =>
        JSON.stringify(e.data).includes(email),
      );
    try {
      await until(() => userCreated(before.email));

      await stack.restartEngine('nats', 'kill');
      await stack.restartEngine('redis', 'kill');
      rememberPids();
      const after = newCredentials();
      const signup = await post('/api/users/signup', after);

      expect(signup.status).toBe(201);
      await until(() => userCreated(after.email), 15_000);
      expect(await userCreated(before.email)).toBe(true);
      expect(stack.engines).toEqual(urls);
      expect(unexpectedExits).toEqual([]);
    } finally {
      await bus.nc.close();
    }
  }, 60_000);

  it('pauses and resumes a service event relay on SIGUSR2, holding its events meanwhile', async () => {
    const bus = await connectEventBus(
      stack.engines.nats,
      'stack-test',
      createLogger('t', 'silent'),
    );
    const userCreated = async (email: string) =>
      (await readEvents(bus.jsm, 'user.created')).some((e) =>
        JSON.stringify(e.data).includes(email),
      );
    try {
      stack.signal('auth', 'SIGUSR2');
      await until(async () => lines.some((l) => /auth.*event relay paused/.test(l)));
      const held = newCredentials();
      expect((await post('/api/users/signup', held)).status).toBe(201);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(await userCreated(held.email)).toBe(false);

      stack.signal('auth', 'SIGUSR2');
      await until(() => userCreated(held.email));
      expect(lines.some((l) => /auth.*event relay resumed/.test(l))).toBe(true);
    } finally {
      await bus.nc.close();
    }
  }, 60_000);

  it('reports a service that dies on its own and does not restart it', async () => {
    const pid = stack.services.get('auth')!.pid;

    process.kill(pid, 'SIGKILL');
    await waitFor(() => unexpectedExits.length > 0);

    expect(unexpectedExits).toEqual([{ name: 'auth', code: null, signal: 'SIGKILL' }]);
    expect(lines.some((line) => /auth exited unexpectedly \(signal SIGKILL\)/.test(line))).toBe(
      true,
    );
    expect(stack.services.has('auth')).toBe(false);
    expect((await fetch(`${stack.url}/api/users/currentuser`)).status).toBe(503);
  });

  it('leaves no process behind when stopped', async () => {
    await stack.stop();

    const survivors = [...startedPids].filter(isRunning);
    expect(startedPids.size).toBeGreaterThanOrEqual(5);
    expect(survivors).toEqual([]);
  }, 60_000);
});

async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // A request may time out while a client reconnects after an engine restart: try again.
  while (!(await condition().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
