/**
 * Whole-backend crash tests: one service SIGKILLed in the middle of a sale (after the order, after the
 * payment) and restarted, and a listing written but not yet published when its service dies: the sale
 * completes exactly once, no event is lost or handled twice, nothing is dead-lettered.
 */
import { describe, expect, it } from '@jest/globals';
import { listDeadLetters, type ApiClient } from '@ticketing/common';
import {
  listTicket,
  orderBecomes,
  eventsPublished,
  replicated,
  ticketBecomes,
  useBackend,
  waitFor,
} from './harness';

const backend = useBackend({ ORDER_EXPIRATION_SECONDS: '120' });

/** Retries a request while the service behind it is down (the gateway answers 502/503 meanwhile). */
async function whenUp<T>(attempt: () => Promise<{ status: number; body: T }>) {
  return waitFor(async () => {
    const res = await attempt();
    return res.status < 500 ? res : null;
  }, 30_000);
}

/**
 * Scenario 1 with one service SIGKILLed at the moment its work is in flight, then restarted: the sale
 * still completes, no event is lost and none is acted on twice.
 */
async function sellWithCrash(victim: string, when: 'after order' | 'after payment') {
  const seller = await backend.user();
  const buyer: ApiClient = await backend.user();
  const ticket = await listTicket(seller, { price: 30 });
  await replicated(backend, 'orders', 'tickets', ticket.id, 10_000);

  const order = await buyer.createOrder(ticket.id);
  expect(order.status).toBe(201);
  if (when === 'after order') {
    await backend.stack.kill(victim);
    await backend.stack.restart(victim);
  }
  await ticketBecomes(buyer, ticket.id, (t) => t.orderId === order.body.id, 30_000);
  const payment = await whenUp(() => buyer.pay(order.body.id, 'tok_visa'));
  expect(payment.status).toBe(201);
  if (when === 'after payment') {
    await backend.stack.kill(victim);
    await backend.stack.restart(victim);
  }

  await whenUp(() => buyer.getOrder(order.body.id));
  await orderBecomes(buyer, order.body.id, 'complete', 30_000);
  const sold = await ticketBecomes(buyer, ticket.id, (t) => t.status === 'sold', 30_000);
  expect(sold.orderId).toBe(order.body.id);

  // Nothing lost, nothing twice.
  await waitFor(() => eventsPublished(backend), 30_000);
  const forOrder = (d: { id: string }) => d.id === order.body.id;
  expect(await backend.events('order.created', forOrder)).toHaveLength(1);
  expect(await backend.events('order.completed', forOrder)).toHaveLength(1);
  expect(await backend.events('order.cancelled', forOrder)).toHaveLength(0);
  expect(await backend.events('charge.succeeded', (d) => d.orderId === order.body.id)).toHaveLength(
    1,
  );
  const ticketUpdates = await backend.events('ticket.updated', (d) => d.id === ticket.id);
  expect(ticketUpdates.map((e) => [e.data.version, e.data.status])).toEqual([
    [1, 'reserved'],
    [2, 'sold'],
  ]);
  const charges = await backend
    .db('payments')
    .collection('charges')
    .find({ orderId: order.body.id })
    .toArray();
  expect(charges.map((c) => c['status'])).toEqual(['completed']);
}

describe('kill -9 of one service in the middle of a sale, then a restart', () => {
  it.each([
    ['tickets', 'after order'],
    ['orders', 'after order'],
    ['payments', 'after order'],
    ['expiration', 'after order'],
    ['auth', 'after order'],
    ['orders', 'after payment'],
    ['tickets', 'after payment'],
  ] as const)(
    '%s killed %s: the sale completes exactly once',
    async (victim, when) => {
      await sellWithCrash(victim, when);
    },
    120_000,
  );

  it('publishes a listing written just before a kill -9, and before its publish, exactly once after the restart', async () => {
    const seller = await backend.user();
    const buyer = await backend.user();
    // The relay lever holds every event in its document: the process dies between write and publish.
    await backend.toggleRelay('tickets', 'paused');
    const ticket = await listTicket(seller, { price: 12, title: 'Written, not published' });
    const stored = await backend
      .db('tickets')
      .collection('tickets')
      .findOne({ title: ticket.title });
    expect(Object.keys((stored?.pendingEvents ?? {}) as object)).toHaveLength(1);
    expect(await backend.events('ticket.created', (d) => d.id === ticket.id)).toHaveLength(0);

    await backend.stack.kill('tickets');
    await backend.stack.restart('tickets');

    await replicated(backend, 'orders', 'tickets', ticket.id, 30_000);
    await waitFor(() => eventsPublished(backend), 30_000);
    expect(await backend.events('ticket.created', (d) => d.id === ticket.id)).toHaveLength(1);
    const order = await whenUp(() => buyer.createOrder(ticket.id));
    expect(order.status).toBe(201);
  }, 120_000);

  it('leaves nothing in the dead-letter stream', async () => {
    expect(await listDeadLetters(backend.bus.jsm)).toEqual([]);
  });
});
