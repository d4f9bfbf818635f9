/**
 * Fair holds (OWASP OAT-021, denial of inventory): a buyer holds at most MAX_ACTIVE_HOLDS open orders,
 * decided by the database under concurrency; and after their hold on a ticket ends unpaid (expired or
 * cancelled by them), that buyer waits REHOLD_COOLDOWN_SECONDS before holding it again, while others may
 * buy it at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { OrderStatus, Subjects } from '@ticketing/common';
import { buildUser, waitFor, type TestUser } from '@ticketing/common/testing';
import { Order } from '../models/order.model';
import { confirmHold, publishEvent } from '../test/events';
import { buildTicket, chargeSucceededData } from '../test/factories';
import { orderOf, useOrdersWithListeners } from '../test/service-under-test';

const t = useOrdersWithListeners();

function order(buyer: TestUser, ticketId: string) {
  return request(t.url).post('/api/orders').set('Cookie', buyer.cookie).send({ ticketId });
}

const CAP = 'You already hold 4 tickets: pay for or cancel one first';
const openOrdersOf = (userId: string) =>
  Order.find({ userId, status: OrderStatus.Created }).lean().exec();

describe('the hold cap', () => {
  it('gives exactly 4 of 10 simultaneous orders by one buyer for 10 tickets, in 4 distinct slots', async () => {
    const buyer = buildUser();
    const tickets = await Promise.all(Array.from({ length: 10 }, () => buildTicket()));

    const answers = await Promise.all(tickets.map((ticket) => order(buyer, ticket.id)));

    expect(answers.map((res) => res.status).sort()).toEqual([
      ...Array<number>(4).fill(201),
      ...Array<number>(6).fill(400),
    ]);
    for (const refused of answers.filter((res) => res.status === 400)) {
      expect(refused.body).toEqual({ errors: [{ message: CAP, field: 'ticketId' }] });
    }
    const open = await openOrdersOf(buyer.id);
    expect(open).toHaveLength(4);
    expect(open.map((o) => o.holdSlot).sort()).toEqual([0, 1, 2, 3]);
    // Another buyer is not affected.
    expect(
      (await order(buildUser(), tickets.find((_, i) => answers[i]!.status === 400)!.id)).status,
    ).toBe(201);
  });

  it('frees a slot when an order is cancelled, expires or is paid', async () => {
    const buyer = buildUser();
    const tickets = await Promise.all(Array.from({ length: 7 }, () => buildTicket()));
    const placed: Array<{ id: string }> = [];
    for (const ticket of tickets.slice(0, 4))
      placed.push((await order(buyer, ticket.id).expect(201)).body as { id: string });
    await order(buyer, tickets[4]!.id).expect(400);

    await request(t.url)
      .delete(`/api/orders/${placed[0]!.id}`)
      .set('Cookie', buyer.cookie)
      .expect(204);
    await order(buyer, tickets[4]!.id).expect(201);

    await publishEvent(t, Subjects.OrderExpired, { id: placed[1]!.id, version: 0 });
    await waitFor(async () => (await orderOf(placed[1]!.id))?.status === OrderStatus.Cancelled);
    await order(buyer, tickets[5]!.id).expect(201);

    await confirmHold(t, tickets[2]!, placed[2]!.id);
    await publishEvent(t, Subjects.ChargeSucceeded, chargeSucceededData(placed[2]!.id, 'ch_1'));
    await waitFor(async () => (await orderOf(placed[2]!.id))?.status === OrderStatus.Complete);
    await order(buyer, tickets[6]!.id).expect(201);

    expect(await openOrdersOf(buyer.id)).toHaveLength(4);
  });

  it('is configurable: MAX_ACTIVE_HOLDS=1 holds one', async () => {
    await t.restart({ MAX_ACTIVE_HOLDS: '1' });
    await t.startListeners({ maxDeliver: 3 });
    const buyer = buildUser();
    const [first, second] = await Promise.all([buildTicket(), buildTicket()]);

    await order(buyer, first!.id).expect(201);
    const refused = await order(buyer, second!.id);

    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].message).toBe(
      'You already hold 1 ticket: pay for or cancel one first',
    );
  });
});

describe('the re-hold cooldown', () => {
  it("refuses the buyer's own re-hold after they cancelled, saying how long; another buyer gets it at once", async () => {
    const buyer = buildUser();
    const ticket = await buildTicket();
    const { body: first } = await order(buyer, ticket.id).expect(201);
    await request(t.url).delete(`/api/orders/${first.id}`).set('Cookie', buyer.cookie).expect(204);

    const again = await order(buyer, ticket.id);

    expect(again.status).toBe(400);
    expect(again.body.errors).toEqual([
      {
        message: expect.stringMatching(
          /^Your hold on this ticket ended recently: you can hold it again in (8\d\d|900) seconds$/,
        ),
        field: 'ticketId',
      },
    ]);
    await order(buildUser(), ticket.id).expect(201);
  });

  it('applies after an expired hold too, and ends after REHOLD_COOLDOWN_SECONDS', async () => {
    await t.restart({ REHOLD_COOLDOWN_SECONDS: '2' });
    await t.startListeners({ maxDeliver: 3 });
    const buyer = buildUser();
    const ticket = await buildTicket();
    const { body: held } = await order(buyer, ticket.id).expect(201);
    await publishEvent(t, Subjects.OrderExpired, { id: held.id, version: 0 });
    await waitFor(async () => (await orderOf(held.id))?.status === OrderStatus.Cancelled);

    const soon = await order(buyer, ticket.id);
    await sleep(2_100);
    const later = await order(buyer, ticket.id);

    expect(soon.status).toBe(400);
    expect(soon.body.errors[0].message).toMatch(/you can hold it again in [12] seconds?$/);
    expect(later.status).toBe(201);
  });

  it('does not apply when the hold ended for another reason (the price changed)', async () => {
    const buyer = buildUser();
    const ticket = await buildTicket({ price: 20 });
    const { body: held } = await order(buyer, ticket.id).expect(201);
    await publishEvent(t, Subjects.TicketHoldRefused, {
      id: held.id,
      version: 0,
      ticket: { id: ticket.id, price: 30 },
      reason: 'price-changed',
    });
    await waitFor(async () => (await orderOf(held.id))?.status === OrderStatus.Cancelled);

    expect((await order(buyer, ticket.id)).status).toBe(201);
  });
});
