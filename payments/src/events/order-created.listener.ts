import {
  Listener,
  Subjects,
  serialized,
  type EventData,
  type ListenerContext,
  type ListenerOptions,
} from '@ticketing/common';
import { Order } from '../models/order.model';

/**
 * JetStream redelivers a message a crashed process had received only after `ack_wait`. Until then the
 * buyer of that order cannot pay (the replica does not have it), so this cheap, idempotent handler gets a
 * short one: a redelivery to a handler that is merely slow does no harm.
 */
export const ORDER_CREATED_ACK_WAIT_MS = 5_000;

/**
 * Adds a new order to the replica; a redelivery finds it there and changes nothing.
 *
 * The insert is queued behind this process's transactions (`serialized`): the embedded engine (jongodb)
 * silently drops a plain insert of a document that a concurrent transaction tried to update and
 * did not find — exactly what the order.cancelled listener does when order.cancelled arrives first — and
 * that order.cancelled would then wait for the replica until it is dead-lettered (found by the fault
 * suite).
 */
export class OrderCreatedListener extends Listener<typeof Subjects.OrderCreated> {
  readonly subject = Subjects.OrderCreated;

  constructor(ctx: ListenerContext, options: ListenerOptions = {}) {
    super(ctx, { ackWaitMs: ORDER_CREATED_ACK_WAIT_MS, ...options });
  }

  async onMessage(data: EventData<typeof Subjects.OrderCreated>): Promise<void> {
    const { id, version, status, userId, expiresAt, ticket } = data;
    try {
      await serialized(() =>
        Order.updateOne(
          { _id: id },
          {
            $setOnInsert: {
              version,
              status,
              userId,
              expiresAt: new Date(expiresAt),
              price: ticket.price,
            },
          },
          { upsert: true },
        ),
      );
    } catch (err) {
      // Two deliveries raced to insert: the other one won, which is the same outcome.
      if ((err as { code?: number }).code !== 11000) throw err;
    }
  }
}
