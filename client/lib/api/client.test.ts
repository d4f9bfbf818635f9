/**
 * @jest-environment node
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApi, createHttp } from './client';
import { ApiError } from './errors';

interface Seen {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A stand-in gateway: records each request and answers with what the test queued. */
async function startGateway(
  reply: (seen: Seen) => { status: number; headers?: Record<string, string>; body?: string },
) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const request = { method: req.method, url: req.url, headers: req.headers, body };
      seen.push(request);
      const answer = reply(request);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('the API client', () => {
  it('sends the forwarded cookie with every request to the base URL', async () => {
    const gateway = await startGateway(() => ({
      status: 200,
      body: JSON.stringify({ currentUser: { id: 'u1', email: 'a@b.co' } }),
    }));
    const api = createApi(createHttp({ baseURL: gateway.url, headers: { cookie: 'session=abc' } }));

    const user = await api.currentUser();

    expect(user).toEqual({ id: 'u1', email: 'a@b.co' });
    expect(gateway.seen[0]).toMatchObject({ method: 'GET', url: '/api/users/currentuser' });
    expect(gateway.seen[0]?.headers.cookie).toBe('session=abc');
    await gateway.close();
  });

  it('reads a page of tickets and the next page from X-Next-Page', async () => {
    const ticket = {
      id: 't1',
      title: 'Show',
      price: 10,
      userId: 'u',
      version: 0,
      status: 'available',
      eventId: 'e1',
    };
    const gateway = await startGateway(() => ({
      status: 200,
      headers: { 'X-Next-Page': '3' },
      body: JSON.stringify([ticket]),
    }));
    const api = createApi(createHttp({ baseURL: gateway.url }));

    const page = await api.listTickets({ eventId: 'e1', sort: '-price', page: 2, limit: 5 });

    expect(gateway.seen[0]?.url).toBe('/api/tickets?limit=5&eventId=e1&sort=-price&page=2');
    expect(page).toEqual({ items: [ticket], nextPage: 3 });
    await gateway.close();
  });

  it('has no next page when X-Next-Page is absent', async () => {
    const gateway = await startGateway(() => ({ status: 200, body: '[]' }));
    const api = createApi(createHttp({ baseURL: gateway.url }));

    expect(await api.listTickets()).toEqual({ items: [], nextPage: null });
    await gateway.close();
  });

  it('leaves empty filters out of an event search, so a blank form field filters nothing', async () => {
    const gateway = await startGateway(() => ({ status: 200, body: '[]' }));
    const api = createApi(createHttp({ baseURL: gateway.url }));

    await api.listEvents({ q: 'jazz night', city: '', category: '', from: '2027-06-01', page: 1 });

    expect(gateway.seen[0]?.url).toBe('/api/events?limit=12&q=jazz+night&from=2027-06-01&page=1');
    await gateway.close();
  });

  it('posts JSON bodies and returns the created resource', async () => {
    const gateway = await startGateway((seen) => ({ status: 201, body: seen.body }));
    const api = createApi(createHttp({ baseURL: gateway.url }));

    const created = await api.createTicket({ eventId: 'e1', price: 12.5, row: 'B' });

    expect(gateway.seen[0]).toMatchObject({ method: 'POST', url: '/api/tickets' });
    expect(gateway.seen[0]?.headers['content-type']).toMatch(/application\/json/);
    expect(created).toEqual({ eventId: 'e1', price: 12.5, row: 'B' });
    await gateway.close();
  });

  it('tells a new event (201) from the same one already in the catalogue (200)', async () => {
    const event = { id: 'e1', name: 'Gig', venue: 'Hall', city: 'Oslo', category: 'concert' };
    const statuses = [201, 200];
    const gateway = await startGateway(() => ({
      status: statuses.shift() ?? 500,
      body: JSON.stringify(event),
    }));
    const api = createApi(createHttp({ baseURL: gateway.url }));
    const input = {
      name: 'Gig',
      venue: 'Hall',
      city: 'Oslo',
      category: 'concert' as const,
      startsAt: '2027-06-01T18:00:00.000Z',
      timeZone: 'Europe/Oslo',
    };

    const first = await api.createEvent(input);
    const again = await api.createEvent(input);

    expect(gateway.seen[0]).toMatchObject({ method: 'POST', url: '/api/events' });
    expect(JSON.parse(gateway.seen[0]!.body)).toEqual(input);
    expect(first).toEqual({ event, created: true });
    expect(again).toEqual({ event, created: false });
    await gateway.close();
  });

  it("turns an {errors} answer into an ApiError with the service's messages and fields", async () => {
    const errors = [
      {
        message: 'Price must be a number from 0.50 to 1,000,000 with at most 2 decimals',
        field: 'price',
      },
      { message: 'Ticket is reserved' },
    ];
    const gateway = await startGateway(() => ({ status: 400, body: JSON.stringify({ errors }) }));
    const api = createApi(createHttp({ baseURL: gateway.url }));

    const failure = await api.updateTicket('t1', { title: 'x', price: 0 }).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(ApiError);
    const apiError = failure as ApiError;
    expect(apiError.status).toBe(400);
    expect(apiError.errors).toEqual(errors);
    expect(apiError.fieldMessages('price')).toEqual([errors[0]!.message]);
    await gateway.close();
  });

  it('gives a readable message when the answer is not the error shape', async () => {
    const gateway = await startGateway(() => ({ status: 502, body: 'Bad gateway' }));
    const api = createApi(createHttp({ baseURL: gateway.url }));

    const failure = (await api.listOrders().catch((e: unknown) => e)) as ApiError;

    expect(failure.status).toBe(502);
    expect(failure.message).toBe('The service is not available right now. Please try again.');
    await gateway.close();
  });

  it('reports an unreachable gateway as status 0', async () => {
    const gateway = await startGateway(() => ({ status: 200 }));
    await gateway.close();
    const api = createApi(createHttp({ baseURL: gateway.url }));

    const failure = (await api.getTicket('t1').catch((e: unknown) => e)) as ApiError;

    expect(failure).toBeInstanceOf(ApiError);
    expect(failure.status).toBe(0);
    expect(failure.message).toMatch(/could not reach the server/i);
  });

  it('asks for the quote of an ask in the query, and reads the fees and the payout', async () => {
    const quote = { price: 40, fee: 5.5, total: 45.5, sellerFee: 2, payout: 38 };
    const gateway = await startGateway(() => ({ status: 200, body: JSON.stringify(quote) }));
    const api = createApi(createHttp({ baseURL: gateway.url }));

    expect(await api.quote(40)).toEqual(quote);
    expect(gateway.seen[0]).toMatchObject({ method: 'GET', url: '/api/tickets/quote?price=40' });
    await gateway.close();
  });

  it("reads the seller's payouts and puts their payout account", async () => {
    const payouts = { payouts: [], totals: { pending: 0, paid: 0 } };
    const gateway = await startGateway((seen) =>
      seen.method === 'PUT'
        ? { status: 200, body: seen.body }
        : { status: 200, body: JSON.stringify(payouts) },
    );
    const api = createApi(createHttp({ baseURL: gateway.url }));

    expect(await api.listPayouts()).toEqual(payouts);
    expect(await api.setPayoutAccount({ stripeAccountId: 'acct_1' })).toEqual({
      stripeAccountId: 'acct_1',
    });
    expect(gateway.seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/payments/payouts',
      'PUT /api/payments/account',
    ]);
    await gateway.close();
  });

  it('changes the password and signs out everywhere as the signed-in user', async () => {
    const user = { id: 'u1', email: 'ann@example.com' };
    const gateway = await startGateway(() => ({ status: 200, body: JSON.stringify(user) }));
    const api = createApi(createHttp({ baseURL: gateway.url, headers: { cookie: 'session=abc' } }));

    expect(
      await api.changePassword({ currentPassword: 'correct horse', newPassword: 'battery staple' }),
    ).toEqual(user);
    expect(await api.signOutEverywhere()).toEqual(user);
    expect(gateway.seen.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual([
      'PUT /api/users/password {"currentPassword":"correct horse","newPassword":"battery staple"}',
      'POST /api/users/signout-everywhere {}',
    ]);
    expect(gateway.seen.every((r) => r.headers.cookie === 'session=abc')).toBe(true);
    await gateway.close();
  });

  it("reads a 429's Retry-After", async () => {
    const gateway = await startGateway(() => ({
      status: 429,
      headers: { 'Retry-After': '120' },
      body: JSON.stringify({ errors: [{ message: 'Too many failed attempts, try again later' }] }),
    }));
    const api = createApi(createHttp({ baseURL: gateway.url }));

    const failure = (await api
      .changePassword({ currentPassword: 'guess', newPassword: 'battery staple' })
      .catch((e: unknown) => e)) as ApiError;

    expect(failure.status).toBe(429);
    expect(failure.message).toBe('Too many failed attempts, try again later');
    expect(failure.retryAfterSeconds).toBe(120);
    await gateway.close();
  });

  it('escapes ids put in the path', async () => {
    const gateway = await startGateway(() => ({
      status: 404,
      body: '{"errors":[{"message":"Order not found"}]}',
    }));
    const api = createApi(createHttp({ baseURL: gateway.url }));

    await api.getOrder('../users/currentuser').catch(() => undefined);

    expect(gateway.seen[0]?.url).toBe('/api/orders/..%2Fusers%2Fcurrentuser');
    await gateway.close();
  });
});
