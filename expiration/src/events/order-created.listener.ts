/**
 * order.created → the hold's expiry is scheduled in the job queue.
 */
import {
  Listener,
  Subjects,
  type EventData,
  type ListenerContext,
  type ListenerOptions,
} from '@ticketing/common';
import type { ExpirationQueue } from '../jobs/expiration.queue';
import { orderExpiryOf } from '../jobs/order-expiry';

/** A hold started: schedule its end at `expiresAt`. A redelivery finds the job there and adds nothing. */
export class OrderCreatedListener extends Listener<typeof Subjects.OrderCreated> {
  readonly subject = Subjects.OrderCreated;

  constructor(
    ctx: ListenerContext,
    private readonly expiration: ExpirationQueue,
    options?: ListenerOptions,
  ) {
    super(ctx, options);
  }

  async onMessage(data: EventData<typeof Subjects.OrderCreated>): Promise<void> {
    await this.expiration.schedule(orderExpiryOf(data));
  }
}
