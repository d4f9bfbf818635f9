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
 * Subscribes to a Server-Sent Events stream while mounted and `url` is set, calling `handlers[name]`
 * with each `event: name` message's parsed data. The browser reconnects by itself (sending
 * Last-Event-ID); the stream counts as failed, for good, when the browser gives up (CLOSED), has no
 * EventSource, or a (re)connection stays silent for STREAM_SILENCE_MS.
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
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    let source: EventSource | null = null;
    const fail = () => {
      clearTimeout(watchdog);
      source?.close();
      setState('failed');
    };
    const awaitFirstMessage = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(fail, STREAM_SILENCE_MS);
    };
    if (typeof EventSource === 'undefined') {
      // Asynchronously, as the browser would report a failed connection.
      watchdog = setTimeout(fail, 0);
      return () => clearTimeout(watchdog);
    }

    source = new EventSource(url);
    awaitFirstMessage();
    source.onerror = () => {
      if (source?.readyState === EventSource.CLOSED) fail();
      else awaitFirstMessage();
    };
    for (const name of names.split(',')) {
      source.addEventListener(name, (message: MessageEvent<string>) => {
        clearTimeout(watchdog);
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
    return () => {
      clearTimeout(watchdog);
      source?.close();
    };
  }, [url, names]);

  return state;
}
