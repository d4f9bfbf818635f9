/**
 * @jest-environment node
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

const incoming = new Headers();
jest.mock('next/headers', () => ({ headers: async () => incoming }));

import { forwardedHeaders, gatewayUrl, getServerApi } from './server';

describe('the API client on the server', () => {
  const saved = process.env.GATEWAY_URL;
  afterEach(() => {
    process.env.GATEWAY_URL = saved;
  });

  it("calls GATEWAY_URL with the visitor's cookie, host and request id, and nothing else of theirs", async () => {
    let seen: IncomingHttpHeaders = {};
    const server = createServer((req, res) => {
      seen = req.headers;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"currentUser":null}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    process.env.GATEWAY_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    incoming.set('cookie', 'session=eyJqd3QiOiJ4In0=');
    incoming.set('host', 'ticketing.dev');
    incoming.set('x-request-id', 'req-1');
    incoming.set('x-forwarded-for', '203.0.113.9');
    incoming.set('authorization', 'Basic c2VjcmV0');

    const user = await (await getServerApi()).currentUser();

    expect(user).toBeNull();
    expect(seen.cookie).toBe('session=eyJqd3QiOiJ4In0=');
    expect(seen.host).toBe('ticketing.dev');
    expect(seen['x-request-id']).toBe('req-1');
    expect(seen['x-forwarded-for']).toBeUndefined();
    expect(seen.authorization).toBeUndefined();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('forwards only the headers that are present', () => {
    expect(forwardedHeaders(new Headers({ cookie: 'a=b' }))).toEqual({ cookie: 'a=b' });
  });

  it('names GATEWAY_URL when it is not set', () => {
    delete process.env.GATEWAY_URL;
    expect(() => gatewayUrl()).toThrow(/GATEWAY_URL is not set/);
  });
});
