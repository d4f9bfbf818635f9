import {
  createEvent,
  EVENTUAL_MS,
  expect,
  fillCard,
  signUp,
  snap,
  test,
  ticketSearch,
  uniqueTitle,
} from './fixtures';

// The default fees: the buyer pays 10 % of the ask (rounded half up to the cent) + $1.50, the seller
// receives the ask less 5 %. A $40.00 ticket: buyers pay $45.50 (incl. $5.50 fees), the seller gets $38.00.
test('a $40.00 listing costs buyers $45.50 everywhere they see it, and its seller is owed $38.00 once it sells', async ({
  page: seller,
  newBrowser,
}) => {
  // Two people, a dozen pages, a payment and a payout travelling through events.
  test.slow();
  const title = uniqueTitle('All-in Seat');
  await signUp(seller);
  const event = await createEvent(seller, { name: uniqueTitle('Fee Fest') });

  // The seller sees, as they type, what buyers pay and what they will receive.
  await seller.goto(`/tickets/new?eventId=${event.id}`);
  const quote = seller.getByTestId('price-quote');
  await expect(quote).toContainText('Buyers pay your price plus a service fee');
  await seller.getByLabel('Price per ticket (USD)').pressSequentially('40.00');
  await expect(quote).toHaveText('Buyers pay $45.50 · You receive $38.00');
  await snap(seller, '30-sell-quote');
  await seller.getByLabel('Title (optional)').fill(title);
  await seller.getByRole('button', { name: 'List ticket' }).click();
  await expect(seller.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(seller.getByTestId('ticket-price')).toHaveText('$45.50 incl. $5.50 fees');
  await expect(seller.getByTestId('ticket-ask')).toHaveText('Your price: $40.00');
  const ticketId = /\/tickets\/([0-9a-f]{24})$/.exec(seller.url())![1]!;

  // The buyer sees the total, with its fees beside it, on every list and page.
  const buyer = await newBrowser();
  await signUp(buyer);
  await buyer.goto(`/?q=${encodeURIComponent(event.name)}`);
  await expect(buyer.getByTestId('event-card')).toContainText('1 ticket · from $45.50 incl. fees');
  await buyer.goto(ticketSearch(title));
  await expect(buyer.getByTestId('ticket-card').filter({ hasText: title })).toContainText(
    '$45.50 incl. $5.50 fees',
  );
  await snap(buyer, '31-ticket-list-all-in');
  await buyer.goto(`/events/${event.id}`);
  const listing = buyer.getByTestId('event-listing');
  await expect(listing).toHaveCount(1);
  await expect(listing).toContainText('$45.50 incl. $5.50 fees');
  await expect(listing.getByRole('button', { name: /^Buy/ })).toHaveAccessibleName(
    'Buy General admission for $45.50 incl. $5.50 fees',
  );
  await buyer.goto(`/tickets/${ticketId}`);
  await expect(buyer.getByTestId('ticket-price')).toHaveText('$45.50 incl. $5.50 fees');
  await expect(buyer.getByTestId('ticket-ask')).toHaveCount(0);

  // Checkout: the breakdown before the button, which states the total.
  await buyer.getByRole('button', { name: 'Purchase' }).click();
  await expect(buyer).toHaveURL(/\/orders\/[0-9a-f]{24}$/);
  await expect(buyer.getByTestId('order-price')).toHaveText('$45.50 incl. $5.50 fees');
  await expect(buyer.getByTestId('price-summary')).toHaveText(
    /^Ticket price\s*\$40\.00\s*Service fee\s*\$5\.50\s*Total\s*\$45\.50$/,
  );
  await snap(buyer, '32-checkout-breakdown');
  await fillCard(buyer, '4242 4242 4242 4242');
  await buyer.getByRole('button', { name: 'Pay $45.50' }).click();
  await expect(buyer.getByText('Paid — your order is complete')).toBeVisible({
    timeout: EVENTUAL_MS,
  });
  await buyer.goto('/orders');
  await expect(buyer.getByTestId('order-row').filter({ hasText: title })).toContainText(
    '$45.50 incl. $5.50 fees',
  );

  // The seller's payout: $38.00, pending until a day after the event.
  await seller.getByRole('link', { name: 'Payouts' }).click();
  await expect(seller.getByRole('heading', { level: 1, name: 'Payouts' })).toBeVisible();
  const row = seller.getByTestId('payout-row').filter({ hasText: title });
  await expect(async () => {
    await seller.reload();
    await expect(row).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: EVENTUAL_MS });
  await expect(row).toContainText(event.name);
  await expect(row).toContainText('$38.00');
  await expect(row).toContainText('Price $40.00 · fee $2.00');
  await expect(row.getByText('Pending', { exact: true })).toBeVisible();
  await expect(row).toContainText('Available');
  await expect(seller.getByTestId('payouts-pending-total')).toHaveText('$38.00');
  await expect(seller.getByTestId('payouts-paid-total')).toHaveText('$0.00');
  await snap(seller, '33-payouts');
});

test('payouts need an account: a visitor is sent to sign in and brought back', async ({ page }) => {
  await page.goto('/payouts');

  await expect(page).toHaveURL(/\/auth\/signin\?next=%2Fpayouts$/);
});
