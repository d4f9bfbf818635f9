import {
  EVENTUAL_MS,
  expect,
  fillCard,
  listTicket,
  purchaseFromList,
  signUp,
  snap,
  test,
  uniqueTitle,
} from './fixtures';

test('a seller sees each listing as available, reserved or sold in My listings', async ({
  page: seller,
  newBrowser,
}) => {
  await signUp(seller);
  // My listings reads GET /api/tickets/mine (the seller's tickets of every status) from the tickets service.
  const kept = uniqueTitle('Kept');
  const bought = uniqueTitle('Bought');
  await listTicket(seller, kept, '10');
  await listTicket(seller, bought, '11');
  const buyer = await newBrowser();
  await signUp(buyer);
  await purchaseFromList(buyer, bought);

  const rowOf = (title: string) => seller.getByTestId('listing-row').filter({ hasText: title });
  await expect(async () => {
    await seller.goto('/listings');
    await expect(rowOf(bought)).toContainText('Reserved', { timeout: 1_000 });
  }).toPass({ timeout: EVENTUAL_MS });
  await expect(rowOf(kept)).toContainText('Available');
  await expect(rowOf(kept).getByRole('link', { name: `Edit ${kept}` })).toBeVisible();
  await expect(rowOf(bought).getByRole('link', { name: /^Edit/ })).toHaveCount(0);

  await fillCard(buyer, '4242 4242 4242 4242');
  await buyer.getByRole('button', { name: 'Pay $13.60' }).click();
  await expect(buyer.getByText('Paid — your order is complete')).toBeVisible({
    timeout: EVENTUAL_MS,
  });
  await expect(async () => {
    await seller.goto('/listings');
    await expect(rowOf(bought)).toContainText('Sold', { timeout: 1_000 });
  }).toPass({ timeout: EVENTUAL_MS });
  await snap(seller, '13-my-listings');
});
