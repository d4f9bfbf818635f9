/** expiration's order.created listener: schedules the order's expiry job. */
import { Subjects, type EventData } from '@ticketing/common';
import { orderExpiryOf } from '../jobs/order-expiry';
import { QueueListener } from './queue.listener';

/** A hold started: schedule its end at `expiresAt`. A redelivery finds the job there and adds nothing. */
export class OrderCreatedListener extends QueueListener<typeof Subjects.OrderCreated> {
  readonly subject = Subjects.OrderCreated;

  async onMessage(data: EventData<typeof Subjects.OrderCreated>): Promise<void> {
    await this.expiration.schedule(orderExpiryOf(data));
  }
}
