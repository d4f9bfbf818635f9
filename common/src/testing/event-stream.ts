/**
 * A Server-Sent Events client for tests: opens a stream over plain HTTP and hands over its messages one at
 * a time, parsed (`id`, `event`, `data` as JSON), with the response's status and headers.
 */
import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';

export interface StreamMessage {
  id?: string;
  event?: string;
  data: unknown;
}

export interface TestEventStream {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body of an answer that is not a stream (an error). */
  body: string;
  /** The next message, waiting up to `timeoutMs`; rejects when none comes. */
  next(timeoutMs?: number): Promise<StreamMessage>;
  /** Comment lines seen so far (heartbeats). */
  comments: string[];
  /** Runs `fn` when the stream ends (the server ended it, or the connection broke). */
  onEnd(fn: () => void): void;
  close(): void;
}

export function openEventStream(
  url: string,
  options: { cookie?: string; lastEventId?: string } = {},
): Promise<TestEventStream> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: {
        accept: 'text/event-stream',
        ...(options.cookie ? { cookie: options.cookie } : {}),
        ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}),
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const queue: StreamMessage[] = [];
      const waiters: Array<(message: StreamMessage) => void> = [];
      const stream: TestEventStream = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        body: '',
        comments: [],
        next(timeoutMs = 5_000) {
          const ready = queue.shift();
          if (ready) return Promise.resolve(ready);
          return new Promise((resolveNext, rejectNext) => {
            const timer = setTimeout(() => {
              waiters.splice(waiters.indexOf(wake), 1);
              rejectNext(new Error(`no stream message within ${timeoutMs} ms`));
            }, timeoutMs);
            const wake = (message: StreamMessage) => {
              clearTimeout(timer);
              resolveNext(message);
            };
            waiters.push(wake);
          });
        },
        onEnd: (fn) => res.once('close', fn),
        close: () => req.destroy(),
      };
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (!String(res.headers['content-type']).startsWith('text/event-stream')) {
          stream.body += chunk;
          return;
        }
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const message: Partial<StreamMessage> & { lines: string[] } = { lines: [] };
          for (const line of frame.split('\n')) {
            if (line.startsWith(':')) stream.comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) message.id = line.slice(4);
            else if (line.startsWith('event: ')) message.event = line.slice(7);
            else if (line.startsWith('data: ')) message.lines.push(line.slice(6));
          }
          if (message.lines.length === 0) continue;
          const parsed: StreamMessage = {
            ...(message.id !== undefined ? { id: message.id } : {}),
            ...(message.event ? { event: message.event } : {}),
            data: JSON.parse(message.lines.join('\n')),
          };
          const waiter = waiters.shift();
          if (waiter) waiter(parsed);
          else queue.push(parsed);
        }
      });
      // A stream is handed over as soon as its headers are in (it never ends by itself); an error answer
      // once its whole body has arrived.
      if (String(res.headers['content-type']).startsWith('text/event-stream')) resolve(stream);
      else res.on('end', () => resolve(stream));
    });
    req.end();
  });
}
