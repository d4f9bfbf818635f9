/**
 * The hold window through the gateway, with a 3 s hold: an unpaid order is cancelled within a second of
 * `expiresAt` and its ticket is buyable again; paying after `expiresAt` is refused even before the expiry
 * is processed; a late `order.expired` of a cancelled order changes nothing for the next buyer.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import { EventPublisher, Subjects } from '@ticketing/common';
import { listTicket, orderBecomes, placeOrder, ticketBecomes, useBackend } from './harness';

// A 3 s hold, so expiries happen inside the test.
const backend = useBackend({ ORDER_EXPIRATION_SECONDS: '3' });

describe('the hold window, through the gateway', () => {
  it('cancels an unpaid order within 1 s after expiresAt; the ticket is buyable and editable again; paying it is refused', async () => {
    const seller = await backend.user();
    const buyer = await backend.user();
    const ticket = await listTicket(seller, { price: 15 });
    const order = await placeOrder(backend, buyer, ticket.id);
    await ticketBecomes(buyer, ticket.id, (t) => t.status === 'reserved');

    const expiresAt = Date.parse(order.expiresAt);
    const cancelled = await orderBecomes(buyer, order.id, 'cancelled', 10_000);
    const cancelledAt = Date.now();

    expect(cancelled.status).toBe('cancelled');
    expect(cancelledAt - expiresAt).toBeLessThan(1_000);
    await ticketBecomes(buyer, ticket.id, (t) => t.status === 'available' && !t.orderId);
    const edit = await seller.updateTicket(ticket.id, { title: 'Concert', price: 16 });
    expect(edit.status).toBe(200);
    const pay = await buyer.pay(order.id, 'tok_visa');
    expect(pay.status).toBe(400);
    const charges = await backend
      .db('payments')
      .collection('charges')
      .countDocuments({ orderId: order.id, status: 'completed' });
    expect(charges).toBe(0);
    const other = await backend.user();
    await ticketBecomes(other, ticket.id, (t) => t.price === 16);
    const again = await other.createOrder(ticket.id);
    expect(again.status).toBe(201);
  });

  it('refuses to pay once expiresAt has passed, even before the expiry has been processed', async () => {
    const seller = await backend.user();
    const buyer = await backend.user();
    const ticket = await listTicket(seller, { price: 15 });
    const order = await placeOrder(backend, buyer, ticket.id);

    await sleep(Date.parse(order.expiresAt) - Date.now() + 1);
    const pay = await buyer.pay(order.id, 'tok_visa');

    expect(pay.status).toBe(400);
    await orderBecomes(buyer, order.id, 'cancelled', 10_000);
  });

  it("lets A's late expiry change nothing after A cancelled and B ordered; B's hold and payment succeed", async () => {
    const seller = await backend.user();
    const a = await backend.user();
    const b = await backend.user();
    const ticket = await listTicket(seller, { price: 40 });
    const orderA = await placeOrder(backend, a, ticket.id);
    await ticketBecomes(a, ticket.id, (t) => t.orderId === orderA.id);
    // A keeps the hold a while, so B's hold outlasts A's expiry by that long.
    await sleep(1_500);

    expect((await a.cancelOrder(orderA.id)).status).toBe(204);
    await ticketBecomes(b, ticket.id, (t) => t.status === 'available');
    const orderB = await placeOrder(backend, b, ticket.id);
    await ticketBecomes(b, ticket.id, (t) => t.orderId === orderB.id);

    // A's hold window ends while B's is still running. expiration drops a cancelled order's job, so
    // A's timer normally never fires; a late one (e.g. it fired just before the cancel reached
    // expiration) is delivered here exactly as expiration would publish it.
    await sleep(Math.max(0, Date.parse(orderA.expiresAt) - Date.now()));
    await new EventPublisher(backend.bus.js).publish(
      Subjects.OrderExpired,
      { id: orderA.id, version: 0 },
      `late-expiry:${orderA.id}`,
    );
    await backend.waitForEvent('order.expired', (d) => d.id === orderA.id);
    await backend.consumerIdle('orders', 'order.expired'); // handled, and rightly ignored
    expect((await b.getOrder(orderB.id)).body.status).toBe('created');
    expect((await b.getTicket(ticket.id)).body.orderId).toBe(orderB.id);
    expect(Date.now()).toBeLessThan(Date.parse(orderB.expiresAt));
    const pay = await b.pay(orderB.id, 'tok_visa');

    expect(pay.status).toBe(201);
    await orderBecomes(b, orderB.id, 'complete');
    const sold = await ticketBecomes(b, ticket.id, (t) => t.status === 'sold');
    expect(sold.orderId).toBe(orderB.id);
    expect((await a.getOrder(orderA.id)).body.status).toBe('cancelled');
    expect(await backend.events('order.cancelled', (d) => d.id === orderB.id)).toHaveLength(0);
  });
});
