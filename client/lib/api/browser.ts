import { createApi, createHttp } from './client';

/**
 * The browser's API client: same-origin relative URLs, so the gateway (or ingress-nginx) that served
 * the page routes the call and the browser sends the session cookie itself.
 */
export const browserApi = createApi(createHttp({ baseURL: '' }));
