/**
 * Event helpers for tickets' tests: publish as a producer would, wait for events in the stream, and
 * watch the tickets consumers settle or redeliver.
 */
import {
  EVENTS_STREAM,
  type EventBus,
  type EventData,
  type EventSubject,
  type ServiceContext,
} from '@ticketing/common';
import {
  durableName,
  publishedEvents,
  readEvents,
  waitFor,
  type PublishedEvent,
} from '@ticketing/common/testing';
import { newId } from './factories';

/** Publishes an event as its producer would; each call is a distinct message (its own event id). */
export async function publishEvent<S extends EventSubject>(
  t: { ctx: ServiceContext },
  subject: S,
  data: EventData<S>,
): Promise<void> {
  await t.ctx.publisher.publish(subject, data, newId());
}

/** Waits until at least `count` events of `subject` are in the stream, and returns them all. */
export function waitForEvents<S extends EventSubject>(
  t: { bus: EventBus },
  subject: S,
  count: number,
): Promise<Array<PublishedEvent<S>>> {
  return waitFor(async () => {
    const events = await readEvents(t.bus.jsm, subject);
    return events.length >= count ? events : null;
  });
}

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
export async function redeliveries(t: { bus: EventBus }, subject: EventSubject): Promise<number> {
  const info = await t.bus.jsm.consumers.info(EVENTS_STREAM, durableName('tickets', subject));
  return info.num_redelivered;
}
