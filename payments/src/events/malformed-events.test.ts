/**
 * Every subject payments consumes, sent malformed (a field missing, a field of the wrong type) about an
 * order in its replica: each is dead-lettered at once with its reason, and no order, charge or payout
 * changes.
 */
import { describe, expect, it } from '@jest/globals';
import { Subjects } from '@ticketing/common';
import {
  expectMalformedEventsDeadLettered,
  malformedEvents,
  useService,
} from '@ticketing/common/testing';
import { readConfig } from '../config';
import { definePaymentsService } from '../service';
import { buildOrder, orderCreatedData } from '../test/factories';
import { useRecordingGateway } from '../test/recording-gateway';

const gateway = useRecordingGateway();
const t = useService(definePaymentsService, { readConfig, tuning: { gateway, recovery: false } });

describe('malformed events', () => {
  it('dead-letters each malformed order event with its reason and changes no order', async () => {
    const order = await buildOrder({ price: 20 });
    const listeners = await t.startListeners();

    await expectMalformedEventsDeadLettered(t.bus, 'payments', [
      ...malformedEvents(Subjects.UserCreated),
      ...malformedEvents(Subjects.UserUpdated),
      ...malformedEvents(Subjects.OrderCreated, orderCreatedData()),
      ...malformedEvents(Subjects.OrderCancelled, {
        id: order.id,
        version: 1,
        ticket: { id: order.id },
      }),
      ...malformedEvents(Subjects.OrderCompleted, {
        id: order.id,
        version: 1,
        ticket: { id: order.ticket.id },
      }),
    ]);
    expect(listeners.map((l) => l.subject).sort()).toEqual(
      [
        Subjects.UserCreated,
        Subjects.UserUpdated,
        Subjects.OrderCancelled,
        Subjects.OrderCompleted,
        Subjects.OrderCreated,
      ].sort(),
    );
  });
});
