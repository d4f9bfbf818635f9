/**
 * Every subject tickets consumes, sent malformed (a field missing, a field of the wrong type) about
 * listings that are in its database: each is dead-lettered at once with its reason, and no listing changes.
 */
import { describe, expect, it } from '@jest/globals';
import { Subjects, TicketStatus } from '@ticketing/common';
import {
  expectMalformedEventsDeadLettered,
  malformedEvents,
  useService,
} from '@ticketing/common/testing';
import { readConfig } from '../config';
import { defineTicketsService } from '../service';
import { buildTicket, newId, orderCreatedData, TICKETS_TEST_ENV } from '../test/factories';

const t = useService(defineTicketsService, { readConfig, env: TICKETS_TEST_ENV });

describe('malformed events', () => {
  it('dead-letters each malformed order event with its reason and changes no listing', async () => {
    const available = await buildTicket({ price: 20 });
    const orderId = newId();
    const reserved = await buildTicket({ status: TicketStatus.Reserved, orderId });
    const finished = { id: orderId, version: 1, ticket: { id: reserved.id as string } };
    const listeners = await t.startListeners();

    await expectMalformedEventsDeadLettered(t.bus, 'tickets', [
      ...malformedEvents(Subjects.UserCreated),
      ...malformedEvents(Subjects.UserUpdated),
      ...malformedEvents(
        Subjects.OrderCreated,
        orderCreatedData({ id: available.id as string, price: 20 }),
      ),
      ...malformedEvents(Subjects.OrderCancelled, finished),
      ...malformedEvents(Subjects.OrderCompleted, finished),
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
