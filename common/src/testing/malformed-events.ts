/**
 * Malformed events, for the test every consuming service has: a payload with a field missing or of the
 * wrong type is dead-lettered at its first delivery with the schema's reason, and nothing in the
 * consumer's store changes (the listener base class checks common's schema before any handler runs).
 */
import { randomUUID } from 'node:crypto';
import { expect } from '@jest/globals';
import mongoose from 'mongoose';
import type { EventData, EventSubject } from '../events';
import { HoldRefusal } from '../events/events';
import { EventCategory, OrderStatus, Subjects, TicketStatus } from '../events/subjects';
import type { EventBus } from '../nats/connection';
import { listDeadLetters, type DeadLetter } from '../nats/dead-letter';
import { waitFor } from './wait-for';

const oid = () => new mongoose.Types.ObjectId().toHexString();

/** A valid payload of `subject`, as its producer would send it. */
export function sampleEventData<S extends EventSubject>(subject: S): EventData<S> {
  const eventId = oid();
  const ticket = {
    id: oid(),
    version: 0,
    title: 'Concert',
    price: 20,
    userId: oid(),
    eventId,
    event: {
      id: eventId,
      name: 'Concert',
      venue: 'Arena',
      city: 'Springfield',
      category: EventCategory.Concert,
      startsAt: new Date(Date.now() + 30 * 24 * 60 * 60 * 1000).toISOString(),
      timeZone: 'America/Chicago',
    },
    section: 'A',
    row: '1',
    seat: '1',
  };
  const samples: { [K in EventSubject]: () => EventData<K> } = {
    [Subjects.UserCreated]: () => ({
      id: oid(),
      version: 0,
      email: 'fan@example.com',
      sessionsValidFrom: new Date().toISOString(),
    }),
    [Subjects.UserUpdated]: () => ({
      id: oid(),
      version: 1,
      email: 'fan@example.com',
      sessionsValidFrom: new Date().toISOString(),
    }),
    [Subjects.TicketCreated]: () => ({ ...ticket, status: TicketStatus.Available }),
    [Subjects.TicketUpdated]: () => ({ ...ticket, version: 1, status: TicketStatus.Available }),
    [Subjects.TicketHoldRefused]: () => ({
      id: oid(),
      version: 0,
      ticket: { id: ticket.id, price: 30 },
      reason: HoldRefusal.PriceChanged,
    }),
    [Subjects.OrderCreated]: () => ({
      id: oid(),
      version: 0,
      status: OrderStatus.Created,
      userId: oid(),
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
      amount: { price: 20, fee: 3.5, total: 23.5 },
      ticket: {
        id: ticket.id,
        price: 20,
        title: ticket.title,
        userId: ticket.userId,
        event: {
          id: eventId,
          name: ticket.event.name,
          startsAt: ticket.event.startsAt,
          timeZone: ticket.event.timeZone,
        },
      },
    }),
    [Subjects.OrderCancelled]: () => ({ id: oid(), version: 1, ticket: { id: ticket.id } }),
    [Subjects.OrderExpired]: () => ({ id: oid(), version: 0 }),
    [Subjects.OrderCompleted]: () => ({ id: oid(), version: 1, ticket: { id: ticket.id } }),
    [Subjects.ChargeSucceeded]: () => ({ id: oid(), version: 1, orderId: oid(), amount: 2000 }),
    [Subjects.ChargeFailed]: () => ({
      id: oid(),
      version: 1,
      orderId: oid(),
      amount: 2000,
      reason: 'card_declined',
    }),
    [Subjects.ChargeRefunded]: () => ({
      id: oid(),
      version: 2,
      orderId: oid(),
      amount: 2000,
      stripeRefundId: 're_1',
    }),
    [Subjects.PayoutCreated]: () => ({
      id: oid(),
      version: 0,
      orderId: oid(),
      ticketId: ticket.id,
      userId: ticket.userId,
      amount: 19,
      availableAt: new Date(Date.now() + 60_000).toISOString(),
    }),
    [Subjects.PayoutPaid]: () => ({
      id: oid(),
      version: 1,
      orderId: oid(),
      ticketId: ticket.id,
      userId: ticket.userId,
      amount: 19,
      transferId: 'tr_1',
    }),
  };
  return samples[subject]() as EventData<S>;
}

export interface MalformedEvent {
  subject: EventSubject;
  /** What is wrong with it, for the test's name. */
  flaw: string;
  data: Record<string, unknown>;
  /** The field the dead letter's reason must name. */
  field: string;
}

/**
 * Two broken copies of a valid payload of `subject` (by default its sample; a test passes one that names
 * what is in the consumer's store, so that applying it would change something): its own first field
 * (after id and version) missing, and its version a string.
 */
export function malformedEvents<S extends EventSubject>(
  subject: S,
  valid: EventData<S> = sampleEventData(subject),
): MalformedEvent[] {
  const sample = valid as unknown as Record<string, unknown>;
  const missing = Object.keys(sample).find((key) => key !== 'id' && key !== 'version') ?? 'version';
  const { [missing]: _dropped, ...withoutField } = sample;
  return [
    { subject, flaw: `without ${missing}`, data: withoutField, field: missing },
    {
      subject,
      flaw: 'with a version that is a string',
      data: { ...sample, version: 'one' },
      field: 'version',
    },
  ];
}

/** Every document of every model's collection on mongoose's default connection, in _id order. */
export async function databaseSnapshot(): Promise<Record<string, unknown[]>> {
  const snapshot: Record<string, unknown[]> = {};
  for (const model of Object.values(mongoose.connection.models)) {
    snapshot[model.collection.name] = await model.collection.find().sort({ _id: 1 }).toArray();
  }
  return snapshot;
}

/**
 * Publishes each malformed event to `service`'s running listeners and checks that each one reached the
 * dead-letter stream at its first delivery, with a reason naming the broken field, while `snapshot` (the
 * consumer's store) stayed as it was.
 */
export async function expectMalformedEventsDeadLettered(
  bus: EventBus,
  service: string,
  events: readonly MalformedEvent[],
  snapshot: () => Promise<unknown> = databaseSnapshot,
): Promise<void> {
  const before = await snapshot();
  const sent = new Map<string, MalformedEvent>();
  for (const event of events) {
    const eventId = randomUUID();
    sent.set(eventId, event);
    await bus.js.publish(event.subject, JSON.stringify(event.data), { msgID: eventId });
  }

  const letters = await waitFor(async () => {
    const found = (await listDeadLetters(bus.jsm, service)).filter(
      (letter): letter is DeadLetter & { eventId: string } =>
        letter.eventId !== null && sent.has(letter.eventId),
    );
    return found.length === sent.size && found;
  }, 10_000);
  for (const letter of letters) {
    const event = sent.get(letter.eventId)!;
    expect({ flaw: event.flaw, ...letter }).toEqual(
      expect.objectContaining({
        flaw: event.flaw,
        subject: event.subject,
        deliveries: 1,
        data: event.data,
        error: expect.stringMatching(
          new RegExp(
            `^payload is not a valid ${event.subject.replace('.', '\\.')}: .*${event.field}`,
          ),
        ),
      }),
    );
  }
  expect(await snapshot()).toEqual(before);
}
