/**
 * PUT /api/tickets/:id: the seller edits an available listing (version bumped, ticket.updated
 * published); other users, held tickets and bad input are refused; a price edit racing an order's
 * lock never leaves a reserved ticket at a price its order does not pay.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { TicketStatus } from '@ticketing/common';
import {
  buildUser,
  publishedEvents,
  readEvents,
  useService,
  waitFor,
  type TestUser,
} from '@ticketing/common/testing';
import { readConfig } from '../config';
import { defineTicketsService } from '../service';
import { OrderCreatedListener } from '../events/order-created.listener';
import { Ticket } from '../models/ticket.model';
import {
  buildEvent,
  buildTicket,
  newId,
  orderCreatedData,
  TICKETS_TEST_ENV,
} from '../test/factories';

const t = useService(defineTicketsService, { readConfig, env: TICKETS_TEST_ENV });

/** Lists a ticket titled Concert at $20 for a new event, through the route. */
async function listTicket(seller: TestUser, fields: Record<string, unknown> = {}) {
  const event = await buildEvent();
  const res = await request(t.url)
    .post('/api/tickets')
    .set('Cookie', seller.cookie)
    .send({ eventId: String(event._id), title: 'Concert', price: 20, ...fields })
    .expect(201);
  return res.body as { id: string; title: string; price: number; eventId: string };
}

describe('PUT /api/tickets/:id', () => {
  it('lets the seller change title and price: 200, the ticket, version bumped', async () => {
    const seller = buildUser();
    const ticket = await listTicket(seller);

    const res = await request(t.url)
      .put(`/api/tickets/${ticket.id}`)
      .set('Cookie', seller.cookie)
      .send({ title: 'Concert (front row)', price: 35.5 });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: ticket.id,
      title: 'Concert (front row)',
      price: 35.5,
      fee: 5.05,
      total: 40.55,
      userId: seller.id,
      version: 1,
      status: 'available',
      eventId: ticket.eventId,
      event: expect.objectContaining({ id: ticket.eventId }),
      createdAt: expect.any(String),
    });
    expect(await Ticket.findById(ticket.id).lean()).toMatchObject({
      title: 'Concert (front row)',
      price: 35.5,
      version: 1,
    });
  });

  it('publishes ticket.updated with the new listing, after ticket.created', async () => {
    const seller = buildUser();
    const ticket = await listTicket(seller);

    await request(t.url)
      .put(`/api/tickets/${ticket.id}`)
      .set('Cookie', seller.cookie)
      .send({ title: 'Opera', price: 30 })
      .expect(200);

    const events = await waitFor(async () => {
      const found = await readEvents(t.bus.jsm);
      return found.length === 2 ? found : null;
    });
    expect(events.map((e) => [e.subject, e.data.version])).toEqual([
      ['ticket.created', 0],
      ['ticket.updated', 1],
    ]);
    expect(events[1]!.data).toEqual({
      id: ticket.id,
      version: 1,
      title: 'Opera',
      price: 30,
      userId: seller.id,
      status: 'available',
      eventId: ticket.eventId,
      event: expect.objectContaining({ id: ticket.eventId, name: 'Concert' }),
    });
  });

  it('changes only what is sent: a seat part, one field at a time, and an empty one clears it', async () => {
    const seller = buildUser();
    const ticket = await listTicket(seller, { section: 'A', row: '3', seat: '9' });
    const put = (body: object) =>
      request(t.url).put(`/api/tickets/${ticket.id}`).set('Cookie', seller.cookie).send(body);

    await put({ seat: '10' }).expect(200);
    const res = await put({ row: '', price: 22, eventId: ticket.eventId }).expect(200);

    expect(res.body).toMatchObject({ title: 'Concert', price: 22, section: 'A', seat: '10' });
    expect(res.body).not.toHaveProperty('row');
    expect(await Ticket.findById(ticket.id).lean()).toMatchObject({ seat: '10', version: 2 });
  });

  it('refuses to move a listing to another event with 400 on eventId', async () => {
    const seller = buildUser();
    const ticket = await listTicket(seller);
    const other = await buildEvent({ name: 'Other' });

    const res = await request(t.url)
      .put(`/api/tickets/${ticket.id}`)
      .set('Cookie', seller.cookie)
      .send({ eventId: String(other._id), price: 25 });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [{ message: "A listing's event cannot be changed", field: 'eventId' }],
    });
    expect(await Ticket.findById(ticket.id).lean()).toMatchObject({ price: 20, version: 0 });
  });

  it('refuses to edit a listing whose event has started', async () => {
    const seller = buildUser();
    const ticket = await listTicket(seller);
    await Ticket.updateOne({ _id: ticket.id }, { 'event.startsAt': new Date(Date.now() - 1000) });

    const res = await request(t.url)
      .put(`/api/tickets/${ticket.id}`)
      .set('Cookie', seller.cookie)
      .send({ price: 5 });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: 'The event has started' }] });
  });

  it('refuses a signed-out caller with 401', async () => {
    const ticket = await listTicket(buildUser());

    const res = await request(t.url)
      .put(`/api/tickets/${ticket.id}`)
      .send({ title: 'Mine now', price: 1 });

    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: [{ message: 'Not authorized' }] });
  });

  it('refuses someone who is not the seller with 401 and changes nothing', async () => {
    const ticket = await listTicket(buildUser());
    const stranger = buildUser('stranger@example.com');

    const res = await request(t.url)
      .put(`/api/tickets/${ticket.id}`)
      .set('Cookie', stranger.cookie)
      .send({ title: 'Mine now', price: 1 });

    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: [{ message: 'Not authorized' }] });
    expect(await Ticket.findById(ticket.id).lean()).toMatchObject({
      title: 'Concert',
      price: 20,
      version: 0,
    });
    expect(await publishedEvents(t, 'ticket.updated')).toEqual([]);
  });

  it.each([
    [TicketStatus.Reserved, 'Ticket is reserved'],
    [TicketStatus.Sold, 'Ticket is sold'],
  ])('refuses to edit a %s ticket with 400 and changes nothing', async (status, message) => {
    const seller = buildUser();
    const orderId = newId();
    const ticket = await buildTicket({ userId: seller.id, status, orderId });

    const res = await request(t.url)
      .put(`/api/tickets/${ticket.id}`)
      .set('Cookie', seller.cookie)
      .send({ title: 'Cheaper', price: 5 });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message }] });
    expect(await Ticket.findById(ticket.id).lean()).toMatchObject({
      title: 'Concert',
      price: 20,
      status,
      orderId,
      version: 0,
    });
    expect(await publishedEvents(t)).toEqual([]);
  });

  it('answers 404 for an unknown id', async () => {
    const res = await request(t.url)
      .put(`/api/tickets/${newId()}`)
      .set('Cookie', buildUser().cookie)
      .send({ title: 'Concert', price: 20 });

    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errors: [{ message: 'Ticket not found' }] });
  });

  it.each(['not-an-id', '123', '%7B%22%24ne%22%3A1%7D'])(
    'answers 404 for the malformed id %p',
    async (id) => {
      const res = await request(t.url)
        .put(`/api/tickets/${id}`)
        .set('Cookie', buildUser().cookie)
        .send({ title: 'Concert', price: 20 });

      expect(res.status).toBe(404);
      expect(res.body).toEqual({ errors: [{ message: 'Ticket not found' }] });
    },
  );

  it.each([
    ['a price of 0', { title: 'Concert', price: 0 }, 'price'],
    ['a negative price', { title: 'Concert', price: -5 }, 'price'],
    ['a price with 3 decimals', { title: 'Concert', price: 19.999 }, 'price'],
    ['a price over 1,000,000', { title: 'Concert', price: 1_000_000.01 }, 'price'],
    ['a price that is a word', { title: 'Concert', price: 'abc' }, 'price'],
    ['a price that is a numeric string', { title: 'Concert', price: '12' }, 'price'],
    ['a null price', { title: 'Concert', price: null }, 'price'],
    ['an operator object as price', { title: 'Concert', price: { $gt: 0 } }, 'price'],
    ['an empty title', { title: '', price: 20 }, 'title'],
    ['a title over 200 characters', { title: 'x'.repeat(201), price: 20 }, 'title'],
    ['an operator object as title', { title: { $ne: '' }, price: 20 }, 'title'],
    ['a seat over 20 characters', { seat: 'x'.repeat(21) }, 'seat'],
    ['a malformed event id', { eventId: 'x', price: 20 }, 'eventId'],
  ])('refuses %s with 400 naming the field and changes nothing', async (_name, body, field) => {
    const seller = buildUser();
    const ticket = await listTicket(seller);

    const res = await request(t.url)
      .put(`/api/tickets/${ticket.id}`)
      .set('Cookie', seller.cookie)
      .send(body);

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: expect.any(String), field }] });
    expect(await Ticket.findById(ticket.id).lean()).toMatchObject({ price: 20, version: 0 });
  });

  it.each([
    ['an array', '[{"title": "Concert", "price": 20}]'],
    ['null', 'null'],
    ['malformed JSON', '{"price": 2'],
    ['an object with nothing to change', '{"status": "sold"}'],
  ])('refuses a body that is %s with 400 in the error shape', async (_name, raw) => {
    const seller = buildUser();
    const ticket = await listTicket(seller);

    const res = await request(t.url)
      .put(`/api/tickets/${ticket.id}`)
      .set('Cookie', seller.cookie)
      .set('Content-Type', 'application/json')
      .send(raw);

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: expect.any(String) }] });
  });

  it('refuses a body over 16 kB with 413 in the error shape', async () => {
    const seller = buildUser();
    const ticket = await listTicket(seller);

    const res = await request(t.url)
      .put(`/api/tickets/${ticket.id}`)
      .set('Cookie', seller.cookie)
      .send({ title: 'x'.repeat(17_000), price: 20 });

    expect(res.status).toBe(413);
    expect(res.body).toEqual({ errors: [{ message: 'Request body is too large' }] });
  });
});

describe('a price edit racing the order.created lock (seed 002)', () => {
  /**
   * The order was priced at 10; the seller edits the price to 25 at the same moment as tickets applies
   * the order's lock. Whatever the interleaving, exactly one wins: either the ticket is reserved at the
   * order's price and the edit is refused, or the edit is applied and the lock refused.
   */
  it.each(Array.from({ length: 12 }, (_, round) => round))(
    'never leaves a reserved ticket at a price its order does not pay (round %i)',
    async (round) => {
      const seller = buildUser();
      const ticket = await buildTicket({ userId: seller.id, price: 10 });
      const order = orderCreatedData({ id: ticket.id, price: 10 });
      const listener = new OrderCreatedListener(t.ctx);
      // The lock starts up to ~12 ms after the request, sweeping across the edit's transaction.
      const edit = () =>
        request(t.url)
          .put(`/api/tickets/${ticket.id}`)
          .set('Cookie', seller.cookie)
          .send({ title: 'Concert', price: 25 });
      const lock = async () => {
        await sleep(round);
        return listener.onMessage(order);
      };

      const [res, outcome] = await Promise.all([edit(), lock()]);

      const stored = (await Ticket.findById(ticket.id).lean())!;
      expect(outcome).toBe('ack');
      expect(stored.version).toBe(1);
      if (stored.status === TicketStatus.Reserved) {
        expect(stored).toMatchObject({ price: 10, orderId: order.id });
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ errors: [{ message: 'Ticket is reserved' }] });
      } else {
        expect(stored).toMatchObject({ status: TicketStatus.Available, price: 25 });
        expect(stored.orderId).toBeUndefined();
        expect(res.status).toBe(200);
      }
      // Exactly one change was recorded, and what is published is the state that was kept.
      const updates = await publishedEvents(t, 'ticket.updated');
      expect(updates).toHaveLength(1);
      expect(updates[0]!.data).toMatchObject({
        version: 1,
        status: stored.status,
        price: stored.price,
      });
    },
  );
});
