/**
 * Event helpers for orders' listener tests: publish an event as its producer would, wait for events
 * in the stream and for an orders consumer to settle, and confirm a hold as tickets would.
 */
import {
  EVENTS_STREAM,
  Subjects,
  TicketStatus,
  type EventBus,
  type EventSubject,
  type ServiceContext,
} from '@ticketing/common';
import {
  durableName,
  publishEvent,
  redeliveries as consumerRedeliveries,
  waitFor,
} from '@ticketing/common/testing';
import type { buildTicket } from './factories';
import { replicaOf } from './service-under-test';

export { publishEvent, waitForEvents } from '@ticketing/common/testing';

function consumerInfo(t: { bus: EventBus }, subject: EventSubject) {
  return t.bus.jsm.consumers.info(EVENTS_STREAM, durableName('orders', subject));
}

/** True once the orders consumer of `subject` has settled everything it was given. */
export async function drained(t: { bus: EventBus }, subject: EventSubject): Promise<boolean> {
  const info = await consumerInfo(t, subject);
  return info.num_pending === 0 && info.num_ack_pending === 0 && info.delivered.stream_seq > 0;
}

/** How often the orders consumer of `subject` delivered messages more than once. */
export function redeliveries(t: { bus: EventBus }, subject: EventSubject): Promise<number> {
  return consumerRedeliveries(t, 'orders', subject);
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
