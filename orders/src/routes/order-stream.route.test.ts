/**
 * GET /api/orders/:id/stream over the real service and JetStream: the buyer gets the order now and on
 * every change (with the reason when it is cancelled), no one else gets it, and every replica sees every
 * change for its own clients (a per-replica feed, not the shared consumer).
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { OrderStatus, Subjects } from '@ticketing/common';
import { buildUser, openEventStream, type TestEventStream } from '@ticketing/common/testing';
import { publishEvent } from '../test/events';
import { placeOrder, useOrdersWithListeners } from '../test/service-under-test';

const t = useOrdersWithListeners();

async function streamOf(orderId: string, cookie?: string, lastEventId?: string) {
  return openEventStream(`${t.url}/api/orders/${orderId}/stream`, { cookie, lastEventId });
}

const streams: TestEventStream[] = [];
afterEach(() => {
  for (const stream of streams.splice(0)) stream.close();
});

describe('GET /api/orders/:id/stream', () => {
  it('sends the order at once, then its cancellation with the reason, as the next version', async () => {
    const { order, buyer } = await placeOrder(t);
    const stream = await streamOf(order.id, buyer.cookie);
    streams.push(stream);

    const first = await stream.next();
    await request(t.url).delete(`/api/orders/${order.id}`).set('Cookie', buyer.cookie).expect(204);
    const second = await stream.next();

    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.headers['x-accel-buffering']).toBe('no');
    expect(first).toEqual({
      id: '0',
      event: 'order',
      data: expect.objectContaining({ id: order.id, status: OrderStatus.Created }),
    });
    expect(second).toEqual({
      id: '1',
      event: 'order',
      data: expect.objectContaining({
        status: OrderStatus.Cancelled,
        cancellation: { reason: 'cancelled', message: 'You cancelled this order' },
      }),
    });
  });

  it('pushes an expiry the moment orders applies it', async () => {
    const { order, buyer } = await placeOrder(t);
    const stream = await streamOf(order.id, buyer.cookie);
    streams.push(stream);
    await stream.next();

    const sentAt = Date.now();
    await publishEvent(t, Subjects.OrderExpired, { id: order.id, version: 0 });
    const expired = await stream.next();

    expect(expired.data).toEqual(
      expect.objectContaining({
        status: 'cancelled',
        cancellation: expect.objectContaining({ reason: 'expired' }),
      }),
    );
    expect(Date.now() - sentAt).toBeLessThan(1_000);
  });

  it('answers a resuming client with the current state first (Last-Event-ID older than it)', async () => {
    const { order, buyer } = await placeOrder(t);
    await request(t.url).delete(`/api/orders/${order.id}`).set('Cookie', buyer.cookie).expect(204);

    const stream = await streamOf(order.id, buyer.cookie, '0');
    streams.push(stream);

    expect(await stream.next()).toEqual(
      expect.objectContaining({ id: '1', data: expect.objectContaining({ status: 'cancelled' }) }),
    );
  });

  it('refuses a signed-out visitor and another buyer (401), and an unknown order (404)', async () => {
    const { order } = await placeOrder(t);

    const signedOut = await streamOf(order.id);
    const other = await streamOf(order.id, buildUser().cookie);
    const unknown = await streamOf('64b7f0c2a1b2c3d4e5f60718', buildUser().cookie);

    expect([signedOut.status, other.status, unknown.status]).toEqual([401, 401, 404]);
    expect(JSON.parse(other.body)).toEqual({ errors: [{ message: 'Not authorized' }] });
  });

  it('caps the streams one user holds open (429), and frees one when it closes', async () => {
    const { order, buyer } = await placeOrder(t);
    const open = [];
    for (let i = 0; i < 10; i++) open.push(await streamOf(order.id, buyer.cookie));
    streams.push(...open);

    const refused = await streamOf(order.id, buyer.cookie);
    open[0]!.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const again = await streamOf(order.id, buyer.cookie);
    streams.push(again);

    expect(refused.status).toBe(429);
    expect(again.status).toBe(200);
  });
});
