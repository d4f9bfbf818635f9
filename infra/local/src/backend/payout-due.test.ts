/**
 * Payouts paid when due, through the gateway, with PAYOUT_DELAY_HOURS=0 (due when the event starts): paid
 * within 2 s of the start, and paid exactly once when payments is killed (kill -9) around the due time.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import type { ApiClient, PayoutJson } from '@ticketing/common';
import { addEvent, startsIn } from '../catalogue-fixtures';
import { listTicket, orderBecomes, placeOrder, useBackend, waitFor } from './harness';

const backend = useBackend({ PAYOUT_DELAY_HOURS: '0' });

/** A $40 sale for an event starting `inMs` from now; answers once the seller's payout is recorded. */
async function saleStartingIn(inMs: number) {
  const seller = await backend.user();
  const buyer = await backend.user();
  const event = await addEvent(seller, { startsAt: startsIn(inMs) });
  const ticket = await listTicket(seller, { eventId: event.id, price: 40 });
  const order = await placeOrder(backend, buyer, ticket.id);
  expect((await buyer.pay(order.id, 'tok_visa')).status).toBe(201);
  await orderBecomes(buyer, order.id, 'complete');
  const payout = await payoutOf(seller, order.id, (p) => p.status === 'pending');
  return { seller, order, startsAt: Date.parse(event.startsAt), payout };
}

function payoutOf(
  seller: ApiClient,
  orderId: string,
  check: (payout: PayoutJson) => boolean,
  timeoutMs = 5_000,
) {
  return waitFor(async () => {
    const res = await seller.listPayouts();
    const payout = res.body.payouts?.find((p) => p.orderId === orderId);
    return payout && check(payout) ? payout : null;
  }, timeoutMs);
}

/** Every payout.paid of this payout in the stream (the relay dedupes republished ones by event id). */
async function paidEvents(payoutId: string) {
  return backend.events('payout.paid', (data) => data.id === payoutId);
}

describe('payouts paid when due', () => {
  it('pays the payout within 2 s of the event start, once, with a transfer id', async () => {
    const { seller, order, startsAt, payout } = await saleStartingIn(6_000);
    expect(payout.availableAt).toBe(new Date(startsAt).toISOString());

    const paid = await payoutOf(seller, order.id, (p) => p.status === 'paid', 15_000);
    const seenAt = Date.now();

    expect(seenAt - startsAt).toBeLessThan(2_000);
    expect(Date.parse(paid.paidAt!) - startsAt).toBeGreaterThanOrEqual(0);
    expect(paid.transferId).toMatch(/^tr_sandbox_/);
    expect((await seller.listPayouts()).body.totals).toEqual({ pending: 0, paid: 38 });
    await waitFor(async () => (await paidEvents(payout.id)).length === 1);
    await sleep(1_500);
    expect(await paidEvents(payout.id)).toHaveLength(1);
  });

  it('pays exactly once when payments is killed (kill -9) at the due time and restarted', async () => {
    const { seller, order, startsAt, payout } = await saleStartingIn(6_000);

    await sleep(Math.max(0, startsAt - Date.now() + 50));
    await backend.stack.kill('payments');
    await backend.stack.restart('payments');
    // A payer killed mid-payment leaves its lease (60 s) to run out before the payout is paid again.
    const paid = await payoutOf(seller, order.id, (p) => p.status === 'paid', 90_000);

    expect(paid.transferId).toMatch(/^tr_/);
    await waitFor(async () => (await paidEvents(payout.id)).length === 1);
    const stored = await backend
      .db('payments')
      .collection('payouts')
      .find({ orderId: order.id })
      .toArray();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ status: 'paid', version: 1, transferId: paid.transferId });
  }, 120_000);
});
