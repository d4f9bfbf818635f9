/**
 * POST /api/orders: an order holds an available ticket at the replica's price until it expires, and
 * order.created is published; unknown, own, sold and held tickets are refused, and of simultaneous
 * buyers exactly one wins.
 */
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import mongoose from 'mongoose';
import { OrderStatus, TicketStatus } from '@ticketing/common';
import { buildUser, readEvents, useService, waitFor } from '@ticketing/common/testing';
import { readConfig } from '../config';
import { defineOrdersService } from '../service';
import { Order } from '../models/order.model';
import { buildTicket } from '../test/factories';

const t = useService(defineOrdersService, { readConfig, env: { ORDER_EXPIRATION_SECONDS: '120' } });

describe('POST /api/orders', () => {
  it('creates an order holding the ticket at its price, expiring after the hold window', async () => {
    const ticket = await buildTicket({ title: 'Opera', price: 45.5, section: 'B', seat: '4' });
    const buyer = buildUser();
    const before = Date.now();

    const res = await request(t.url)
      .post('/api/orders')
      .set('Cookie', buyer.cookie)
      .send({ ticketId: ticket.id });

    expect(res.status).toBe(201);
    expect(res.body).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        userId: buyer.id,
        status: OrderStatus.Created,
        version: 0,
        ticket: {
          id: ticket.id,
          title: 'Opera',
          price: 45.5,
          event: ticket.event,
          section: 'B',
          seat: '4',
        },
        // What the buyer pays, all in: the ask, 10 % + $1.50, and their sum.
        amount: { price: 45.5, fee: 6.05, total: 51.55 },
      }),
    );
    const expiresAt = Date.parse(res.body.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 120_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 120_000);
    const stored = await Order.findById(res.body.id).lean();
    expect(stored).toEqual(
      expect.objectContaining({ status: OrderStatus.Created, holdsTicket: true }),
    );
  });

  it('publishes order.created with the buyer, the expiry and the price the order pays', async () => {
    const ticket = await buildTicket({ price: 45.5 });
    const buyer = buildUser();

    const res = await request(t.url)
      .post('/api/orders')
      .set('Cookie', buyer.cookie)
      .send({ ticketId: ticket.id })
      .expect(201);

    const [event] = await waitFor(async () => {
      const events = await readEvents(t.bus.jsm, 'order.created');
      return events.length ? events : null;
    });
    expect(event!.data).toEqual({
      id: res.body.id,
      version: 0,
      status: OrderStatus.Created,
      userId: buyer.id,
      expiresAt: res.body.expiresAt,
      amount: { price: 45.5, fee: 6.05, total: 51.55 },
      ticket: {
        id: ticket.id,
        price: 45.5,
        title: ticket.title,
        userId: ticket.userId,
        event: {
          id: ticket.event.id,
          name: ticket.event.name,
          startsAt: ticket.event.startsAt,
          timeZone: ticket.event.timeZone,
        },
      },
    });
  });

  it('fixes the amount when the hold is placed: a later fee change alters no open order', async () => {
    const buyer = buildUser();
    const [first, second] = [await buildTicket({ price: 40 }), await buildTicket({ price: 40 })];
    const placed = await request(t.url)
      .post('/api/orders')
      .set('Cookie', buyer.cookie)
      .send({ ticketId: first.id })
      .expect(201);

    await t.restart({ BUYER_FEE_PERCENT: '20', BUYER_FEE_FIXED: '0' });
    const later = await request(t.url)
      .post('/api/orders')
      .set('Cookie', buyer.cookie)
      .send({ ticketId: second.id })
      .expect(201);
    const open = await request(t.url)
      .get(`/api/orders/${placed.body.id}`)
      .set('Cookie', buyer.cookie)
      .expect(200);

    expect(open.body.amount).toEqual({ price: 40, fee: 5.5, total: 45.5 });
    expect(later.body.amount).toEqual({ price: 40, fee: 8, total: 48 });
  });

  it('refuses a signed-out caller with 401', async () => {
    const ticket = await buildTicket();

    const res = await request(t.url).post('/api/orders').send({ ticketId: ticket.id });

    expect(res.status).toBe(401);
    expect(await Order.countDocuments()).toBe(0);
  });

  it('answers 404 for a ticket it does not know', async () => {
    const res = await request(t.url)
      .post('/api/orders')
      .set('Cookie', buildUser().cookie)
      .send({ ticketId: new mongoose.Types.ObjectId().toHexString() });

    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errors: [{ message: 'Ticket not found' }] });
  });

  it.each([
    ['a malformed id', { ticketId: 'abc' }],
    ['a missing id', {}],
    ['a numeric id', { ticketId: 12 }],
    ['an operator object', { ticketId: { $gt: '' } }],
  ])('refuses %s with 400 on ticketId', async (_name, body) => {
    const res = await request(t.url)
      .post('/api/orders')
      .set('Cookie', buildUser().cookie)
      .send(body);

    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [{ message: 'ticketId must be a valid id', field: 'ticketId' }],
    });
  });

  it("refuses the seller's own ticket", async () => {
    const seller = buildUser();
    const ticket = await buildTicket({ userId: seller.id });

    const res = await request(t.url)
      .post('/api/orders')
      .set('Cookie', seller.cookie)
      .send({ ticketId: ticket.id });

    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toBe('You cannot buy your own ticket');
  });

  it('ends the hold when the event starts, if that comes before the hold window ends', async () => {
    const startsAt = new Date(Date.now() + 5_000);
    const ticket = await buildTicket({ startsAt });

    const res = await request(t.url)
      .post('/api/orders')
      .set('Cookie', buildUser().cookie)
      .send({ ticketId: ticket.id });

    expect(res.status).toBe(201);
    expect(res.body.expiresAt).toBe(startsAt.toISOString());
  });

  it('refuses a ticket whose event has started, and stores nothing', async () => {
    const ticket = await buildTicket({ startsAt: new Date(Date.now() - 1) });

    const res = await request(t.url)
      .post('/api/orders')
      .set('Cookie', buildUser().cookie)
      .send({ ticketId: ticket.id });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [{ message: 'The event has started', field: 'ticketId' }],
    });
    expect(await Order.countDocuments()).toBe(0);
  });

  it('refuses a sold ticket', async () => {
    const ticket = await buildTicket({ status: TicketStatus.Sold });

    const res = await request(t.url)
      .post('/api/orders')
      .set('Cookie', buildUser().cookie)
      .send({ ticketId: ticket.id });

    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toBe('Ticket is sold');
  });

  it('refuses a ticket another buyer holds, and publishes nothing for it', async () => {
    const ticket = await buildTicket();
    await request(t.url)
      .post('/api/orders')
      .set('Cookie', buildUser().cookie)
      .send({ ticketId: ticket.id })
      .expect(201);

    const res = await request(t.url)
      .post('/api/orders')
      .set('Cookie', buildUser().cookie)
      .send({ ticketId: ticket.id });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [{ message: 'Ticket is already reserved', field: 'ticketId' }],
    });
    expect(await Order.countDocuments()).toBe(1);
  });

  it('lets exactly one of 20 simultaneous buyers hold the ticket, with exactly one order.created', async () => {
    const ticket = await buildTicket();
    const buyers = Array.from({ length: 20 }, () => buildUser());

    const responses = await Promise.all(
      buyers.map((b) =>
        request(t.url).post('/api/orders').set('Cookie', b.cookie).send({ ticketId: ticket.id }),
      ),
    );

    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(19);
    expect(await Order.countDocuments()).toBe(1);
    await t.service.relay?.drain();
    // The 19 losers wrote nothing: no order of theirs carries an event still to publish.
    expect(await Order.countDocuments({ pendingEvents: { $exists: true, $ne: {} } })).toBe(0);
    expect(await readEvents(t.bus.jsm, 'order.created')).toHaveLength(1);
  });

  it('lets the ticket be ordered again once the holding order is cancelled', async () => {
    const ticket = await buildTicket();
    const first = buildUser();
    const { body: order } = await request(t.url)
      .post('/api/orders')
      .set('Cookie', first.cookie)
      .send({ ticketId: ticket.id })
      .expect(201);
    await request(t.url).delete(`/api/orders/${order.id}`).set('Cookie', first.cookie).expect(204);

    const res = await request(t.url)
      .post('/api/orders')
      .set('Cookie', buildUser().cookie)
      .send({ ticketId: ticket.id });

    expect(res.status).toBe(201);
  });
});
