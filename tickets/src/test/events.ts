/**
 * Event helpers for tickets' tests: publish as a producer would, wait for events in the stream, and
 * watch the tickets consumers settle or redeliver.
 */
import { EVENTS_STREAM, type EventBus, type EventSubject } from '@ticketing/common';
import {
  durableName,
  publishedEvents,
  redeliveries as consumerRedeliveries,
  waitFor,
  type PublishedEvent,
} from '@ticketing/common/testing';

export { publishEvent, waitForEvents } from '@ticketing/common/testing';

/** Every `ticket.updated` published so far, once none is pending any more (so none is still on its way). */
export async function ticketUpdates(t: {
  bus: EventBus;
}): Promise<Array<PublishedEvent<'ticket.updated'>>> {
  return publishedEvents(t, 'ticket.updated');
}

/** Waits until the tickets consumer of `subject` has been handed and has settled everything published. */
export async function waitForConsumerIdle(
  t: { bus: EventBus },
  subject: EventSubject,
): Promise<void> {
  await waitFor(async () => {
    const info = await t.bus.jsm.consumers.info(EVENTS_STREAM, durableName('tickets', subject));
    return info.num_pending === 0 && info.num_ack_pending === 0;
  });
}

/** How often the tickets consumer of `subject` delivered messages more than once. */
export function redeliveries(t: { bus: EventBus }, subject: EventSubject): Promise<number> {
  return consumerRedeliveries(t, 'tickets', subject);
}
