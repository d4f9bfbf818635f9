/**
 * Event helpers for orders' listener tests: publish an event as its producer would, wait for events
 * in the stream and for an orders consumer to settle, and confirm a hold as tickets would.
 */
import { randomUUID } from 'node:crypto';
import {
  EVENTS_STREAM,
  Subjects,
  TicketStatus,
  type EventBus,
  type EventData,
  type EventSubject,
  type ServiceContext,
} from '@ticketing/common';
import { durableName, readEvents, waitFor } from '@ticketing/common/testing';
import type { buildTicket } from './factories';
import { replicaOf } from './service-under-test';

/** Publishes an event as its producer would; each call is a distinct message (its own event id). */
export function publishEvent<S extends EventSubject>(
  t: { ctx: ServiceContext },
  subject: S,
  data: EventData<S>,
) {
  return t.ctx.publisher.publish(subject, data, randomUUID());
}

/** Waits until at least one event of `subject` is in the stream, and returns them all. */
export function waitForEvents<S extends EventSubject>(t: { bus: EventBus }, subject: S) {
  return waitFor(async () => {
    const found = await readEvents(t.bus.jsm, subject);
    return found.length ? found : null;
  });
}

function consumerInfo(t: { bus: EventBus }, subject: EventSubject) {
  return t.bus.jsm.consumers.info(EVENTS_STREAM, durableName('orders', subject));
}

/** True once the orders consumer of `subject` has settled everything it was given. */
export async function drained(t: { bus: EventBus }, subject: EventSubject): Promise<boolean> {
  const info = await consumerInfo(t, subject);
  return info.num_pending === 0 && info.num_ack_pending === 0 && info.delivered.stream_seq > 0;
}

/** How often the orders consumer of `subject` delivered messages more than once. */
export async function redeliveries(t: { bus: EventBus }, subject: EventSubject): Promise<number> {
  return (await consumerInfo(t, subject)).num_redelivered;
}

/** What tickets publishes when it locks the listing for an order: the hold is confirmed. */
export async function confirmHold(
  t: { ctx: ServiceContext },
  ticket: Awaited<ReturnType<typeof buildTicket>>,
  orderId: string,
) {
  await publishEvent(t, Subjects.TicketUpdated, {
    ...ticket,
    version: ticket.version + 1,
    status: TicketStatus.Reserved,
    orderId,
  });
  await waitFor(async () => (await replicaOf(ticket.id))?.orderId === orderId);
}
