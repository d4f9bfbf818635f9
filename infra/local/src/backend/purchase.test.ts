/**
 * The purchase through the gateway on the whole backend: a sale from listing to sold, one winner among
 * 20 simultaneous buyers, one charge of two simultaneous payments, a declined card, a price edit racing an
 * order (seed 002), and malformed input answered with a 4xx in the error shape. The catalogue (events,
 * search, an event's start) is in catalogue.test.ts.
 */
import { describe, expect, it } from '@jest/globals';
import { addEvent } from '../catalogue-fixtures';
import {
  listTicket,
  orderBecomes,
  eventsPublished,
  placeOrder,
  replicated,
  ticketBecomes,
  useBackend,
  waitFor,
} from './harness';

const backend = useBackend({ ORDER_EXPIRATION_SECONDS: '120' });

describe('the whole backend through the gateway', () => {
  it('sells a ticket: order locks it, payment completes the order, the ticket is sold for good', async () => {
    const seller = await backend.user();
    const buyer = await backend.user();
    const ticket = await listTicket(seller, { price: 25.5 });
    await replicated(backend, 'orders', 'tickets', ticket.id);

    const order = await buyer.createOrder(ticket.id);
    expect(order.status).toBe(201);
    expect(order.body).toEqual(
      expect.objectContaining({
        status: 'created',
        // The listing as ordered, with its event.
        ticket: expect.objectContaining({ id: ticket.id, price: 25.5, event: ticket.event }),
      }),
    );
    await ticketBecomes(
      buyer,
      ticket.id,
      (t) => t.status === 'reserved' && t.orderId === order.body.id,
      1_000,
    );
    expect((await seller.updateTicket(ticket.id, { title: 'Concert', price: 30 })).status).toBe(
      400,
    );

    const payment = await buyer.pay(order.body.id, 'tok_visa');
    expect(payment.status).toBe(201);
    // The total: the $25.50 ask + 10 % + $1.50.
    expect(payment.body).toEqual(expect.objectContaining({ status: 'completed', amount: 2955 }));

    await orderBecomes(buyer, order.body.id, 'complete');
    const sold = await ticketBecomes(buyer, ticket.id, (t) => t.status === 'sold');
    expect(sold.orderId).toBe(order.body.id);
    const listed = await buyer.listTickets({ limit: 100 });
    expect(listed.body.map((t) => t.id)).not.toContain(ticket.id);
    expect((await seller.updateTicket(ticket.id, { title: 'Concert', price: 30 })).status).toBe(
      400,
    );
    const another = await backend.user();
    expect((await another.createOrder(ticket.id)).status).toBe(400);
  });

  it('gives one ticket to exactly one of 20 buyers ordering at the same instant', async () => {
    const seller = await backend.user();
    const ticket = await listTicket(seller);
    const buyers = await Promise.all(Array.from({ length: 20 }, () => backend.user()));
    await replicated(backend, 'orders', 'tickets', ticket.id);

    const results = await Promise.all(buyers.map((b) => b.createOrder(ticket.id)));

    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(19);
    await waitFor(() => eventsPublished(backend));
    const created = await backend.events('order.created', (d) => d.ticket.id === ticket.id);
    expect(created).toHaveLength(1);
  });

  it('lets exactly one of two simultaneous payments for one order charge the card', async () => {
    const seller = await backend.user();
    const buyer = await backend.user();
    const ticket = await listTicket(seller);
    const order = await placeOrder(backend, buyer, ticket.id);

    const [a, b] = await Promise.all([
      buyer.pay(order.id, 'tok_visa'),
      buyer.pay(order.id, 'tok_visa'),
    ]);

    expect([a.status, b.status].sort()).toEqual([201, 400]);
    const charges = await backend
      .db('payments')
      .collection('charges')
      .find({ orderId: order.id })
      .toArray();
    expect(charges.filter((c) => c.status === 'completed')).toHaveLength(1);
    await orderBecomes(buyer, order.id, 'complete');
  });

  it('stores a declined charge, cancels the order and puts the ticket back on sale', async () => {
    const seller = await backend.user();
    const buyer = await backend.user();
    const ticket = await listTicket(seller);
    const order = await placeOrder(backend, buyer, ticket.id);
    await ticketBecomes(buyer, ticket.id, (t) => t.status === 'reserved');

    const payment = await buyer.pay(order.id, 'tok_chargeDeclined');

    expect(payment.status).toBe(400);
    const charges = await backend
      .db('payments')
      .collection('charges')
      .find({ orderId: order.id })
      .toArray();
    expect(charges.map((c) => c.status)).toEqual(['failed']);
    await orderBecomes(buyer, order.id, 'cancelled');
    await ticketBecomes(buyer, ticket.id, (t) => t.status === 'available' && !t.orderId);
    const next = await backend.user();
    expect((await next.createOrder(ticket.id)).status).toBe(201);
  });

  it("never leaves a reserved ticket at a price other than its order's, whatever a price edit racing the order does (seed 002)", async () => {
    for (let round = 0; round < 8; round++) {
      const seller = await backend.user();
      const buyer = await backend.user();
      const ticket = await listTicket(seller, { price: 20 });
      await replicated(backend, 'orders', 'tickets', ticket.id);

      const [edit, order] = await Promise.all([
        seller.updateTicket(ticket.id, { title: 'Concert', price: 35 }),
        buyer.createOrder(ticket.id),
      ]);
      expect([200, 400]).toContain(edit.status);
      expect(order.status).toBe(201);

      // Let every consequence settle: events published and consumed.
      await waitFor(() => eventsPublished(backend), 10_000);
      const settled = await waitFor(async () => {
        const t = (await buyer.getTicket(ticket.id)).body;
        const o = (await buyer.getOrder(order.body.id)).body;
        const lockedForIt = t.status === 'reserved' && t.orderId === o.id && o.status === 'created';
        const released = t.status === 'available' && o.status === 'cancelled';
        return lockedForIt || released ? { t, o } : null;
      }, 10_000);
      if (settled.t.status === 'reserved') {
        expect(settled.t.price).toBe(settled.o.ticket.price);
        const pay = await buyer.pay(order.body.id, 'tok_visa');
        expect(pay.status).toBe(201);
        expect(pay.body.amount).toBe(Math.round(settled.o.amount.total * 100));
        expect(settled.o.amount.price).toBe(settled.o.ticket.price);
      } else {
        expect(settled.t.price).toBe(35);
      }
    }
  }, 90_000);

  it('answers malformed input with 4xx in the error shape, never 500', async () => {
    const user = await backend.user();
    // Listings for an event that exists, so each is refused for the field it gets wrong.
    const { id: eventId } = await addEvent(user);
    const attempts: Array<[string, string, unknown]> = [
      ['GET', '/api/tickets/not-an-id', undefined],
      ['GET', '/api/tickets/000000000000000000000000', undefined],
      ['GET', '/api/tickets?page=abc&limit=-1', undefined],
      ['GET', '/api/tickets?sort=cheapest&minPrice=-1', undefined],
      ['GET', '/api/events?from=yesterday', undefined],
      ['GET', '/api/events/not-an-id', undefined],
      ['GET', '/api/orders/%E0%A4%A', undefined],
      ['DELETE', '/api/orders/123', undefined],
      ['POST', '/api/events', { name: 'x' }],
      ['POST', '/api/tickets', { eventId, title: 'x', price: 0 }],
      ['POST', '/api/tickets', { eventId, title: 'x', price: -5 }],
      ['POST', '/api/tickets', { eventId, title: 'x', price: 'abc' }],
      ['POST', '/api/tickets', { eventId, title: 'x', price: 19.999 }],
      ['POST', '/api/tickets', { eventId, title: { $gt: '' }, price: 10 }],
      ['POST', '/api/tickets', { eventId: { $ne: null }, price: 10 }],
      ['POST', '/api/tickets', { eventId: 'abc', price: 10 }],
      ['POST', '/api/tickets', '[1,2,3]'],
      ['POST', '/api/tickets', '{"title":'],
      ['POST', '/api/tickets', { eventId, title: 'x'.repeat(100_000), price: 10 }],
      ['PUT', '/api/tickets/zzz', { title: 'x', price: 10 }],
      ['POST', '/api/orders', { ticketId: 'abc' }],
      ['POST', '/api/orders', { ticketId: { $ne: null } }],
      ['POST', '/api/payments', { orderId: 'abc', token: 'tok_visa' }],
      ['POST', '/api/payments', { orderId: '000000000000000000000000', token: 12 }],
      ['POST', '/api/users/signin', { email: { $gt: '' }, password: 'x' }],
    ];
    for (const [method, path, body] of attempts) {
      // A string body is JSON text too (broken on purpose), sent as JSON.
      const res = await user.request(method, path, {
        body,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
      });
      expect({ method, path, status: res.status }).toEqual({
        method,
        path,
        status: expect.any(Number),
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body).toEqual({
        errors: expect.arrayContaining([expect.objectContaining({ message: expect.any(String) })]),
      });
    }
  });
});
