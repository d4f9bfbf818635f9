/**
 * The answer to a client that failed too often: 429 with how long to wait.
 */
import type { Request, Response } from 'express';
import { TooManyRequestsError } from '@ticketing/common';
import type { Refusal } from '../domain/failure-limits';

/** Sets `Retry-After` (seconds) and throws the 429 the error middleware answers. */
export function refuseTooManyFailures(res: Response, refusal: Refusal, message: string): never {
  res.set('Retry-After', String(refusal.retryAfterSeconds));
  throw new TooManyRequestsError(message);
}

/**
 * The client address failures count against: the socket's, or the one the single trusted proxy hop
 * (the gateway, ingress-nginx) put in X-Forwarded-For (common's http-app trusts one hop).
 */
export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
