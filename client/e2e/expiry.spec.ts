import {
  EVENTUAL_MS,
  SHORT_HOLD_SECONDS,
  expect,
  listTicket,
  purchaseFromList,
  signUp,
  snap,
  test as base,
  ticketSearch,
  uniqueTitle,
} from './fixtures';

// These run against a stack of their own whose holds last SHORT_HOLD_SECONDS.
const test = base.extend({
  baseURL: async ({ shortHoldUrl }, use) => use(shortHoldUrl),
});

test('an unpaid hold expires: the page says so without a reload and the ticket is listed again', async ({
  page: seller,
  newBrowser,
}) => {
  const title = uniqueTitle('Expiring Soon');
  await signUp(seller);
  await listTicket(seller, title, '15');
  const buyer = await newBrowser();
  await signUp(buyer);
  await purchaseFromList(buyer, title);
  await expect(buyer.getByRole('timer')).toHaveText(/^0:\d\d$/);
  await expect(buyer.getByRole('button', { name: 'Pay $18.00' })).toBeVisible();

  await expect(buyer.getByText('Your hold expired')).toBeVisible({
    timeout: (SHORT_HOLD_SECONDS + 10) * 1000,
  });
  await expect(buyer.getByRole('button', { name: /^Pay/ })).toHaveCount(0);
  await snap(buyer, '09-order-expired');

  await expect(async () => {
    await buyer.goto(ticketSearch(title));
    await expect(buyer.getByRole('link', { name: title })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: EVENTUAL_MS });
  await buyer.goto('/orders');
  await expect(buyer.getByTestId('order-row').filter({ hasText: title })).toContainText(
    'Cancelled',
  );
});
