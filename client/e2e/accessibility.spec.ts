import {
  accessibilityViolations,
  expect,
  fillCard,
  listTicket,
  purchaseFromList,
  signUp,
  test,
  uniqueTitle,
} from './fixtures';

test('the key pages have no WCAG 2.1 A/AA violations that axe can find', async ({
  page: seller,
  newBrowser,
}) => {
  const visitor = await newBrowser();
  await visitor.goto('/auth/signup');
  await visitor.getByRole('button', { name: 'Sign up' }).click();
  await expect(visitor.getByLabel('Email address')).toBeFocused();
  expect(await accessibilityViolations(visitor), 'sign-up form showing errors').toEqual([]);

  const title = uniqueTitle('Accessible Gig');
  await signUp(seller);
  await listTicket(seller, title, '25');
  expect(await accessibilityViolations(seller), 'ticket page').toEqual([]);
  await seller.goto('/tickets/new');
  expect(await accessibilityViolations(seller), 'sell form').toEqual([]);

  const buyer = await newBrowser();
  await signUp(buyer);
  await buyer.goto('/');
  expect(await accessibilityViolations(buyer), 'ticket list').toEqual([]);
  await purchaseFromList(buyer, title);
  await fillCard(buyer, '1234');
  await buyer.getByRole('button', { name: 'Pay $25.00' }).click();
  await expect(buyer.getByLabel('Card number')).toBeFocused();
  expect(await accessibilityViolations(buyer), 'order page with a card error').toEqual([]);
  await buyer.goto('/orders');
  expect(await accessibilityViolations(buyer), 'my orders').toEqual([]);
});
