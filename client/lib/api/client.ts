import axios, { type AxiosInstance } from 'axios';
import { toApiError } from './errors';
import type {
  CatalogEvent,
  Charge,
  CurrentUser,
  EventDetail,
  EventInput,
  EventQuery,
  EventSummary,
  Order,
  Page,
  PayoutAccount,
  PayoutsPage,
  Quote,
  Ticket,
  TicketChanges,
  TicketInput,
  TicketQuery,
} from './types';

export interface HttpOptions {
  /** '' in the browser (same origin as the page); the gateway's URL on the server. */
  baseURL: string;
  /** Sent with every request (the server forwards the visitor's cookie this way). */
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** An axios instance whose failures are ApiErrors carrying the services' `{errors}`. */
export function createHttp({ baseURL, headers, timeoutMs = 10_000 }: HttpOptions): AxiosInstance {
  const http = axios.create({ baseURL, headers, timeout: timeoutMs });
  http.interceptors.response.use(undefined, (err: unknown) => Promise.reject(toApiError(err)));
  return http;
}

export const TICKETS_PER_PAGE = 12;
export const EVENTS_PER_PAGE = 12;

function nextPageFrom(header: unknown): number | null {
  const page = Number(header);
  return Number.isInteger(page) && page > 0 ? page : null;
}

/** The query's parameters that say something: undefined and empty ones are left out of the URL. */
function queryParams(query: object): Record<string, string | number> {
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(query)) {
    if (typeof value === 'number' || (typeof value === 'string' && value !== '')) {
      params[name] = value;
    }
  }
  return params;
}

/** Every route of the HTTP contract the client uses, typed. */
export function createApi(http: AxiosInstance) {
  return {
    async currentUser(): Promise<CurrentUser | null> {
      const res = await http.get<{ currentUser: CurrentUser | null }>('/api/users/currentuser');
      return res.data.currentUser;
    },
    async signUp(body: { email: string; password: string }): Promise<CurrentUser> {
      return (await http.post<CurrentUser>('/api/users/signup', body)).data;
    },
    async signIn(body: { email: string; password: string }): Promise<CurrentUser> {
      return (await http.post<CurrentUser>('/api/users/signin', body)).data;
    },
    async signOut(): Promise<void> {
      await http.post('/api/users/signout', {});
    },
    /** Sets a new password; this session gets a fresh cookie, every other one is signed out. */
    async changePassword(body: {
      currentPassword: string;
      newPassword: string;
    }): Promise<CurrentUser> {
      return (await http.put<CurrentUser>('/api/users/password', body)).data;
    },
    /** Ends every other session of the user; this one gets a fresh cookie and stays signed in. */
    async signOutEverywhere(): Promise<CurrentUser> {
      return (await http.post<CurrentUser>('/api/users/signout-everywhere', {})).data;
    },

    /** Events that have not started, soonest first, searched and filtered; a 400 names a bad filter. */
    async listEvents(query: EventQuery = {}): Promise<Page<EventSummary>> {
      const params = queryParams({ limit: EVENTS_PER_PAGE, ...query });
      const res = await http.get<EventSummary[]>('/api/events', { params });
      return { items: res.data, nextPage: nextPageFrom(res.headers['x-next-page']) };
    },
    /** The event with its available listings, cheapest first. */
    async getEvent(id: string): Promise<EventDetail> {
      return (await http.get<EventDetail>(`/api/events/${encodeURIComponent(id)}`)).data;
    },
    /** Adds the event; `created` is false when the same one was in the catalogue already (200). */
    async createEvent(body: EventInput): Promise<{ event: CatalogEvent; created: boolean }> {
      const res = await http.post<CatalogEvent>('/api/events', body);
      return { event: res.data, created: res.status === 201 };
    },

    /** Tickets that can be bought (of events not started), newest first unless `sort` says otherwise. */
    async listTickets(query: TicketQuery = {}): Promise<Page<Ticket>> {
      const params = queryParams({ limit: TICKETS_PER_PAGE, ...query });
      const res = await http.get<Ticket[]>('/api/tickets', { params });
      return { items: res.data, nextPage: nextPageFrom(res.headers['x-next-page']) };
    },
    /** The signed-in seller's own tickets, whatever their status. */
    async listMyTickets(page = 1, limit = TICKETS_PER_PAGE): Promise<Page<Ticket>> {
      const res = await http.get<Ticket[]>('/api/tickets/mine', { params: { page, limit } });
      return { items: res.data, nextPage: nextPageFrom(res.headers['x-next-page']) };
    },
    async getTicket(id: string): Promise<Ticket> {
      return (await http.get<Ticket>(`/api/tickets/${encodeURIComponent(id)}`)).data;
    },
    /** What buyers would pay for an ask of `price` dollars and what its seller would receive. */
    async quote(price: number): Promise<Quote> {
      return (await http.get<Quote>('/api/tickets/quote', { params: { price } })).data;
    },
    async createTicket(body: TicketInput): Promise<Ticket> {
      return (await http.post<Ticket>('/api/tickets', body)).data;
    },
    async updateTicket(id: string, body: TicketChanges): Promise<Ticket> {
      return (await http.put<Ticket>(`/api/tickets/${encodeURIComponent(id)}`, body)).data;
    },

    async createOrder(ticketId: string): Promise<Order> {
      return (await http.post<Order>('/api/orders', { ticketId })).data;
    },
    async listOrders(): Promise<Order[]> {
      return (await http.get<Order[]>('/api/orders')).data;
    },
    async getOrder(id: string): Promise<Order> {
      return (await http.get<Order>(`/api/orders/${encodeURIComponent(id)}`)).data;
    },
    async cancelOrder(id: string): Promise<void> {
      await http.delete(`/api/orders/${encodeURIComponent(id)}`);
    },

    async pay(body: { orderId: string; token: string }): Promise<Charge> {
      return (await http.post<Charge>('/api/payments', body)).data;
    },
    /** The signed-in seller's payouts, newest first, with the pending and paid sums. */
    async listPayouts(): Promise<PayoutsPage> {
      return (await http.get<PayoutsPage>('/api/payments/payouts')).data;
    },
    async getPayoutAccount(): Promise<PayoutAccount> {
      return (await http.get<PayoutAccount>('/api/payments/account')).data;
    },
    /** Connects the Stripe account (`acct_…`) the seller's payouts go to. */
    async setPayoutAccount(body: { stripeAccountId: string }): Promise<PayoutAccount> {
      return (await http.put<PayoutAccount>('/api/payments/account', body)).data;
    },
  };
}

export type Api = ReturnType<typeof createApi>;
