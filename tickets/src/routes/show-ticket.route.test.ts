/**
 * GET /api/tickets/:id: a listing in any status, to anyone; an unknown or malformed id is a 404.
 */
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { TicketStatus } from '@ticketing/common';
import { buildUser, useService } from '@ticketing/common/testing';
import { readConfig } from '../config';
import { defineTicketsService } from '../service';
import { buildTicket, newId, TICKETS_TEST_ENV } from '../test/factories';

const t = useService(defineTicketsService, { readConfig, env: TICKETS_TEST_ENV });

describe('GET /api/tickets/:id', () => {
  it('answers 200 with the ticket', async () => {
    const seller = buildUser();
    const created = await request(t.url)
      .post('/api/tickets')
      .set('Cookie', seller.cookie)
      .send({ title: 'Concert', price: 20 })
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
        userId: ticket.userId,
        version: 0,
        status,
        orderId,
        createdAt: ticket.createdAt.toISOString(),
      });
    },
  );

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
