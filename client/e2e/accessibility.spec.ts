import {
  accessibilityViolations,
  createEvent,
  expect,
  fillCard,
  listTicket,
  purchaseFromList,
  signUp,
  test,
  uniqueTitle,
} from './fixtures';

// Tests each within the timeout on a busy machine: the pages of selling, of buying, and payouts.
test('the selling pages have no WCAG 2.1 A/AA violations that axe can find', async ({
  page: seller,
  newBrowser,
}) => {
  // Two browsers and a dozen axe passes: on a loaded 2-core CI machine this took over 60 s.
  test.slow();
  const visitor = await newBrowser();
  await visitor.goto('/auth/signup');
  await visitor.getByRole('button', { name: 'Sign up' }).click();
  await expect(visitor.getByLabel('Email address')).toBeFocused();
  expect(await accessibilityViolations(visitor), 'sign-up form showing errors').toEqual([]);

  const title = uniqueTitle('Accessible Gig');
  await signUp(seller);
  const event = await createEvent(seller, { name: uniqueTitle('Accessible Fest') });
  await listTicket(seller, title, '25', event.id);
  expect(await accessibilityViolations(seller), 'ticket page').toEqual([]);

  await seller.goto('/tickets/new');
  expect(await accessibilityViolations(seller), 'sell: finding the event').toEqual([]);
  await seller.getByRole('button', { name: 'Add the event' }).click();
  await seller.getByRole('button', { name: 'Add event' }).click();
  await expect(seller.getByLabel('Event name')).toBeFocused();
  expect(await accessibilityViolations(seller), 'sell: new event showing errors').toEqual([]);
  await seller.goto(`/tickets/new?eventId=${event.id}`);
  await seller.getByRole('button', { name: 'Add another seat' }).click();
  await seller.getByRole('button', { name: 'List 2 tickets' }).click();
  await expect(seller.getByLabel('Price per ticket (USD)')).toBeFocused();
  expect(await accessibilityViolations(seller), 'sell: seats showing errors').toEqual([]);
  await seller.goto('/listings');
  expect(await accessibilityViolations(seller), 'my listings').toEqual([]);
});

test("the seller's payouts page has no WCAG 2.1 A/AA violations that axe can find", async ({
  page: seller,
}) => {
  await signUp(seller);
  await seller.goto('/payouts');
  await expect(seller.getByRole('heading', { level: 1, name: 'Payouts' })).toBeVisible();
  expect(await accessibilityViolations(seller), 'payouts').toEqual([]);
  await seller.getByLabel('Stripe account ID').fill('not an account');
  await seller.getByRole('button', { name: 'Save payout account' }).click();
  await expect(seller.getByLabel('Stripe account ID')).toBeFocused();
  expect(await accessibilityViolations(seller), 'payouts: account showing an error').toEqual([]);
});

test("the user's account page has no WCAG 2.1 A/AA violations that axe can find", async ({
  page,
}) => {
  await signUp(page);
  await page.goto('/account');
  await expect(page.getByRole('heading', { level: 1, name: 'Account' })).toBeVisible();
  expect(await accessibilityViolations(page), 'account').toEqual([]);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByLabel('Current password')).toBeFocused();
  expect(await accessibilityViolations(page), 'account: password form showing errors').toEqual([]);
  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(page.getByText('Every other session has been signed out.')).toBeFocused();
  expect(await accessibilityViolations(page), 'account: signed out everywhere').toEqual([]);
});

test('the buying pages have no WCAG 2.1 A/AA violations that axe can find', async ({
  page: seller,
  newBrowser,
}) => {
  const title = uniqueTitle('Accessible Seat');
  await signUp(seller);
  const event = await createEvent(seller, { name: uniqueTitle('Accessible Fest') });
  await listTicket(seller, title, '25', event.id);

  const buyer = await newBrowser();
  await signUp(buyer);
  await buyer.goto(`/?q=${encodeURIComponent(event.name)}&category=concert`);
  await expect(buyer.getByTestId('event-card')).toHaveCount(1);
  expect(await accessibilityViolations(buyer), 'event list, filtered').toEqual([]);
  await buyer.goto(`/events/${event.id}`);
  await expect(buyer.getByTestId('event-listing')).toHaveCount(1);
  expect(await accessibilityViolations(buyer), 'event page').toEqual([]);
  await buyer.goto('/tickets');
  expect(await accessibilityViolations(buyer), 'ticket list').toEqual([]);
  await purchaseFromList(buyer, title);
  await fillCard(buyer, '1234');
  await buyer.getByRole('button', { name: 'Pay $29.00' }).click();
  await expect(buyer.getByLabel('Card number')).toBeFocused();
  expect(await accessibilityViolations(buyer), 'order page with a card error').toEqual([]);
  await buyer.goto('/orders');
  expect(await accessibilityViolations(buyer), 'my orders').toEqual([]);
});
