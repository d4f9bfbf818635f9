/**
 * GET /api/tickets/:id: a listing in any status, to anyone; an unknown or malformed id is a 404.
 */
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { TicketStatus } from '@ticketing/common';
import { buildUser, useService } from '@ticketing/common/testing';
import { readConfig } from '../config';
import { defineTicketsService } from '../service';
import { buildEvent, buildTicket, newId, TICKETS_TEST_ENV } from '../test/factories';

const t = useService(defineTicketsService, { readConfig, env: TICKETS_TEST_ENV });

describe('GET /api/tickets/:id', () => {
  it('answers 200 with the ticket', async () => {
    const seller = buildUser();
    const event = await buildEvent();
    const created = await request(t.url)
      .post('/api/tickets')
      .set('Cookie', seller.cookie)
      .send({ eventId: String(event._id), price: 20, section: 'B', row: '2', seat: '5' })
      .expect(201);

    const res = await request(t.url).get(`/api/tickets/${created.body.id}`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual(created.body);
  });

  it.each([TicketStatus.Reserved, TicketStatus.Sold])(
    'shows a %s ticket with the order that holds it',
    async (status) => {
      const orderId = newId();
      const ticket = await buildTicket({ status, orderId });

      const res = await request(t.url).get(`/api/tickets/${ticket.id}`);

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: ticket.id,
        title: 'Concert',
        price: 20,
        fee: 3.5,
        total: 23.5,
        userId: ticket.userId,
        version: 0,
        status,
        orderId,
        eventId: ticket.eventId,
        event: {
          id: ticket.eventId,
          name: 'Concert',
          venue: 'Arena',
          city: 'Springfield',
          category: 'concert',
          startsAt: ticket.event.startsAt.toISOString(),
          timeZone: 'America/Chicago',
        },
        createdAt: ticket.createdAt.toISOString(),
      });
    },
  );

  it.each([
    [TicketStatus.Available, 'closed'],
    [TicketStatus.Reserved, 'closed'],
    [TicketStatus.Sold, 'sold'],
  ])('shows an unsold listing of a started event as closed (%s → %s)', async (status, shown) => {
    const ticket = await buildTicket({
      status,
      ...(status === TicketStatus.Available ? {} : { orderId: newId() }),
    });
    await ticket.updateOne({ 'event.startsAt': new Date(Date.now() - 1) });

    const res = await request(t.url).get(`/api/tickets/${ticket.id}`);

    expect(res.body.status).toBe(shown);
  });

  it('answers 404 for an unknown id', async () => {
    const res = await request(t.url).get(`/api/tickets/${newId()}`);

    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errors: [{ message: 'Ticket not found' }] });
  });

  it.each(['not-an-id', '123', '507f1f77bcf86cd79943901z', '%24gt', 'undefined'])(
    'answers 404 for the malformed id %p',
    async (id) => {
      const res = await request(t.url).get(`/api/tickets/${id}`);

      expect(res.status).toBe(404);
      expect(res.body).toEqual({ errors: [{ message: 'Ticket not found' }] });
    },
  );
});
