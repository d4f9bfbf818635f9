/**
 * Every subject orders consumes, sent malformed (a field missing, a field of the wrong type) about an
 * order and a listing that are in its database: each is dead-lettered at once with its reason, and no
 * order or replica changes.
 */
import { describe, expect, it } from '@jest/globals';
import { Subjects, TicketStatus } from '@ticketing/common';
import {
  expectMalformedEventsDeadLettered,
  malformedEvents,
  useService,
} from '@ticketing/common/testing';
import { readConfig } from '../config';
import { defineOrdersService } from '../service';
import { buildTicket } from '../test/factories';
import { placeOrder } from '../test/service-under-test';

const t = useService(defineOrdersService, { readConfig });

describe('malformed events', () => {
  it('dead-letters each malformed event with its reason and changes no order or listing', async () => {
    const { order, ticket } = await placeOrder(t, 20);
    const other = await buildTicket({ price: 30 });
    await t.service.relay?.drain();
    const charge = { id: 'ch_1', version: 1, orderId: order.id, amount: 2000 };
    const listing = { ...other, version: 1, status: TicketStatus.Available };
    const listeners = await t.startListeners();

    await expectMalformedEventsDeadLettered(t.bus, 'orders', [
      ...malformedEvents(Subjects.UserCreated),
      ...malformedEvents(Subjects.UserUpdated),
      ...malformedEvents(Subjects.TicketCreated),
      ...malformedEvents(Subjects.TicketUpdated, listing),
      ...malformedEvents(Subjects.TicketHoldRefused, {
        id: order.id,
        version: 0,
        ticket: { id: ticket.id, price: 25 },
        reason: 'price-changed',
      }),
      ...malformedEvents(Subjects.OrderExpired, { id: order.id, version: 0 }),
      ...malformedEvents(Subjects.ChargeSucceeded, charge),
      ...malformedEvents(Subjects.ChargeFailed, { ...charge, reason: 'card_declined' }),
      ...malformedEvents(Subjects.ChargeRefunded, { ...charge, stripeRefundId: 're_1' }),
    ]);
    expect(listeners.map((l) => l.subject).sort()).toEqual(
      [
        Subjects.UserCreated,
        Subjects.UserUpdated,
        Subjects.ChargeFailed,
        Subjects.ChargeRefunded,
        Subjects.ChargeSucceeded,
        Subjects.OrderExpired,
        Subjects.TicketCreated,
        Subjects.TicketHoldRefused,
        Subjects.TicketUpdated,
      ].sort(),
    );
  });
});
