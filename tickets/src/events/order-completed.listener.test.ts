/**
 * order.completed in tickets: the ticket held by that order is sold once, a completion that
 * overtakes its lock waits for it, and a whole purchase goes lock, cancel, lock by another buyer,
 * sale.
 */
import { describe, expect, it } from '@jest/globals';
import { TicketStatus } from '@ticketing/common';
import { useService, waitFor } from '@ticketing/common/testing';
import { readConfig } from '../config';
import { defineTicketsService } from '../service';
import { Ticket } from '../models/ticket.model';
import { publishEvent, redeliveries, ticketUpdates, waitForConsumerIdle } from '../test/events';
import {
  buildTicket,
  newId,
  orderCreatedData,
  TICKETS_TEST_ENV,
  listedEventJson,
} from '../test/factories';

const t = useService(defineTicketsService, { readConfig, env: TICKETS_TEST_ENV });

function completed(orderId: string, ticketId: string) {
  return { id: orderId, version: 1, ticket: { id: ticketId } };
}

function waitForStatus(ticketId: string, status: TicketStatus) {
  return waitFor(async () => {
    const stored = await Ticket.findById(ticketId).lean();
    return stored?.status === status ? stored : null;
  });
}

describe('order.completed listener', () => {
  it('marks the ticket held by that order sold, keeping the order id, and publishes ticket.updated', async () => {
    const orderId = newId();
    const ticket = await buildTicket({ status: TicketStatus.Reserved, orderId });
    await t.startListeners();

    await publishEvent(t, 'order.completed', completed(orderId, ticket.id));

    const sold = await waitForStatus(ticket.id, TicketStatus.Sold);
    expect(sold).toMatchObject({ orderId, version: 1 });
    const updates = await ticketUpdates(t);
    expect(updates.map((e) => e.data)).toEqual([
      {
        id: ticket.id,
        version: 1,
        title: 'Concert',
        price: 20,
        userId: ticket.userId,
        ...listedEventJson(ticket),
        status: 'sold',
        orderId,
      },
    ]);
  });

  it('applies the same completion delivered twice once: one change, one ticket.updated', async () => {
    const orderId = newId();
    const ticket = await buildTicket({ status: TicketStatus.Reserved, orderId });
    await publishEvent(t, 'order.completed', completed(orderId, ticket.id));
    await publishEvent(t, 'order.completed', completed(orderId, ticket.id));

    await t.startListeners();
    await waitForConsumerIdle(t, 'order.completed');

    expect(await Ticket.findById(ticket.id).lean()).toMatchObject({
      status: TicketStatus.Sold,
      version: 1,
    });
    expect(await ticketUpdates(t)).toHaveLength(1);
  });

  it('waits (not acked) for a completion that overtook its lock, then sells once the lock is applied', async () => {
    const ticket = await buildTicket({ price: 20 });
    const order = orderCreatedData({ id: ticket.id, price: 20 });
    await publishEvent(t, 'order.completed', completed(order.id, ticket.id));
    await t.startListeners();

    await waitFor(async () => (await redeliveries(t, 'order.completed')) > 0);
    expect(await Ticket.findById(ticket.id).lean()).toMatchObject({
      status: TicketStatus.Available,
      version: 0,
    });
    await publishEvent(t, 'order.created', order);

    const sold = await waitForStatus(ticket.id, TicketStatus.Sold);
    expect(sold).toMatchObject({ orderId: order.id, version: 2 });
    await waitForConsumerIdle(t, 'order.completed');
    const updates = await ticketUpdates(t);
    expect(updates.map((e) => [e.data.version, e.data.status, e.data.orderId])).toEqual([
      [1, 'reserved', order.id],
      [2, 'sold', order.id],
    ]);
  });

  it('takes a ticket through a whole purchase: lock, cancel, lock by another buyer, sale', async () => {
    const ticket = await buildTicket({ price: 20 });
    const first = orderCreatedData({ id: ticket.id, price: 20 });
    const second = orderCreatedData({ id: ticket.id, price: 20 });
    await t.startListeners();

    await publishEvent(t, 'order.created', first);
    await waitForStatus(ticket.id, TicketStatus.Reserved);
    await publishEvent(t, 'order.cancelled', {
      id: first.id,
      version: 1,
      ticket: { id: ticket.id },
    });
    await waitForStatus(ticket.id, TicketStatus.Available);
    await publishEvent(t, 'order.created', second);
    await waitForStatus(ticket.id, TicketStatus.Reserved);
    await publishEvent(t, 'order.completed', completed(second.id, ticket.id));

    const sold = await waitForStatus(ticket.id, TicketStatus.Sold);
    expect(sold).toMatchObject({ orderId: second.id, version: 4 });
    const updates = await ticketUpdates(t);
    expect(updates.map((e) => [e.data.version, e.data.status, e.data.orderId])).toEqual([
      [1, 'reserved', first.id],
      [2, 'available', undefined],
      [3, 'reserved', second.id],
      [4, 'sold', second.id],
    ]);
  });
});
