/**
 * order.cancelled in tickets: the ticket that order holds is unlocked, once; another order's hold
 * and a sold ticket are left alone, the cancelled order's late order.created does not lock it
 * again, and an unknown ticket is dead-lettered.
 */
import { describe, expect, it } from '@jest/globals';
import { TicketStatus, listDeadLetters } from '@ticketing/common';
import { useService, waitFor } from '@ticketing/common/testing';
import { readConfig } from '../config';
import { defineTicketsService } from '../service';
import { CancelledOrder } from '../models/cancelled-order.model';
import { Ticket } from '../models/ticket.model';
import { publishEvent, ticketUpdates, waitForConsumerIdle } from '../test/events';
import {
  buildTicket,
  newId,
  orderCreatedData,
  TICKETS_TEST_ENV,
  listedEventJson,
} from '../test/factories';

const t = useService(defineTicketsService, { readConfig, env: TICKETS_TEST_ENV });

function cancelled(orderId: string, ticketId: string) {
  return { id: orderId, version: 1, ticket: { id: ticketId } };
}

describe('order.cancelled listener', () => {
  it('unlocks the ticket held by that order and publishes ticket.updated without an order', async () => {
    const orderId = newId();
    const ticket = await buildTicket({ status: TicketStatus.Reserved, orderId });
    await t.startListeners();

    await publishEvent(t, 'order.cancelled', cancelled(orderId, ticket.id));

    const unlocked = await waitFor(async () => {
      const stored = await Ticket.findById(ticket.id).lean();
      return stored?.status === TicketStatus.Available ? stored : null;
    });
    expect(unlocked.version).toBe(1);
    expect(unlocked.orderId).toBeUndefined();
    const updates = await ticketUpdates(t);
    expect(updates.map((e) => e.data)).toEqual([
      {
        id: ticket.id,
        version: 1,
        title: 'Concert',
        price: 20,
        userId: ticket.userId,
        ...listedEventJson(ticket),
        status: 'available',
      },
    ]);
  });

  it('applies the same cancel delivered twice once: one change, one ticket.updated', async () => {
    const orderId = newId();
    const ticket = await buildTicket({ status: TicketStatus.Reserved, orderId });
    await publishEvent(t, 'order.cancelled', cancelled(orderId, ticket.id));
    await publishEvent(t, 'order.cancelled', cancelled(orderId, ticket.id));

    await t.startListeners();
    await waitForConsumerIdle(t, 'order.cancelled');

    expect(await Ticket.findById(ticket.id).lean()).toMatchObject({
      status: TicketStatus.Available,
      version: 1,
    });
    expect(await ticketUpdates(t)).toHaveLength(1);
    expect(await CancelledOrder.countDocuments({ _id: orderId })).toBe(1);
  });

  it("never unlocks another order's hold: a late cancel is acked and changes nothing", async () => {
    const holder = newId();
    const ticket = await buildTicket({ status: TicketStatus.Reserved, orderId: holder });
    await t.startListeners();

    await publishEvent(t, 'order.cancelled', cancelled(newId(), ticket.id));
    await waitForConsumerIdle(t, 'order.cancelled');

    expect(await Ticket.findById(ticket.id).lean()).toMatchObject({
      status: TicketStatus.Reserved,
      orderId: holder,
      version: 0,
    });
    expect(await ticketUpdates(t)).toEqual([]);
  });

  it('never unlocks a sold ticket', async () => {
    const buyerOrder = newId();
    const ticket = await buildTicket({ status: TicketStatus.Sold, orderId: buyerOrder });
    await t.startListeners();

    await publishEvent(t, 'order.cancelled', cancelled(buyerOrder, ticket.id));
    await waitForConsumerIdle(t, 'order.cancelled');

    expect(await Ticket.findById(ticket.id).lean()).toMatchObject({
      status: TicketStatus.Sold,
      orderId: buyerOrder,
      version: 0,
    });
    expect(await ticketUpdates(t)).toEqual([]);
  });

  it("does not lock again when the cancelled order's order.created is delivered once more", async () => {
    const ticket = await buildTicket({ price: 20 });
    const order = orderCreatedData({ id: ticket.id, price: 20 });
    await t.startListeners();
    await publishEvent(t, 'order.created', order);
    await waitFor(async () => (await Ticket.findById(ticket.id).lean())?.orderId === order.id);
    await publishEvent(t, 'order.cancelled', cancelled(order.id, ticket.id));
    await waitFor(
      async () => (await Ticket.findById(ticket.id).lean())?.status === TicketStatus.Available,
    );

    await publishEvent(t, 'order.created', order);
    await waitForConsumerIdle(t, 'order.created');

    expect(await Ticket.findById(ticket.id).lean()).toMatchObject({
      status: TicketStatus.Available,
      version: 2,
    });
    expect(await ticketUpdates(t)).toHaveLength(2);
  });

  it('moves a cancel for an unknown ticket to the dead-letter stream after max_deliver', async () => {
    await t.startListeners({ maxDeliver: 2 });
    const event = cancelled(newId(), newId());

    await publishEvent(t, 'order.cancelled', event);

    const [letter] = await waitFor(async () => {
      const letters = await listDeadLetters(t.bus.jsm, 'tickets');
      return letters.length > 0 ? letters : null;
    });
    expect(letter).toMatchObject({ subject: 'order.cancelled', deliveries: 2, data: event });
  });
});
