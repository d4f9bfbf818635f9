/**
 * Publishing events to JetStream, deduplicated by event id.
 */
import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import type { EventData, EventSubject } from '../events';

/**
 * Publishes typed events to JetStream and waits for the stream's ack. `eventId` becomes `Nats-Msg-Id`, so
 * publishing the same event twice inside the stream's duplicate window stores it once.
 */
export class EventPublisher {
  constructor(private readonly js: JetStreamClient) {}

  publish<S extends EventSubject>(
    subject: S,
    data: EventData<S>,
    eventId: string,
  ): Promise<PubAck> {
    return this.publishRaw(subject, data, eventId);
  }

  /** For the event relay, whose stored events are typed only by their subject string. */
  publishRaw(subject: string, data: unknown, eventId: string): Promise<PubAck> {
    return this.js.publish(subject, JSON.stringify(data), { msgID: eventId });
  }
}
