/**
 * ticket.hold-refused in orders: the order is cancelled once, with the reason the buyer sees, and
 * order.cancelled is published; the ticket is free for the next buyer at once.
 */
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { OrderStatus, Subjects } from '@ticketing/common';
import { buildUser, publishedEvents, waitFor } from '@ticketing/common/testing';
import { publishEvent } from '../test/events';
import { orderOf, placeOrder, useOrdersWithListeners } from '../test/service-under-test';

const t = useOrdersWithListeners();

describe('ticket.hold-refused listener', () => {
  it('cancels the order with the reason the buyer sees and publishes order.cancelled, once', async () => {
    const { order, ticket, buyer } = await placeOrder(t, 20);
    const refusal = {
      id: order.id,
      version: 0,
      ticket: { id: ticket.id, price: 30 },
      reason: 'price-changed' as const,
    };

    await publishEvent(t, Subjects.TicketHoldRefused, refusal);
    await publishEvent(t, Subjects.TicketHoldRefused, refusal);

    const cancelled = await waitFor(async () => {
      const o = await orderOf(order.id);
      return o?.status === OrderStatus.Cancelled ? o : null;
    });
    expect(cancelled.holdsTicket).toBeUndefined();
    const shown = await request(t.url).get(`/api/orders/${order.id}`).set('Cookie', buyer.cookie);
    expect(shown.body).toMatchObject({
      status: 'cancelled',
      cancellation: { reason: 'price-changed', message: 'The price changed to $30' },
    });
    const events = await publishedEvents(t, 'order.cancelled');
    expect(events.map((e) => e.data)).toEqual([
      { id: order.id, version: 1, ticket: { id: ticket.id } },
    ]);
  });

  it('frees the ticket for the next buyer at once', async () => {
    const { order, ticket } = await placeOrder(t, 20);

    await publishEvent(t, Subjects.TicketHoldRefused, {
      id: order.id,
      version: 0,
      ticket: { id: ticket.id, price: 30 },
      reason: 'price-changed',
    });
    await waitFor(async () => (await orderOf(order.id))?.status === OrderStatus.Cancelled);

    await request(t.url)
      .post('/api/orders')
      .set('Cookie', buildUser().cookie)
      .send({ ticketId: ticket.id })
      .expect(201);
  });
});
