/**
 * GET /api/events/:id/stream over the real service and JetStream: the event's open listings first, then
 * each change as it happens (listed, price changed, reserved, released, sold), totals included; a client
 * reconnecting with Last-Event-ID gets what it missed, then the live changes.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { Subjects } from '@ticketing/common';
import {
  buildUser,
  openEventStream,
  publishEvent,
  useService,
  type TestEventStream,
} from '@ticketing/common/testing';
import { readConfig } from '../config';
import { defineTicketsService } from '../service';
import { buildEvent, newId, orderCreatedData, TICKETS_TEST_ENV } from '../test/factories';

const t = useService(defineTicketsService, { readConfig, env: TICKETS_TEST_ENV });
beforeEach(async () => {
  await t.startListeners({ maxDeliver: 3 });
});

const streams: TestEventStream[] = [];
afterEach(() => {
  for (const stream of streams.splice(0)) stream.close();
});

async function streamOf(eventId: string, lastEventId?: string) {
  const stream = await openEventStream(`${t.url}/api/events/${eventId}/stream`, { lastEventId });
  streams.push(stream);
  return stream;
}

async function list(eventId: string, price: number) {
  const seller = buildUser();
  const res = await request(t.url)
    .post('/api/tickets')
    .set('Cookie', seller.cookie)
    .send({ eventId, price })
    .expect(201);
  return { seller, ticket: res.body as { id: string; version: number } };
}

const changeOf = (message: { data: unknown }) =>
  (message.data as { change: string; ticket: { total: number; status: string } }).change;

describe('GET /api/events/:id/stream', () => {
  it('sends the open listings first, then every change with the listing and its total', async () => {
    const event = await buildEvent();
    const eventId = String(event._id);
    const { ticket: first } = await list(eventId, 40);

    const stream = await streamOf(eventId);
    const snapshot = await stream.next();
    const { seller, ticket: second } = await list(eventId, 20);
    const listed = await stream.next();
    await request(t.url)
      .put(`/api/tickets/${second.id}`)
      .set('Cookie', seller.cookie)
      .send({ price: 25 })
      .expect(200);
    const repriced = await stream.next();
    const order = orderCreatedData({ id: second.id, price: 25 });
    await publishEvent(t, Subjects.OrderCreated, order);
    const reserved = await stream.next();
    await publishEvent(t, Subjects.OrderCancelled, {
      id: order.id,
      version: 1,
      ticket: { id: second.id },
    });
    const released = await stream.next();

    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(snapshot).toEqual({
      id: expect.stringMatching(/^\d+$/),
      event: 'listings',
      data: { tickets: [expect.objectContaining({ id: first.id, price: 40, total: 45.5 })] },
    });
    expect(Number(listed.id)).toBeGreaterThan(Number(snapshot.id));
    expect(listed.data).toEqual({
      change: 'listed',
      ticket: expect.objectContaining({ id: second.id, price: 20, fee: 3.5, total: 23.5 }),
    });
    expect([changeOf(repriced), changeOf(reserved), changeOf(released)]).toEqual([
      'price-changed',
      'reserved',
      'released',
    ]);
    expect((repriced.data as { ticket: { total: number } }).ticket.total).toBe(29);
  });

  it('sends a reconnecting client (Last-Event-ID) the changes it missed, then the live ones', async () => {
    const event = await buildEvent();
    const eventId = String(event._id);
    const before = await streamOf(eventId);
    const { id: lastSeen } = await before.next();
    before.close();
    const { ticket: missed } = await list(eventId, 30);
    await list(String((await buildEvent({ name: 'Another show' }))._id), 10);

    const resumed = await streamOf(eventId, lastSeen);
    const first = await resumed.next();
    const { ticket: live } = await list(eventId, 35);
    const second = await resumed.next();

    expect(first.data).toEqual({
      change: 'listed',
      ticket: expect.objectContaining({ id: missed.id }),
    });
    expect(second.data).toEqual({
      change: 'listed',
      ticket: expect.objectContaining({ id: live.id }),
    });
  });

  it('answers 404 for an unknown event', async () => {
    const stream = await streamOf(newId());

    expect(stream.status).toBe(404);
    expect(JSON.parse(stream.body)).toEqual({ errors: [{ message: 'Event not found' }] });
  });
});
