/**
 * Server-Sent Event streams in a service's HTTP server: heartbeats while idle, the per-user cap, and the
 * graceful drain, which ends every open stream instead of waiting for it.
 */
import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../logger/logger';
import { startHttpServer } from '../service/health';
import { createHttpApp } from '../service/http-app';
import { openEventStream } from '../testing/event-stream';
import type { LiveStreams } from './sse';

async function serverWithStream(heartbeatMs: number) {
  const app = createHttpApp({
    logger: createLogger('sse-test', 'silent'),
    jwtKey: 'sse-test-key',
    secureCookies: false,
    liveStreams: { heartbeatMs, maxPerUser: 2 },
    routes(express) {
      express.get('/stream', (req, res) => {
        const user = typeof req.query.user === 'string' ? req.query.user : undefined;
        const stream = (req.app.locals.liveStreams as LiveStreams).start(req, res, user);
        stream.send({ id: 1, event: 'hello', data: { at: 'start' } });
      });
    },
  });
  const http = await startHttpServer({ port: 0, app, isReady: () => true });
  return { http, url: `http://127.0.0.1:${http.port}/stream` };
}

describe('live streams', () => {
  it('writes heartbeat comments while idle', async () => {
    const { http, url } = await serverWithStream(50);
    const stream = await openEventStream(url);

    expect(await stream.next()).toEqual({ id: '1', event: 'hello', data: { at: 'start' } });
    await new Promise((resolve) => setTimeout(resolve, 180));

    expect(stream.comments.filter((c) => c === 'heartbeat').length).toBeGreaterThanOrEqual(2);
    stream.close();
    await http.stopAccepting();
    await http.close();
  });

  it('caps the streams of one user, not of anonymous visitors', async () => {
    const { http, url } = await serverWithStream(15_000);
    const mine = [await openEventStream(`${url}?user=u1`), await openEventStream(`${url}?user=u1`)];
    const third = await openEventStream(`${url}?user=u1`);
    const anonymous = await openEventStream(url);

    expect(mine.map((s) => s.status)).toEqual([200, 200]);
    expect(third.status).toBe(429);
    expect(anonymous.status).toBe(200);
    for (const s of [...mine, anonymous]) s.close();
    await http.stopAccepting();
    await http.close();
  });

  it('ends open streams when the server stops accepting, so the drain does not wait on them', async () => {
    const { http, url } = await serverWithStream(15_000);
    const stream = await openEventStream(url);
    await stream.next();
    const ended = new Promise<void>((resolve) => stream.onEnd(resolve));

    const started = Date.now();
    await http.stopAccepting();

    await ended;
    expect(Date.now() - started).toBeLessThan(1_000);
    await http.close();
  });
});
