/**
 * Events for tests: publishing as a producer would, the events stream in order, what a process
 * published once nothing is pending, and how a consumer redelivered.
 */
import { randomUUID } from 'node:crypto';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { EventData, EventSubject } from '../events';
import type { EventBus } from '../nats/connection';
import { EVENTS_STREAM } from '../nats/streams';
import { countPendingEvents } from '../pending-events';
import { waitFor } from './wait-for';

import { durableName } from '../nats/listener';
import type { ServiceContext } from '../service/run-service';

// The consumer names tests look up are the ones the listeners create, from the same function.
export { durableName };

export interface PublishedEvent<S extends EventSubject = EventSubject> {
  subject: S;
  seq: number;
  eventId: string | null;
  data: EventData<S>;
}

/** Every message stored in the events stream (optionally of one subject), oldest first. */
export async function readEvents<S extends EventSubject = EventSubject>(
  jsm: JetStreamManager,
  subject?: S,
): Promise<Array<PublishedEvent<S>>> {
  const { state } = await jsm.streams.info(EVENTS_STREAM);
  const events: Array<PublishedEvent<S>> = [];
  if (state.messages === 0) return events;
  for (let seq = state.first_seq; seq <= state.last_seq; seq++) {
    const m = await jsm.streams.getMessage(EVENTS_STREAM, { seq }).catch(() => null);
    if (!m || (subject && m.subject !== subject)) continue;
    events.push({
      subject: m.subject as S,
      seq,
      eventId: m.header?.get('Nats-Msg-Id') || null,
      data: m.json<EventData<S>>(),
    });
  }
  return events;
}

/**
 * What this process has published (on `subject`, or all), read once no event is left pending, so no event is
 * still on its way: the way to assert "exactly one event" or "no event" (the relay removes what it sent).
 */
export async function publishedEvents<S extends EventSubject = EventSubject>(
  env: { bus: EventBus },
  subject?: S,
): Promise<Array<PublishedEvent<S>>> {
  await waitFor(async () => (await countPendingEvents()) === 0);
  return readEvents(env.bus.jsm, subject);
}

/** Publishes an event as its producer would; each call is a distinct message (its own event id). */
export async function publishEvent<S extends EventSubject>(
  t: { ctx: ServiceContext },
  subject: S,
  data: EventData<S>,
): Promise<void> {
  await t.ctx.publisher.publish(subject, data, randomUUID());
}

/** Waits until at least `count` events of `subject` are in the stream, and returns them all. */
export function waitForEvents<S extends EventSubject>(
  t: { bus: EventBus },
  subject: S,
  count = 1,
): Promise<Array<PublishedEvent<S>>> {
  return waitFor(async () => {
    const events = await readEvents(t.bus.jsm, subject);
    return events.length >= count ? events : null;
  });
}

/** How often `service`'s consumer of `subject` delivered messages more than once. */
export async function redeliveries(
  t: { bus: EventBus },
  service: string,
  subject: EventSubject,
): Promise<number> {
  const info = await t.bus.jsm.consumers.info(EVENTS_STREAM, durableName(service, subject));
  return info.num_redelivered;
}
