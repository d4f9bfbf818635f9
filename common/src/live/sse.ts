/**
 * Server-Sent Events: a stream per request (`text/event-stream`, a heartbeat comment every 15 s), and the
 * registry of one app's open streams, which caps them per user and ends them all when the service stops
 * accepting requests (a stream never ends by itself, so the graceful drain would otherwise wait on it).
 */
import type { Request, Response } from 'express';
import { CustomError } from '../errors';

/** One SSE message: `id` is what the client sends back as `Last-Event-ID` when it reconnects. */
export interface SseMessage {
  id?: string | number;
  event?: string;
  data: unknown;
}

export interface LiveStreamsOptions {
  /** How often an idle stream writes a comment, so proxies and clients see it alive (default 15 s). */
  heartbeatMs?: number;
  /** Streams one user may hold open at once across this process (default 10). */
  maxPerUser?: number;
  /** How long a client waits before reconnecting (the `retry:` field; default 2 s). */
  retryMs?: number;
}

/** 429: the user holds as many streams as they may; they close one (a tab) first. */
export class TooManyStreamsError extends CustomError {
  statusCode = 429;

  constructor() {
    super('Too many live updates open: close another tab first');
  }
}

/** One message as the bytes of the stream. */
export function sseFrame(message: SseMessage): string {
  let frame = '';
  if (message.id !== undefined) frame += `id: ${message.id}\n`;
  if (message.event) frame += `event: ${message.event}\n`;
  return `${frame}data: ${JSON.stringify(message.data)}\n\n`;
}

/** An open stream: send messages until the client goes or the service stops. */
export class SseStream {
  private readonly closers: Array<() => void> = [];
  private ended = false;

  constructor(private readonly res: Response) {}

  get closed(): boolean {
    return this.ended;
  }

  /** Sends a message, or a frame made by `sseFrame` (one change sent to many streams is serialized once). */
  send(message: SseMessage | string): void {
    if (!this.ended) this.res.write(typeof message === 'string' ? message : sseFrame(message));
  }

  /** A comment line: keeps the connection visibly alive, ignored by EventSource. */
  comment(text: string): void {
    if (!this.ended) this.res.write(`: ${text}\n\n`);
  }

  /** Runs `fn` once when the stream ends, whoever ends it. */
  onClose(fn: () => void): void {
    if (this.ended) fn();
    else this.closers.push(fn);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const fn of this.closers.splice(0)) fn();
    this.res.end();
  }
}

/** One app's open streams (`app.locals.liveStreams`, created by createHttpApp). */
export class LiveStreams {
  private readonly open = new Set<SseStream>();
  private readonly perUser = new Map<string, number>();
  private accepting = true;
  readonly heartbeatMs: number;
  readonly maxPerUser: number;
  private readonly retryMs: number;

  constructor(options: LiveStreamsOptions = {}) {
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.maxPerUser = options.maxPerUser ?? 10;
    this.retryMs = options.retryMs ?? 2_000;
  }

  get size(): number {
    return this.open.size;
  }

  /**
   * Answers `req` with an event stream (200, no buffering anywhere on the way) for `userId` (or an
   * anonymous visitor); throws TooManyStreamsError past the user's cap, and a 503 once stopping.
   */
  start(req: Request, res: Response, userId?: string): SseStream {
    if (!this.accepting) throw new StoppingError();
    if (userId && (this.perUser.get(userId) ?? 0) >= this.maxPerUser)
      throw new TooManyStreamsError();
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx (ingress-nginx) passes the stream on as it is written.
      'x-accel-buffering': 'no',
    });
    res.write(`retry: ${this.retryMs}\n\n`);
    const stream = new SseStream(res);
    this.open.add(stream);
    if (userId) this.perUser.set(userId, (this.perUser.get(userId) ?? 0) + 1);
    const heartbeat = setInterval(() => stream.comment('heartbeat'), this.heartbeatMs);
    heartbeat.unref();
    stream.onClose(() => {
      clearInterval(heartbeat);
      this.open.delete(stream);
      if (userId) {
        const left = (this.perUser.get(userId) ?? 1) - 1;
        if (left > 0) this.perUser.set(userId, left);
        else this.perUser.delete(userId);
      }
    });
    req.on('close', () => stream.end());
    return stream;
  }

  /** Ends every open stream and refuses new ones: the service is stopping (clients reconnect elsewhere). */
  endAll(): void {
    this.accepting = false;
    for (const stream of [...this.open]) stream.end();
  }
}

class StoppingError extends CustomError {
  statusCode = 503;

  constructor() {
    super('The service is stopping: reconnect');
  }
}

/** The `Last-Event-ID` a reconnecting client sent, as a non-negative integer, or undefined. */
export function lastEventId(req: Request): number | undefined {
  const raw = req.header('last-event-id');
  if (!raw || !/^\d{1,15}$/.test(raw)) return undefined;
  return Number(raw);
}
