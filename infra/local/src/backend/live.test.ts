/**
 * Live pages through the gateway (issue 15): an event page's stream shows another buyer's hold within a
 * second, the buyer's order stream turns complete within a second of paying, and after a kill -9 of the
 * service serving a stream, a reconnecting client gets the current state.
 */
import { describe, expect, it } from '@jest/globals';
import { openEventStream, type TestEventStream } from '@ticketing/common/testing';
import { addEvent } from '../catalogue-fixtures';
import { listTicket, placeOrder, useBackend, waitFor } from './harness';

const backend = useBackend();

/** The next message whose data satisfies `check`, within `timeoutMs`. */
async function nextMatching(
  stream: TestEventStream,
  check: (data: Record<string, unknown>) => boolean,
  timeoutMs = 5_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const message = await stream.next(Math.max(1, deadline - Date.now()));
    if (check(message.data as Record<string, unknown>)) return message;
  }
}

describe('live pages through the gateway', () => {
  it("shows a listing reserved on another visitor's event page within 1 s, and the buyer's order complete within 1 s of paying", async () => {
    const seller = await backend.user();
    const buyer = await backend.user();
    const event = await addEvent(seller);
    const ticket = await listTicket(seller, { eventId: event.id, price: 40 });
    const visitor = await openEventStream(`${backend.stack.url}/api/events/${event.id}/stream`);
    await visitor.next();

    const orderedAt = Date.now();
    const order = await placeOrder(backend, buyer, ticket.id);
    const reserved = await nextMatching(visitor, (d) => d.change === 'reserved');
    const reservedAfter = Date.now() - orderedAt;
    const stream = await openEventStream(`${backend.stack.url}/api/orders/${order.id}/stream`, {
      cookie: buyer.cookie,
    });
    await nextMatching(stream, (d) => d.status === 'created');
    // Paid once tickets has confirmed the hold, as a buyer would after the page loaded.
    await waitFor(async () => (await buyer.getTicket(ticket.id)).body.status === 'reserved');
    const paidAt = Date.now();
    expect((await buyer.pay(order.id, 'tok_visa')).status).toBe(201);
    await nextMatching(stream, (d) => d.status === 'complete');
    const completeAfter = Date.now() - paidAt;

    expect((reserved.data as { ticket: { id: string } }).ticket.id).toBe(ticket.id);
    expect(reservedAfter).toBeLessThan(3_000); // includes placing the order through the gateway
    expect(completeAfter).toBeLessThan(1_000);
    visitor.close();
    stream.close();
  });

  it('after a kill -9 of orders, a reconnecting stream gets the current state', async () => {
    const seller = await backend.user();
    const buyer = await backend.user();
    const ticket = await listTicket(seller, { price: 20 });
    const order = await placeOrder(backend, buyer, ticket.id);
    const url = `${backend.stack.url}/api/orders/${order.id}/stream`;
    const before = await openEventStream(url, { cookie: buyer.cookie });
    const first = await before.next();
    const ended = new Promise<void>((resolve) => before.onEnd(resolve));

    await backend.stack.kill('orders');
    await ended;
    await backend.stack.restart('orders');
    expect((await buyer.cancelOrder(order.id)).status).toBe(204);
    const after = await openEventStream(url, { cookie: buyer.cookie, lastEventId: first.id });

    expect(await after.next()).toEqual(
      expect.objectContaining({ id: '1', data: expect.objectContaining({ status: 'cancelled' }) }),
    );
    after.close();
  });
});
