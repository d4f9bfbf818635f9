/**
 * A service's HTTP server and its health probes: it answers the liveness and readiness probes itself
 * (PROBE_PATHS, the paths the Kubernetes manifests probe; infra/checks imports them from here) and hands
 * every other request to the service's app, counting those in flight so that a stop lets them finish.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { LiveStreams } from '../live/sse';
import { InFlight } from './in-flight';

/** The paths every service answers itself: alive (the process serves HTTP), ready (dependencies up). */
export const PROBE_PATHS = { live: '/healthz', ready: '/readyz' } as const;

/** How long an idle kept-alive connection stays open: beyond ingress-nginx's upstream 60 s. */
export const KEEP_ALIVE_MS = 65_000;

export interface HttpServerOptions {
  port: number;
  /** The service's routes; without them every other path is a 404 in the error shape. */
  app?: Express;
  /** Whether the service's dependencies are connected; the readiness probe also fails once stopping. */
  isReady(): boolean;
}

export interface HttpServer {
  server: Server;
  /** The port it listens on (the one asked for, or the one chosen for port 0). */
  port: number;
  /** Refuses new connections and readiness, then waits for the requests already accepted. */
  stopAccepting(): Promise<void>;
  /** Closes the connections still kept alive, and resolves once the server is closed. */
  close(): Promise<void>;
}

export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const { app, isReady } = options;
  const inFlight = new InFlight();
  const server = createServer((req, res) => {
    if (req.url === PROBE_PATHS.live) return sendStatus(res, 200, 'ok');
    if (req.url === PROBE_PATHS.ready) {
      // `listening` turns false the moment stopAccepting() closes the server: a stopping service is
      // not ready, while its kept-alive connections still get this answer.
      return server.listening && isReady()
        ? sendStatus(res, 200, 'ready')
        : sendStatus(res, 503, 'not ready');
    }
    if (!app) {
      const body = JSON.stringify({ errors: [{ message: 'Not found' }] });
      res.writeHead(404, { 'content-type': 'application/json' }).end(body);
      return;
    }
    inFlight.track(res);
    app(req, res);
  });
  // A proxy in front (ingress-nginx keeps upstream connections 60 s, the local gateway's agent too) must
  // never reuse a connection the service is closing at that instant: a POST sent on it fails with
  // "socket hang up" (502), and non-idempotent requests are not retried. So the service keeps idle
  // connections longer than any proxy does, and proxies close them first. (Node's default is 5 s.)
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    async stopAccepting() {
      server.close();
      server.closeIdleConnections();
      // Live streams never finish by themselves: they end now, and their clients reconnect elsewhere.
      (app?.locals.liveStreams as LiveStreams | undefined)?.endAll();
      // Requests already accepted finish, and the events they wrote are published by the relay's stop.
      await inFlight.settled();
    },
    async close() {
      server.closeAllConnections();
      await closed;
    },
  };
}

function sendStatus(res: ServerResponse, status: number, text: string) {
  const body = JSON.stringify({ status: text });
  res
    .writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    })
    .end(body);
}
