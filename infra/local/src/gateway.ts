/** The local gateway: ingress-nginx's routing and headers in front of the services on one machine. */
import { randomUUID } from 'node:crypto';
import {
  Agent,
  ServerResponse,
  createServer,
  type ClientRequest,
  type IncomingMessage,
  type Server,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Readable, type Duplex } from 'node:stream';
import helmet from 'helmet';
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
  /**
   * How long a service may leave the gateway waiting for its answer, and then for each next part of
   * it, before the gateway answers 504 or cuts the answer (ingress-nginx's proxy-read-timeout, 60 s by
   * default). An event stream's wait ends with its headers (`passEventStream`).
   */
  upstreamTimeoutMs?: number;
}

/** How long the gateway keeps an idle connection to a service (the services keep them 65 s). */
const IDLE_CONNECTION_MS = 30_000;

/** ingress-nginx's default proxy-read-timeout. */
const UPSTREAM_TIMEOUT_MS = 60_000;

/**
 * helmet's defaults, as every service sets them (common's http-app): the gateway's own answers (no
 * route, a service down or too slow, a body too large) carry the same security headers as theirs, so
 * a browser is protected the same whoever answered.
 */
const setSecurityHeaders = helmet();

/** A service that kept the gateway waiting longer than `upstreamTimeoutMs`. */
class UpstreamTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
}

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
  // The forwarded headers are set by hand below.
  const proxy = createProxyServer({ agent, ws: true, xfwd: false });
  const upstreamTimeoutMs = options.upstreamTimeoutMs ?? UPSTREAM_TIMEOUT_MS;
  // ingress-nginx's proxy-read-timeout. Not http-proxy-3's proxyTimeout: that one ends the request
  // without a reason, as a reset connection looks, which would be retried and answered 502, not 504.
  proxy.on('proxyReq', (proxyReq, _req, res) => {
    proxyReq.setTimeout(upstreamTimeoutMs, () => {
      proxyReq.destroy(new UpstreamTimeoutError(`no answer within ${upstreamTimeoutMs} ms`));
    });
    proxyReq.once('response', (proxyRes: IncomingMessage) => {
      if (isEventStream(proxyRes)) passEventStream(proxyReq, res);
      // The service died mid-answer (kill -9 of a stream's server): the client's answer breaks too, as
      // nginx's does, so an EventSource reconnects (to a replica that is up) instead of waiting forever.
      proxyRes.once('aborted', () => {
        if (!res.writableEnded) res.destroy();
      });
    });
  });

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
    if (err instanceof UpstreamTimeoutError) {
      return sendError(req, resOrSocket, 504, `${service} did not answer in time: ${err.message}`);
    }
    sendError(req, resOrSocket, 502, `${service} did not answer: ${err.message}`);
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
    if (!target.service) return sendError(req, res, 404, `No route for ${req.url}`);
    if (target.port === undefined)
      return sendError(req, res, 503, `${target.service} is not running`);
    const length = Number(req.headers['content-length'] ?? 0);
    if (rules.maxBodyBytes !== undefined && length > rules.maxBodyBytes) {
      // Said before the body is read, as nginx does; a client that streams it anyway is cut off.
      res.setHeader('connection', 'close');
      return sendError(req, res, 413, 'Request body is too large');
    }
    setForwardedHeaders(req, host, options);
    res.setHeader('x-request-id', req.headers['x-request-id'] as string);
    proxy.web(req, res, { target: { host: '127.0.0.1', port: target.port } });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = route(req);
    if (!target.service) return rejectUpgrade(req, socket, 404, `No route for ${req.url}`);
    if (target.port === undefined)
      return rejectUpgrade(req, socket, 503, `${target.service} is not running`);
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

function isEventStream(res: IncomingMessage): boolean {
  return /^text\/event-stream\b/i.test(res.headers['content-type'] ?? '');
}

/**
 * An event stream's own rule, as ingress-nginx serves the stream paths (proxy-buffering off, an hour's
 * read timeout). Its headers go to the client now, not with its first event, so the browser's
 * EventSource opens at once; the proxy copies them onto `res` later in this same tick, hence nextTick.
 * Its events are piped to the client as they arrive, never gathered. And the upstream timeout ends
 * with the headers: a live stream is quiet between changes (a heartbeat every 15 s) and lasts until
 * the client leaves (which destroys the request to the service) or the service ends it.
 */
function passEventStream(proxyReq: ClientRequest, res: ServerResponse): void {
  proxyReq.setTimeout(0);
  process.nextTick(() => {
    if (!res.headersSent && !res.destroyed) res.flushHeaders();
  });
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

/** The gateway's own answer, in the services' error shape and with their security headers. */
function sendError(req: IncomingMessage, res: ServerResponse, status: number, message: string) {
  const body = JSON.stringify({ errors: [{ message }] });
  setSecurityHeaders(req, res, (err?: unknown) => {
    if (err) throw err;
  });
  res
    .writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    })
    .end(body);
}

/**
 * An upgrade request has no ServerResponse: one made on its socket gives it the same answer as any
 * other request (headers included), then the connection is closed.
 */
function rejectUpgrade(req: IncomingMessage, socket: Duplex, status: number, message: string) {
  const res = new ServerResponse(req);
  res.assignSocket(socket as Socket);
  res.shouldKeepAlive = false;
  res.once('finish', () => socket.end());
  sendError(req, res, status, message);
}

function isServerResponse(value: unknown): value is ServerResponse {
  return typeof value === 'object' && value !== null && 'writeHead' in value;
}
