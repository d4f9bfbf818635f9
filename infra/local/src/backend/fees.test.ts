/**
 * All-in prices and payouts through the gateway with the default fees (10 % + $1.50 for the buyer, 5 % for
 * the seller, payouts due 24 h after the event): every price a buyer reads is the total, the order fixes
 * its amount, the card is charged the total in cents, and the sale records the seller's payout.
 */
import { describe, expect, it } from '@jest/globals';
import { ApiClient, type OrderJson } from '@ticketing/common';
import { addEvent } from '../catalogue-fixtures';
import { listTicket, orderBecomes, placeOrder, useBackend, waitFor } from './harness';

const backend = useBackend();
const HOUR = 3_600_000;

/** A sale of a ticket asked at `price`, paid with tok_visa; the seller, buyer, ticket, order and event. */
async function sale(price: number) {
  const seller = await backend.user();
  const buyer = await backend.user();
  const event = await addEvent(seller);
  const ticket = await listTicket(seller, { eventId: event.id, price });
  const order = await placeOrder(backend, buyer, ticket.id);
  const paid = await buyer.pay(order.id, 'tok_visa');
  expect(paid.status).toBe(201);
  await orderBecomes(buyer, order.id, 'complete');
  return { seller, buyer, event, ticket, order, charge: paid.body };
}

/** The seller's payouts once the one for `order` is there. */
function payoutsOnce(seller: ApiClient, order: OrderJson) {
  return waitFor(async () => {
    const res = await seller.listPayouts();
    return res.status === 200 && res.body.payouts.some((p) => p.orderId === order.id)
      ? res.body
      : null;
  });
}

describe('all-in prices and payouts, through the gateway', () => {
  it('a $40.00 listing: fee 5.50 and total 45.50 everywhere, charged 4550 cents, payout 38.00 due 24 h after the start', async () => {
    const { seller, buyer, event, ticket, order, charge } = await sale(40);

    expect(ticket).toMatchObject({ price: 40, fee: 5.5, total: 45.5 });
    expect(order.amount).toEqual({ price: 40, fee: 5.5, total: 45.5 });
    expect(charge.amount).toBe(4550);
    expect((await buyer.getOrder(order.id)).body.amount).toEqual({
      price: 40,
      fee: 5.5,
      total: 45.5,
    });
    const payouts = await payoutsOnce(seller, order);
    expect(payouts.payouts).toEqual([
      expect.objectContaining({
        orderId: order.id,
        ticketId: ticket.id,
        price: 40,
        fee: 2,
        amount: 38,
        status: 'pending',
        availableAt: new Date(Date.parse(event.startsAt) + 24 * HOUR).toISOString(),
      }),
    ]);
    expect(payouts.totals).toEqual({ pending: 38, paid: 0 });
    // The buyer sold nothing: no payouts of theirs.
    expect((await buyer.listPayouts()).body).toEqual({
      payouts: [],
      totals: { pending: 0, paid: 0 },
    });
  });

  it.each([
    [0.5, { fee: 1.55, total: 2.05 }, 205, { fee: 0.03, amount: 0.47 }],
    [19.99, { fee: 3.5, total: 23.49 }, 2349, { fee: 1, amount: 18.99 }],
    [
      999_999.99,
      { fee: 100_001.5, total: 1_100_001.49 },
      110_000_149,
      { fee: 50_000, amount: 949_999.99 },
    ],
  ])(
    '$%s: exact cents in the listing, the event, the order, the charge and the payout',
    async (price, buyerPays, cents, sellerGets) => {
      const { seller, buyer, event, ticket, order, charge } = await sale(price);

      expect(ticket).toMatchObject({ price, ...buyerPays });
      expect((await buyer.getTicket(ticket.id)).body).toMatchObject({ price, ...buyerPays });
      expect(order.amount).toEqual({ price, ...buyerPays });
      expect(charge.amount).toBe(cents);
      const payouts = await payoutsOnce(seller, order);
      expect(payouts.payouts[0]).toMatchObject({ price, ...sellerGets, status: 'pending' });
      // Sold, so no longer listed; the event shows nothing for sale.
      expect((await buyer.getEvent(event.id)).body).toMatchObject({
        listings: 0,
        lowestPrice: null,
      });
    },
  );

  it("shows the lowest total as the event's lowest price, and filters by what the buyer pays", async () => {
    const seller = await backend.user();
    const event = await addEvent(seller);
    await listTicket(seller, { eventId: event.id, price: 40 });
    await listTicket(seller, { eventId: event.id, price: 20 });

    const shown = await seller.getEvent(event.id);
    const upTo = await seller.listTickets({ eventId: event.id, maxPrice: 45.49 });

    expect(shown.body.lowestPrice).toBe(23.5);
    expect(shown.body.tickets.map((t) => [t.price, t.fee, t.total])).toEqual([
      [20, 3.5, 23.5],
      [40, 5.5, 45.5],
    ]);
    expect(upTo.body.map((t) => t.total)).toEqual([23.5]);
  });

  it('quotes what a listing would cost and pay, for the sell form', async () => {
    const seller = await backend.user();

    const quote = await seller.quote('40.00');
    const bad = await seller.quote('40.001');

    expect(quote.body).toEqual({ price: 40, fee: 5.5, total: 45.5, sellerFee: 2, payout: 38 });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ errors: [{ field: 'price' }] });
  });

  it('the payouts routes need a session', async () => {
    const visitor = new ApiClient(backend.stack.url);

    expect((await visitor.listPayouts()).status).toBe(401);
    expect((await visitor.setPayoutAccount('acct_123')).status).toBe(401);
  });
});
