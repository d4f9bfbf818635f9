/**
 * One typed client of the HTTP contract for everything outside the services that talks to them over
 * HTTP: the bench's load, the fault suite's buyers and sellers, and the whole-backend and security
 * tests. `ApiClient` is one browser: it keeps the session cookie auth sets and sends it back, and has a
 * method per route. `sendRequest` is one stateless exchange with whatever method, path, body, headers and
 * cookie a test wants to throw at the stack.
 *
 * Neither throws on a 4xx/5xx: the status is the answer. A network failure (refused, reset, timed out)
 * rejects. Node's fetch (undici's global agent) keeps connections alive and reuses them per origin with no
 * cap on their number, which the bench's hundreds of concurrent buyers rely on.
 */
import type {
  CatalogEventJson,
  ChargeJson,
  Credentials,
  CurrentUserJson,
  EventDetailJson,
  EventInput,
  EventJson,
  EventQuery,
  OrderJson,
  PageQuery,
  PayoutAccountJson,
  PayoutsJson,
  QuoteJson,
  TicketChanges,
  TicketInput,
  TicketJson,
  TicketQuery,
  UserJson,
} from './types';

export interface ApiRequest {
  /** A string is sent as is; anything else as JSON, with a JSON content-type unless `headers` sets one. */
  body?: unknown;
  headers?: Record<string, string>;
  /** The `Cookie` header, exactly as given. */
  cookie?: string;
  /** Gives up (rejects) after this long. */
  timeoutMs?: number;
}

export interface ApiReply<T> {
  status: number;
  /**
   * The parsed JSON: the route's shape on success, `ErrorsJson` on a 4xx/5xx (check `status` first);
   * undefined when the answer is empty or not JSON (`text` has it).
   */
  body: T;
  text: string;
  headers: Headers;
  /** From sending the request to the answer's last byte, in milliseconds. */
  ms: number;
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** One request to `baseUrl` + `path`; redirects are answers too (never followed). */
export async function sendRequest<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  request: ApiRequest = {},
): Promise<ApiReply<T>> {
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (typeof request.body === 'string') {
    body = request.body;
  } else if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    headers['content-type'] = 'application/json';
  }
  if (request.cookie !== undefined) headers.cookie = request.cookie;
  Object.assign(headers, request.headers);
  const started = performance.now();
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body,
    redirect: 'manual',
    signal: request.timeoutMs === undefined ? undefined : AbortSignal.timeout(request.timeoutMs),
  });
  const text = await res.text();
  const ms = performance.now() - started;
  return { status: res.status, body: parseJson(text) as T, text, headers: res.headers, ms };
}

/** `?name=value&…` of the parameters given (undefined ones left out), or '' when there is none. */
function queryString(query: object = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

const segment = encodeURIComponent;

export interface ApiClientOptions {
  /** Every request gives up (rejects) after this long; by default it waits. */
  timeoutMs?: number;
}

/** One browser: its session cookie, the account it signed in as, and a method per route. */
export class ApiClient {
  /** `session=…` as auth set it last, sent with every request; '' until then. */
  cookie = '';
  /** The account of the last successful sign-up or sign-in; undefined once signed out. */
  user: UserJson | undefined;

  constructor(
    readonly baseUrl: string,
    private readonly options: ApiClientOptions = {},
  ) {}

  /** Any route, any body: what the typed methods below send, and what bad-input tests use directly. */
  async request<T = unknown>(
    method: string,
    path: string,
    request: Omit<ApiRequest, 'cookie'> = {},
  ): Promise<ApiReply<T>> {
    const reply = await sendRequest<T>(this.baseUrl, method, path, {
      timeoutMs: this.options.timeoutMs,
      ...request,
      cookie: this.cookie || undefined,
    });
    const setCookie = reply.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    return reply;
  }

  signUp(credentials: Credentials): Promise<ApiReply<UserJson>> {
    return this.signedIn(this.request('POST', '/api/users/signup', { body: credentials }));
  }

  signIn(credentials: Credentials): Promise<ApiReply<UserJson>> {
    return this.signedIn(this.request('POST', '/api/users/signin', { body: credentials }));
  }

  async signOut(): Promise<ApiReply<Record<string, never>>> {
    const reply = await this.request<Record<string, never>>('POST', '/api/users/signout', {
      body: {},
    });
    if (reply.status === 200) this.user = undefined;
    return reply;
  }

  /** A new password; every other session of the user ends, this one gets a fresh cookie. */
  changePassword(currentPassword: string, newPassword: string): Promise<ApiReply<UserJson>> {
    return this.request('PUT', '/api/users/password', { body: { currentPassword, newPassword } });
  }

  /** Ends every other session of the user; this one gets a fresh cookie. */
  signOutEverywhere(): Promise<ApiReply<UserJson>> {
    return this.request('POST', '/api/users/signout-everywhere', { body: {} });
  }

  currentUser(): Promise<ApiReply<CurrentUserJson>> {
    return this.request('GET', '/api/users/currentuser');
  }

  /** Tickets that can be bought (of events not started yet), newest first unless `sort` says otherwise. */
  listTickets(query?: TicketQuery): Promise<ApiReply<TicketJson[]>> {
    return this.request('GET', `/api/tickets${queryString(query)}`);
  }

  /** Adds an event to the catalogue (201), or answers the same one already there (200). */
  createEvent(input: EventInput): Promise<ApiReply<CatalogEventJson>> {
    return this.request('POST', '/api/events', { body: input });
  }

  /** Events that have not started, soonest first, with their listings' count and lowest price. */
  listEvents(query?: EventQuery): Promise<ApiReply<EventJson[]>> {
    return this.request('GET', `/api/events${queryString(query)}`);
  }

  getEvent(id: string): Promise<ApiReply<EventDetailJson>> {
    return this.request('GET', `/api/events/${segment(id)}`);
  }

  /** The signed-in seller's own tickets, whatever their status (never cached). */
  listMyTickets(page?: PageQuery): Promise<ApiReply<TicketJson[]>> {
    return this.request('GET', `/api/tickets/mine${queryString(page)}`);
  }

  getTicket(id: string): Promise<ApiReply<TicketJson>> {
    return this.request('GET', `/api/tickets/${segment(id)}`);
  }

  createTicket(ticket: TicketInput): Promise<ApiReply<TicketJson>> {
    return this.request('POST', '/api/tickets', { body: ticket });
  }

  updateTicket(id: string, ticket: TicketChanges): Promise<ApiReply<TicketJson>> {
    return this.request('PUT', `/api/tickets/${segment(id)}`, { body: ticket });
  }

  createOrder(ticketId: string): Promise<ApiReply<OrderJson>> {
    return this.request('POST', '/api/orders', { body: { ticketId } });
  }

  listOrders(): Promise<ApiReply<OrderJson[]>> {
    return this.request('GET', '/api/orders');
  }

  getOrder(id: string): Promise<ApiReply<OrderJson>> {
    return this.request('GET', `/api/orders/${segment(id)}`);
  }

  /** 204 with no body once cancelled. */
  cancelOrder(id: string): Promise<ApiReply<undefined>> {
    return this.request('DELETE', `/api/orders/${segment(id)}`);
  }

  /** `token`: a card token; the sandbox gateway knows `tok_visa` and `tok_chargeDeclined`. */
  pay(orderId: string, token: string): Promise<ApiReply<ChargeJson>> {
    return this.request('POST', '/api/payments', { body: { orderId, token } });
  }

  /** What a listing at this ask costs its buyer and pays its seller. */
  quote(price: number | string): Promise<ApiReply<QuoteJson>> {
    return this.request('GET', `/api/tickets/quote${queryString({ price })}`);
  }

  /** The signed-in seller's payouts, newest first, with the pending and paid totals. */
  listPayouts(): Promise<ApiReply<PayoutsJson>> {
    return this.request('GET', '/api/payments/payouts');
  }

  getPayoutAccount(): Promise<ApiReply<PayoutAccountJson>> {
    return this.request('GET', '/api/payments/account');
  }

  /** The Stripe Connect account (`acct_…`) the signed-in seller's payouts go to. */
  setPayoutAccount(stripeAccountId: string): Promise<ApiReply<PayoutAccountJson>> {
    return this.request('PUT', '/api/payments/account', { body: { stripeAccountId } });
  }

  private async signedIn(sent: Promise<ApiReply<UserJson>>): Promise<ApiReply<UserJson>> {
    const reply = await sent;
    if (reply.status === 200 || reply.status === 201) this.user = reply.body;
    return reply;
  }
}
