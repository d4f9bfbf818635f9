'use client';
import { useEffect, useRef, useState } from 'react';

/** `live` once a message arrived; `failed` when the page should poll instead. */
export type StreamState = 'connecting' | 'live' | 'failed';

/**
 * How long to wait for the first message after (re)connecting. The services send the current state
 * at once on every connect, so silence this long means a proxy is buffering or dropping the stream.
 */
export const STREAM_SILENCE_MS = 5_000;

export type StreamHandlers = Record<string, (data: unknown) => void>;

/**
 * After a stream failed, the first new attempt waits this long, each later one twice as long up to
 * STREAM_RETRY_MAX_MS (the page polls meanwhile). A service restarting answers 502/503, after which
 * the browser gives up on the stream for good: the page opens a new one.
 */
export const STREAM_RETRY_MS = 3_000;
export const STREAM_RETRY_MAX_MS = 60_000;

/**
 * Subscribes to a Server-Sent Events stream while mounted and `url` is set, calling `handlers[name]`
 * with each `event: name` message's parsed data. The browser reconnects by itself (sending
 * Last-Event-ID); the stream counts as failed — the page polls — when the browser gives up (CLOSED),
 * has no EventSource, or a (re)connection stays silent for STREAM_SILENCE_MS. A failed stream is opened
 * again after STREAM_RETRY_MS, backing off; its first message (the current state) makes it live again.
 */
export function useEventStream(url: string | null, handlers: StreamHandlers): StreamState {
  const [state, setState] = useState<StreamState>('connecting');
  // The latest handlers without reconnecting on every render (they close over the page's state).
  const handlersRef = useRef(handlers);
  useEffect(() => {
    handlersRef.current = handlers;
  });
  const names = Object.keys(handlers).sort().join(',');

  useEffect(() => {
    if (url === null) return;
    if (typeof EventSource === 'undefined') {
      // Asynchronously, as the browser would report a failed connection.
      const timer = setTimeout(() => setState('failed'), 0);
      return () => clearTimeout(timer);
    }
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let retryMs = STREAM_RETRY_MS;
    let source: EventSource | null = null;

    const fail = () => {
      clearTimeout(watchdog);
      source?.close();
      source = null;
      setState('failed');
      retry = setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, STREAM_RETRY_MAX_MS);
    };
    const awaitFirstMessage = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(fail, STREAM_SILENCE_MS);
    };
    const connect = () => {
      const opened = new EventSource(url);
      source = opened;
      awaitFirstMessage();
      opened.onerror = () => {
        if (opened.readyState === EventSource.CLOSED) fail();
        else awaitFirstMessage();
      };
      for (const name of names.split(',')) {
        opened.addEventListener(name, (message: MessageEvent<string>) => {
          clearTimeout(watchdog);
          retryMs = STREAM_RETRY_MS;
          setState('live');
          let data: unknown;
          try {
            data = JSON.parse(message.data);
          } catch {
            return;
          }
          handlersRef.current[name]?.(data);
        });
      }
    };

    connect();
    return () => {
      clearTimeout(watchdog);
      clearTimeout(retry);
      source?.close();
    };
  }, [url, names]);

  return state;
}
