/** The local gateway: ingress-nginx's routing and headers in front of the services on one machine. */
import { randomUUID } from 'node:crypto';
import {
  Agent,
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Readable, type Duplex } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';
import { loadIngressRules, matchIngressRoute, type IngressRules } from './ingress-rules';

export interface GatewayOptions {
  /** The Kubernetes Ingress manifest whose rules the gateway follows. */
  ingressFile: string;
  /**
   * Service name → local port of the running process. Read on every request, so the stack can add,
   * drop and move services while the gateway runs; a missing name means "not running".
   */
  backends: ReadonlyMap<string, number>;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Where to report proxy failures (one line each). */
  log?: (line: string) => void;
}

/** How long the gateway keeps an idle connection to a service (the services keep them 65 s). */
const IDLE_CONNECTION_MS = 30_000;

export interface Gateway {
  server: Server;
  port: number;
  url: string;
  rules: IngressRules;
  close(): Promise<void>;
}

/**
 * A local stand-in for ingress-nginx: the same Ingress rules pick the backend, and the same headers
 * reach the services (X-Forwarded-*, X-Request-ID), so a service behaves here as it does in the cluster.
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const rules = await loadIngressRules(options.ingressFile);
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => undefined);
  // Reusing connections to the services keeps the gateway from costing a TCP handshake per request. A
  // connection idle for 30 s is closed here, long before the service would close it (KEEP_ALIVE_MS), so
  // the gateway never sends a request on a connection the service is closing.
  const agent = new Agent({ keepAlive: true, timeout: IDLE_CONNECTION_MS });
  // ingress-nginx's proxy-read-timeout; the forwarded headers are set by hand below.
  const proxy = createProxyServer({ agent, ws: true, xfwd: false, proxyTimeout: 60_000 });

  proxy.on('error', (err, req, resOrSocket) => {
    const routed = req as RoutedRequest;
    const service = routed.service ?? 'backend';
    log(`${service}: ${req.method} ${req.url} failed: ${err.message}`);
    if (!isServerResponse(resOrSocket)) return resOrSocket.destroy();
    if (resOrSocket.headersSent) return resOrSocket.destroy();
    // ingress-nginx passes an idempotent request to the backend again after a connection error
    // (proxy_next_upstream error): a kept-alive connection the service closed just as it was reused
    // resets, and a GET must not fail for that. Once; the body (none) is replayed as an empty stream.
    if (isRetryable(req, err) && !routed.retried && routed.port !== undefined) {
      routed.retried = true;
      return proxy.web(req, resOrSocket, {
        target: { host: '127.0.0.1', port: routed.port },
        buffer: Readable.from([]),
      });
    }
    sendError(resOrSocket, 502, `${service} did not answer: ${err.message}`);
  });

  const route = (
    req: IncomingMessage,
  ): { service: string; port?: number } | { service?: undefined } => {
    const service = matchIngressRoute(rules, req.url ?? '/');
    if (!service) return {};
    const port = options.backends.get(service);
    Object.assign(req, { service, port });
    return { service, port };
  };

  const server = createServer((req, res) => {
    const target = route(req);
    if (!target.service) return sendError(res, 404, `No route for ${req.url}`);
    if (target.port === undefined) return sendError(res, 503, `${target.service} is not running`);
    const length = Number(req.headers['content-length'] ?? 0);
    if (rules.maxBodyBytes !== undefined && length > rules.maxBodyBytes) {
      // Said before the body is read, as nginx does; a client that streams it anyway is cut off.
      res.setHeader('connection', 'close');
      return sendError(res, 413, 'Request body is too large');
    }
    setForwardedHeaders(req, host, options);
    res.setHeader('x-request-id', req.headers['x-request-id'] as string);
    proxy.web(req, res, { target: { host: '127.0.0.1', port: target.port } });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = route(req);
    if (!target.service) return rejectUpgrade(socket, 404, `No route for ${req.url}`);
    if (target.port === undefined)
      return rejectUpgrade(socket, 503, `${target.service} is not running`);
    setForwardedHeaders(req, host, options);
    proxy.ws(req, socket, head, { target: { host: '127.0.0.1', port: target.port } });
  });

  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  const close = async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Keep-alive and websocket connections would hold close() open forever; the stack is going away.
    for (const socket of sockets) socket.destroy();
    agent.destroy();
    await closed;
  };

  return { server, port, url: `http://localhost:${port}`, rules, close };
}

interface RoutedRequest extends IncomingMessage {
  service?: string;
  port?: number;
  retried?: boolean;
}

/** A request nginx would try again: no body to lose, and the connection failed before any answer. */
function isRetryable(req: IncomingMessage, err: Error): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return (req.method === 'GET' || req.method === 'HEAD') && code === 'ECONNRESET';
}

/**
 * What ingress-nginx sends by default (use-forwarded-headers off): the client address it saw, not one
 * the client claims, so a service's `trust proxy 1` and per-IP rate limits cannot be fooled.
 */
function setForwardedHeaders(req: IncomingMessage, host: string, options: GatewayOptions) {
  const headers = req.headers;
  headers['x-forwarded-for'] = req.socket.remoteAddress ?? host;
  headers['x-real-ip'] = req.socket.remoteAddress ?? host;
  headers['x-forwarded-proto'] = 'http';
  headers['x-forwarded-host'] = headers.host ?? `${host}:${options.port}`;
  headers['x-forwarded-port'] = String(req.socket.localPort ?? options.port);
  const requestId = headers['x-request-id'];
  if (typeof requestId !== 'string' || requestId === '') headers['x-request-id'] = randomUUID();
}

function errorBody(message: string): string {
  return JSON.stringify({ errors: [{ message }] });
}

function sendError(res: ServerResponse, status: number, message: string) {
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
    .end(errorBody(message));
}

/** An upgrade request has no ServerResponse: answer on the raw socket, then hang up. */
function rejectUpgrade(socket: Duplex, status: number, message: string) {
  const body = errorBody(message);
  const reason = status === 503 ? 'Service Unavailable' : 'Not Found';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

function isServerResponse(value: unknown): value is ServerResponse {
  return typeof value === 'object' && value !== null && 'writeHead' in value;
}
