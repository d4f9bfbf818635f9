/**
 * The base of expiration's listeners: each one acts on the expiration queue (schedules an order's expiry,
 * or drops it), which the service hands to every listener it creates.
 */
import {
  Listener,
  type EventSubject,
  type ListenerContext,
  type ListenerOptions,
} from '@ticketing/common';
import type { ExpirationQueue } from '../jobs/expiration.queue';

export abstract class QueueListener<S extends EventSubject> extends Listener<S> {
  constructor(
    ctx: ListenerContext,
    protected readonly expiration: ExpirationQueue,
    options?: ListenerOptions,
  ) {
    super(ctx, options);
  }
}
