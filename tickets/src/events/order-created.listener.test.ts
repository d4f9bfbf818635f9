/**
 * order.created in tickets: an available ticket is locked once at the order's price, or the hold is
 * refused (stale price, sold); a held ticket waits; a cancelled order never locks; an unknown
 * ticket or non-JSON is dead-lettered.
 */
import { describe, expect, it } from '@jest/globals';
import { headers } from '@nats-io/transport-node';
import { TicketStatus, listDeadLetters } from '@ticketing/common';
import { publishedEvents, useService, waitFor } from '@ticketing/common/testing';
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

function readTicket(id: string) {
  return Ticket.findById(id).lean();
}

describe('order.created listener', () => {
  it('locks an available ticket for the order at its price and publishes ticket.updated', async () => {
    const ticket = await buildTicket({ price: 20 });
    const order = orderCreatedData({ id: ticket.id, price: 20 });
    await t.startListeners();

    await publishEvent(t, 'order.created', order);

    const locked = await waitFor(async () => {
      const stored = await readTicket(ticket.id);
      return stored?.status === TicketStatus.Reserved ? stored : null;
    });
    expect(locked).toMatchObject({ orderId: order.id, price: 20, version: 1 });
    const updates = await ticketUpdates(t);
    expect(updates.map((e) => e.data)).toEqual([
      {
        id: ticket.id,
        version: 1,
        title: 'Concert',
        price: 20,
        userId: ticket.userId,
        ...listedEventJson(ticket),
        status: 'reserved',
        orderId: order.id,
      },
    ]);
  });

  it('applies the same event delivered twice once: one change, one ticket.updated', async () => {
    const ticket = await buildTicket({ price: 20 });
    const order = orderCreatedData({ id: ticket.id, price: 20 });
    await publishEvent(t, 'order.created', order);
    await publishEvent(t, 'order.created', order);

    await t.startListeners();
    await waitForConsumerIdle(t, 'order.created');

    expect(await readTicket(ticket.id)).toMatchObject({
      status: TicketStatus.Reserved,
      orderId: order.id,
      version: 1,
    });
    expect(await ticketUpdates(t)).toHaveLength(1);
  });

  it('refuses the hold when the order was priced on a stale listing: ticket.hold-refused, ticket unchanged', async () => {
    const ticket = await buildTicket({ price: 25 });
    await t.startListeners();
    const order = orderCreatedData({ id: ticket.id, price: 20 });

    await publishEvent(t, 'order.created', order);
    await publishEvent(t, 'order.created', order);
    await waitForConsumerIdle(t, 'order.created');

    expect(await readTicket(ticket.id)).toMatchObject({
      status: TicketStatus.Available,
      price: 25,
      version: 0,
    });
    expect((await readTicket(ticket.id))!.orderId).toBeUndefined();
    expect(await redeliveries(t, 'order.created')).toBe(0);
    expect(await ticketUpdates(t)).toEqual([]);
    // Decided twice (a redelivery), stored once: the refusal's id is derived from the order.
    const refusals = await publishedEvents(t, 'ticket.hold-refused');
    expect(refusals.map((e) => e.data)).toEqual([
      { id: order.id, version: 0, ticket: { id: ticket.id, price: 25 }, reason: 'price-changed' },
    ]);
  });

  it('leaves a sold ticket alone and refuses the hold', async () => {
    const buyerOrder = newId();
    const ticket = await buildTicket({ status: TicketStatus.Sold, orderId: buyerOrder });
    await t.startListeners();

    await publishEvent(t, 'order.created', orderCreatedData({ id: ticket.id, price: 20 }));
    await waitForConsumerIdle(t, 'order.created');

    expect(await readTicket(ticket.id)).toMatchObject({
      status: TicketStatus.Sold,
      orderId: buyerOrder,
      version: 0,
    });
    expect(await ticketUpdates(t)).toEqual([]);
    const refusals = await publishedEvents(t, 'ticket.hold-refused');
    expect(refusals.map((e) => e.data.reason)).toEqual(['sold']);
  });

  it('waits (not acked) while another order holds the ticket, and locks once that hold is cancelled', async () => {
    const first = newId();
    const ticket = await buildTicket({ price: 20, status: TicketStatus.Reserved, orderId: first });
    const second = orderCreatedData({ id: ticket.id, price: 20 });
    await t.startListeners();

    await publishEvent(t, 'order.created', second);
    await waitFor(async () => (await redeliveries(t, 'order.created')) > 0);
    expect(await readTicket(ticket.id)).toMatchObject({ orderId: first, version: 0 });
    await publishEvent(t, 'order.cancelled', {
      id: first,
      version: 1,
      ticket: { id: ticket.id },
    });

    const locked = await waitFor(async () => {
      const stored = await readTicket(ticket.id);
      return stored?.orderId === second.id ? stored : null;
    });
    expect(locked).toMatchObject({ status: TicketStatus.Reserved, version: 2 });
    const updates = await ticketUpdates(t);
    expect(updates.map((e) => [e.data.version, e.data.status, e.data.orderId])).toEqual([
      [1, 'available', undefined],
      [2, 'reserved', second.id],
    ]);
  });

  it('leaves no ticket locked for a cancelled order when its order.created and order.cancelled race', async () => {
    const tickets = await Promise.all(Array.from({ length: 30 }, () => buildTicket({ price: 20 })));
    await t.startListeners();

    await Promise.all(
      tickets.map(async (ticket) => {
        const order = orderCreatedData({ id: ticket.id, price: 20 });
        await Promise.all([
          publishEvent(t, 'order.created', order),
          publishEvent(t, 'order.cancelled', {
            id: order.id,
            version: 1,
            ticket: { id: ticket.id },
          }),
        ]);
      }),
    );
    await waitForConsumerIdle(t, 'order.created');
    await waitForConsumerIdle(t, 'order.cancelled');

    const stored = await Ticket.find({ _id: { $in: tickets.map((x) => x.id) } }).lean();
    expect(stored.filter((x) => x.status !== TicketStatus.Available || x.orderId)).toEqual([]);
  });

  it('never locks for an order whose order.cancelled overtook its order.created', async () => {
    const ticket = await buildTicket({ price: 20 });
    const order = orderCreatedData({ id: ticket.id, price: 20 });
    await publishEvent(t, 'order.cancelled', {
      id: order.id,
      version: 1,
      ticket: { id: ticket.id },
    });
    await publishEvent(t, 'order.created', order);
    await t.startListeners({}, ['order.cancelled']);
    await waitForConsumerIdle(t, 'order.cancelled');

    await t.startListeners({}, ['order.created']);
    await waitForConsumerIdle(t, 'order.created');

    expect(await readTicket(ticket.id)).toMatchObject({
      status: TicketStatus.Available,
      version: 0,
    });
    expect(await ticketUpdates(t)).toEqual([]);
  });

  it('moves an order.created for an unknown ticket to the dead-letter stream after max_deliver', async () => {
    const order = orderCreatedData({ id: newId(), price: 20 });
    await t.startListeners({ maxDeliver: 2 });

    await publishEvent(t, 'order.created', order);

    const [letter, ...others] = await waitFor(async () => {
      const letters = await listDeadLetters(t.bus.jsm, 'tickets');
      return letters.length > 0 ? letters : null;
    });
    expect(others).toEqual([]);
    expect(letter).toMatchObject({
      service: 'tickets',
      subject: 'order.created',
      deliveries: 2,
      error: `Ticket ${order.ticket.id} does not exist`,
      data: order,
    });
    await waitForConsumerIdle(t, 'order.created');
    expect(await Ticket.countDocuments()).toBe(0);
  });

  it('moves a payload that is not JSON to the dead-letter stream at once', async () => {
    await t.startListeners({ maxDeliver: 2 });
    const h = headers();
    h.set('Nats-Msg-Id', newId());

    await t.bus.js.publish('order.created', 'not json {', { headers: h });

    const [letter] = await waitFor(async () => {
      const letters = await listDeadLetters(t.bus.jsm, 'tickets');
      return letters.length > 0 ? letters : null;
    });
    expect(letter).toMatchObject({
      subject: 'order.created',
      deliveries: 1,
      error: 'payload is not valid JSON',
      data: 'not json {',
    });
  });
});
