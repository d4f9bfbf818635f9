/**
 * The orders service as its listener tests run it: the real definition with every listener started
 * before each test, orders placed through its API, and its orders and listing replica read back.
 */
import { beforeEach } from '@jest/globals';
import request from 'supertest';
import { buildUser, useService } from '@ticketing/common/testing';
import { readConfig } from '../config';
import { defineOrdersService } from '../service';
import { Order } from '../models/order.model';
import { Ticket } from '../models/ticket.model';
import { buildTicket } from './factories';

/**
 * The orders service (useService) with all its listeners running from the start of each test, each
 * message delivered 3 times at most, so one that keeps failing reaches the dead letters within a test.
 */
export function useOrdersWithListeners() {
  const t = useService(defineOrdersService, { readConfig });
  beforeEach(async () => {
    await t.startListeners({ maxDeliver: 3 });
  });
  return t;
}

/** A new buyer orders a new listing at `price` through the API. */
export async function placeOrder(t: { url: string }, price = 20) {
  const ticket = await buildTicket({ price });
  const buyer = buildUser();
  const { body } = await request(t.url)
    .post('/api/orders')
    .set('Cookie', buyer.cookie)
    .send({ ticketId: ticket.id })
    .expect(201);
  return { order: body as { id: string; version: number }, ticket, buyer };
}

/** The listing as orders' replica holds it, or null. */
export const replicaOf = (id: string) => Ticket.findById(id).lean();
/** The order as stored, or null. */
export const orderOf = (id: string) => Order.findById(id).lean();
