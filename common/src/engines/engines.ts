/**
 * The real engines that tests, the local stack and the bench run: embedded MongoDB (jongodb) as a
 * single-node replica set, nats-server with JetStream, and redis-server.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess, type StartedProcess } from './process';

export interface Engine {
  /** The connection URL clients use. */
  url: string;
  process: StartedProcess;
  stop(): Promise<void>;
}

type LineSink = ((line: string) => void) | undefined;

/**
 * Debian installs nats-server and redis-server under /usr/sbin, which is not on a non-root user's PATH:
 * use the packaged binary when the PATH has none.
 */
export function systemCommand(name: string): string {
  const onPath = (process.env.PATH ?? '')
    .split(':')
    .some((dir) => dir && existsSync(join(dir, name)));
  if (onPath) return name;
  return (
    ['/usr/sbin', '/sbin', '/usr/local/sbin'].map((dir) => join(dir, name)).find(existsSync) ?? name
  );
}

/** A port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The embedded MongoDB-compatible engine (jongodb) as a single-node replica set, so transactions work.
 * `url` has no database: append `/<db>?replicaSet=rs0` with `mongoUri(url, db)`.
 */
export async function startMongo(onLine?: LineSink): Promise<Engine> {
  const binary = require.resolve('@jongodb/memory-server-bin-linux-x64-gnu/bin/jongodb');
  const proc = await startProcess({
    name: 'mongo (jongodb)',
    command: binary,
    args: [
      '--host=127.0.0.1',
      '--port=0',
      '--topology-profile=singleNodeReplicaSet',
      '--replica-set-name=rs0',
    ],
    readyPattern: /JONGODB_URI=mongodb:\/\/([\d.]+:\d+)/,
    onLine,
  });
  return { url: `mongodb://${proc.ready[1]}`, process: proc, stop: () => proc.stop() };
}

/** `mongodb://host:port` + database → a URI for one service's own database on that server. */
export function mongoUri(serverUrl: string, database: string): string {
  return `${serverUrl.replace(/\/+$/, '')}/${database}?replicaSet=rs0`;
}

/** Debian's nats-server with JetStream on a random port and a fresh store directory. */
export async function startNats(
  onLine?: LineSink,
  options: { storeDir?: string; port?: number } = {},
): Promise<Engine & { storeDir: string }> {
  const storeDir = options.storeDir ?? (await mkdtemp(join(tmpdir(), 'ticketing-nats-')));
  const proc = await startProcess({
    name: 'nats-server',
    command: systemCommand('nats-server'),
    args: ['-a', '127.0.0.1', '-p', String(options.port ?? -1), '-js', '-sd', storeDir],
    readyPattern: /Listening for client connections on [\d.]+:(\d+)/,
    onLine,
  });
  const stop = async () => {
    await proc.stop();
    if (!options.storeDir) await rm(storeDir, { recursive: true, force: true });
  };
  return { url: `nats://127.0.0.1:${proc.ready[1]}`, process: proc, storeDir, stop };
}

/** Debian's redis-server on a free port; `appendonly` keeps delayed jobs across a Redis restart. */
export async function startRedis(
  onLine?: LineSink,
  options: { appendOnly?: boolean; dir?: string; port?: number } = {},
): Promise<Engine & { port: number; dir: string }> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'ticketing-redis-')));
  const port = options.port ?? (await freePort());
  const proc = await startProcess({
    name: 'redis-server',
    command: systemCommand('redis-server'),
    args: [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      options.appendOnly ? 'yes' : 'no',
    ],
    readyPattern: /Ready to accept connections/,
    onLine,
  });
  const stop = async () => {
    await proc.stop();
    if (!options.dir) await rm(dir, { recursive: true, force: true });
  };
  return { url: `redis://127.0.0.1:${port}`, process: proc, port, dir, stop };
}
