/**
 * order.created: adds the order to the replica, so payments can decide a payment without asking orders.
 */
import {
  Listener,
  Subjects,
  insertReplicaOnce,
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

/** Adds a new order to the replica; a redelivery finds it there and changes nothing. */
export class OrderCreatedListener extends Listener<typeof Subjects.OrderCreated> {
  readonly subject = Subjects.OrderCreated;

  constructor(ctx: ListenerContext, options: ListenerOptions = {}) {
    super(ctx, { ackWaitMs: ORDER_CREATED_ACK_WAIT_MS, ...options });
  }

  async onMessage(data: EventData<typeof Subjects.OrderCreated>): Promise<void> {
    const { id, version, status, userId, expiresAt, amount, ticket } = data;
    await insertReplicaOnce(Order, id, {
      version,
      status,
      userId,
      expiresAt: new Date(expiresAt),
      amount,
      ticket: {
        id: ticket.id,
        title: ticket.title,
        userId: ticket.userId,
        event: {
          name: ticket.event.name,
          startsAt: new Date(ticket.event.startsAt),
          timeZone: ticket.event.timeZone,
        },
      },
    });
  }
}
