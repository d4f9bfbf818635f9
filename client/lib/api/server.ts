import 'server-only';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { createApi, createHttp, type Api } from './client';
import { ApiError } from './errors';
import type { CurrentUser } from './types';

/** Request headers passed on to the gateway: the session, and what ties the call to the page's request. */
const FORWARDED_HEADERS = ['cookie', 'host', 'x-request-id'] as const;

/**
 * Where server-side rendering reaches the APIs: the local gateway (`npm start` sets it) or
 * ingress-nginx's Service in the cluster. Read per request, so one build runs anywhere.
 */
export function gatewayUrl(): string {
  const url = process.env.GATEWAY_URL;
  if (!url) {
    throw new Error(
      'GATEWAY_URL is not set: the client needs the URL of the gateway or ingress for server-side API calls',
    );
  }
  return url.replace(/\/+$/, '');
}

/** Picks the headers to forward from the page request's headers. */
export function forwardedHeaders(incoming: Pick<Headers, 'get'>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = incoming.get(name);
    if (value) result[name] = value;
  }
  return result;
}

/** The API as the visitor of the page being rendered: their cookie goes with every call. */
export const getServerApi = cache(async (): Promise<Api> => {
  const incoming = await headers();
  return createApi(createHttp({ baseURL: gatewayUrl(), headers: forwardedHeaders(incoming) }));
});

/** Who is signed in, asked once per page render. */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const api = await getServerApi();
  return api.currentUser();
});

/** True when `err` is an ApiError with one of `statuses`. */
export function isApiStatus(err: unknown, ...statuses: number[]): err is ApiError {
  return err instanceof ApiError && statuses.includes(err.status);
}

/** The signed-in user; anyone else is sent to sign in and then brought back to `returnTo`. */
export async function requireSignedIn(returnTo: string): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/auth/signin?next=${encodeURIComponent(returnTo)}`);
  return user;
}

/** One read of a ticket per page render, shared by the page and its metadata. */
export const getTicket = cache(async (id: string) => (await getServerApi()).getTicket(id));

/** One read of an order per page render, shared by the page and its metadata. */
export const getOrder = cache(async (id: string) => (await getServerApi()).getOrder(id));

/** One read of an event per page render, shared by the page and its metadata. */
export const getEvent = cache(async (id: string) => (await getServerApi()).getEvent(id));

export type Checked<T> = { ok: true; value: T } | { ok: false; messages: string[] };

/**
 * The call's answer, or the service's messages when it refused the request as bad (a 400): a list
 * whose filters come from the URL shows what is wrong with them instead of failing the page.
 */
export async function unlessBadRequest<T>(call: Promise<T>): Promise<Checked<T>> {
  try {
    return { ok: true, value: await call };
  } catch (err) {
    if (isApiStatus(err, 400)) return { ok: false, messages: err.errors.map((e) => e.message) };
    throw err;
  }
}
