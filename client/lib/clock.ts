import 'server-only';
import { cache } from 'react';

/**
 * "Now" for a server render: read once per request, so every component of the page agrees on it
 * (an order's hold is either over or not, everywhere on the page).
 */
export const requestTime = cache(() => Date.now());
