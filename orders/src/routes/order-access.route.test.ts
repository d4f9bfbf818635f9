/**
 * GET /api/orders, GET /api/orders/:id and DELETE /api/orders/:id: a buyer sees and cancels only
 * their own orders; a cancel frees the ticket and publishes order.cancelled once.
 */
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import mongoose from 'mongoose';
import { OrderStatus } from '@ticketing/common';
import {
  buildUser,
  publishedEvents,
  readEvents,
  useService,
  waitFor,
  type TestUser,
} from '@ticketing/common/testing';
import { readConfig } from '../config';
import { defineOrdersService } from '../service';
import { Order } from '../models/order.model';
import { buildTicket } from '../test/factories';

const t = useService(defineOrdersService, { readConfig });

async function placeOrder(buyer: TestUser, price = 20) {
  const ticket = await buildTicket({ price });
  const res = await request(t.url)
    .post('/api/orders')
    .set('Cookie', buyer.cookie)
    .send({ ticketId: ticket.id })
    .expect(201);
  return res.body as { id: string; ticket: { id: string } };
}

describe('GET /api/orders', () => {
  it("lists only the signed-in user's orders, newest first, each with its ticket", async () => {
    const ann = buildUser();
    const bob = buildUser();
    const first = await placeOrder(ann, 10);
    const second = await placeOrder(ann, 30);
    await placeOrder(bob);

    const res = await request(t.url).get('/api/orders').set('Cookie', ann.cookie);

    expect(res.status).toBe(200);
    expect(res.body.map((o: { id: string }) => o.id)).toEqual([second.id, first.id]);
    expect(res.body[0].ticket).toEqual(expect.objectContaining({ price: 30, title: 'Concert' }));
  });

  it('refuses a signed-out caller with 401', async () => {
    expect((await request(t.url).get('/api/orders')).status).toBe(401);
  });
});

describe('GET /api/orders/:id', () => {
  it('shows the buyer their order', async () => {
    const ann = buildUser();
    const order = await placeOrder(ann);

    const res = await request(t.url).get(`/api/orders/${order.id}`).set('Cookie', ann.cookie);

    expect(res.status).toBe(200);
    expect(res.body).toEqual(
      expect.objectContaining({ id: order.id, status: OrderStatus.Created }),
    );
  });

  it("refuses another user's order with 401", async () => {
    const order = await placeOrder(buildUser());

    const res = await request(t.url)
      .get(`/api/orders/${order.id}`)
      .set('Cookie', buildUser().cookie);

    expect(res.status).toBe(401);
  });

  it.each([new mongoose.Types.ObjectId().toHexString(), 'not-an-id', '1234'])(
    'answers 404 for unknown or malformed id %s',
    async (id) => {
      const res = await request(t.url).get(`/api/orders/${id}`).set('Cookie', buildUser().cookie);

      expect(res.status).toBe(404);
      expect(res.body).toEqual({ errors: [{ message: 'Order not found' }] });
    },
  );
});

describe('DELETE /api/orders/:id', () => {
  it('cancels the order, frees the ticket and publishes order.cancelled', async () => {
    const ann = buildUser();
    const order = await placeOrder(ann);

    const res = await request(t.url).delete(`/api/orders/${order.id}`).set('Cookie', ann.cookie);

    expect(res.status).toBe(204);
    const stored = await Order.findById(order.id).lean();
    expect(stored!.status).toBe(OrderStatus.Cancelled);
    expect(stored!.holdsTicket).toBeUndefined();
    const events = await waitFor(async () => {
      const found = await readEvents(t.bus.jsm, 'order.cancelled');
      return found.length ? found : null;
    });
    expect(events.map((e) => e.data)).toEqual([
      { id: order.id, version: 1, ticket: { id: order.ticket.id } },
    ]);
  });

  it('answers 204 again for an order already cancelled, publishing nothing more', async () => {
    const ann = buildUser();
    const order = await placeOrder(ann);
    await request(t.url).delete(`/api/orders/${order.id}`).set('Cookie', ann.cookie).expect(204);

    const res = await request(t.url).delete(`/api/orders/${order.id}`).set('Cookie', ann.cookie);

    expect(res.status).toBe(204);
    expect((await Order.findById(order.id).lean())!.version).toBe(1);
    expect(await publishedEvents(t, 'order.cancelled')).toHaveLength(1);
  });

  it('refuses to cancel a complete order', async () => {
    const ann = buildUser();
    const order = await placeOrder(ann);
    await Order.updateOne({ _id: order.id }, { $set: { status: OrderStatus.Complete } });

    const res = await request(t.url).delete(`/api/orders/${order.id}`).set('Cookie', ann.cookie);

    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [{ message: 'Order is complete and cannot be cancelled' }],
    });
  });

  it("refuses another user's order with 401 and leaves it alone", async () => {
    const order = await placeOrder(buildUser());

    const res = await request(t.url)
      .delete(`/api/orders/${order.id}`)
      .set('Cookie', buildUser().cookie);

    expect(res.status).toBe(401);
    expect((await Order.findById(order.id).lean())!.status).toBe(OrderStatus.Created);
  });

  it('answers 404 for a malformed id', async () => {
    expect(
      (await request(t.url).delete('/api/orders/zzz').set('Cookie', buildUser().cookie)).status,
    ).toBe(404);
  });
});
