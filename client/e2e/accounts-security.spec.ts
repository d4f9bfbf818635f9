import type { Page } from '@playwright/test';
import {
  EVENTUAL_MS,
  accessibilityViolations,
  PASSWORD,
  createEvent,
  expect,
  signIn,
  signUp,
  snap,
  test,
  uniqueTitle,
} from './fixtures';

/** The orders service's default cap on the unpaid holds of one buyer (ORDER_HOLD_CAP). */
const HOLD_CAP = 4;

/**
 * How soon a session ended elsewhere must read as signed out: the services promise a second; the rest
 * is the reload of a page on a busy two-core machine.
 */
const SESSION_END_MS = 3_000;

/** Lists a ticket for `eventId` through the API as the seller signed in on `seller`. */
async function listThroughApi(seller: Page, eventId: string, title: string, price: number) {
  const response = await seller.request.post('/api/tickets', { data: { eventId, price, title } });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as { id: string; title: string };
}

/**
 * Holds the ticket through the API as the buyer signed in on `buyer`; returns the order's id. A 404
 * while the orders service has not yet heard of a ticket listed a moment ago is tried again.
 */
async function holdThroughApi(buyer: Page, ticketId: string): Promise<string> {
  let orderId = '';
  await expect(async () => {
    const response = await buyer.request.post('/api/orders', { data: { ticketId } });
    expect(response.status(), await response.text()).toBe(201);
    orderId = ((await response.json()) as { id: string }).id;
  }).toPass({ timeout: EVENTUAL_MS });
  return orderId;
}

/** Reloads `page` until its header shows nobody signed in. */
async function expectSignedOutSoon(page: Page) {
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible({ timeout: 500 });
  }).toPass({ intervals: [100, 250], timeout: SESSION_END_MS });
  await expect(page.getByTestId('signed-in-as')).toHaveCount(0);
  await page.goto('/account');
  await expect(page).toHaveURL(/\/auth\/signin\?next=%2Faccount$/);
}

/** Reloads `page` and checks it is still signed in as `email`. */
async function expectStillSignedIn(page: Page, email: string) {
  await page.reload();
  await expect(page.getByTestId('signed-in-as')).toContainText(email);
  await expect(page.getByRole('heading', { level: 1, name: 'Account' })).toBeVisible();
}

test('a buyer at the hold cap sees the tickets they hold, cancels one and can then order another', async ({
  page: buyer,
  newBrowser,
}) => {
  const seller = await newBrowser();
  await signUp(seller);
  const event = await createEvent(seller, { name: uniqueTitle('Hold Cap Fest') });
  const tickets = [];
  for (let i = 1; i <= HOLD_CAP + 1; i++) {
    tickets.push(await listThroughApi(seller, event.id, uniqueTitle(`Cap Seat ${i}`), 20 + i));
  }
  const [firstHeld, , , , extra] = tickets;
  await signUp(buyer);
  const orderIds: string[] = [];
  for (const ticket of tickets.slice(0, HOLD_CAP))
    orderIds.push(await holdThroughApi(buyer, ticket.id));

  await buyer.goto(`/tickets/${extra!.id}`);
  await buyer.getByRole('button', { name: 'Purchase' }).click();

  const alert = buyer.getByRole('main').getByRole('alert');
  await expect(alert).toHaveText(
    `You already hold ${HOLD_CAP} tickets: pay for or cancel one first`,
  );
  await expect(alert).toBeFocused();
  const held = buyer.getByRole('list', { name: 'Pay for or cancel one of these first:' });
  await expect(held.getByRole('listitem')).toHaveCount(HOLD_CAP);
  for (const [i, ticket] of tickets.slice(0, HOLD_CAP).entries()) {
    await expect(held.getByRole('link', { name: ticket.title })).toHaveAttribute(
      'href',
      `/orders/${orderIds[i]}`,
    );
  }
  await expect(held.getByRole('listitem').first()).toContainText(/incl\. \$[\d.]+ fees/);
  await expect(held.getByRole('listitem').first()).toContainText(/\d+ min left/);
  expect(await accessibilityViolations(buyer), 'ticket page at the hold cap').toEqual([]);
  await snap(buyer, '14-hold-cap');

  await held.getByRole('link', { name: firstHeld!.title }).click();
  await expect(buyer).toHaveURL(new RegExp(`/orders/${orderIds[0]}$`));
  await buyer.getByRole('button', { name: 'Cancel this order and release the ticket' }).click();
  await expect(buyer.getByText('This order was cancelled')).toBeVisible();

  // Holding the ticket just released again has to wait a little; others could buy it meanwhile.
  await expect(async () => {
    await buyer.goto(`/tickets/${firstHeld!.id}`);
    await expect(buyer.getByRole('button', { name: 'Purchase' })).toBeEnabled({ timeout: 1_000 });
  }).toPass({ timeout: EVENTUAL_MS });
  await buyer.getByRole('button', { name: 'Purchase' }).click();
  await expect(alert).toContainText(
    /^Your hold on this ticket ended recently: you can hold it again in \d+ seconds?/,
  );
  await expect(alert).toContainText('Other buyers can still buy it in the meantime.');
  await snap(buyer, '15-rehold-cooldown');

  await buyer.goto(`/tickets/${extra!.id}`);
  await buyer.getByRole('button', { name: 'Purchase' }).click();
  await expect(buyer).toHaveURL(/\/orders\/[0-9a-f]{24}$/);
  await expect(buyer.getByRole('timer')).toBeVisible();
});

test("changing the password signs the user's other browsers out; this one stays signed in", async ({
  page: here,
  newBrowser,
}) => {
  const email = await signUp(here);
  const elsewhere = await newBrowser();
  await signIn(elsewhere, email);

  await here.getByRole('link', { name: 'Account', exact: true }).click();
  await expect(here.getByTestId('account-email')).toContainText(email);
  await here.getByLabel('Current password').fill('not the password');
  await here.getByLabel('New password').fill('a brand new horse');
  await here.getByRole('button', { name: 'Change password' }).click();
  const current = here.getByLabel('Current password');
  await expect(current).toHaveAccessibleDescription('Current password is incorrect');
  await expect(current).toBeFocused();
  await current.fill(PASSWORD);
  await here.getByLabel('New password').fill('a brand new horse');
  await here.getByRole('button', { name: 'Change password' }).click();
  await expect(here.getByRole('status').filter({ hasText: 'Password changed' })).toHaveText(
    'Password changed. Other sessions have been signed out.',
  );
  await snap(here, '16-password-changed');

  await expectSignedOutSoon(elsewhere);
  await expectStillSignedIn(here, email);
  await signIn(elsewhere, email, 'a brand new horse');
});

test("signing out everywhere ends the user's other sessions; this one stays signed in", async ({
  page: here,
  newBrowser,
}) => {
  const email = await signUp(here);
  const elsewhere = await newBrowser();
  await signIn(elsewhere, email);
  await here.goto('/account');

  await expect(
    here.getByRole('button', { name: 'Sign out everywhere' }),
  ).toHaveAccessibleDescription(
    'Signs out every other browser and device; you stay signed in here.',
  );
  await here.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(here.getByRole('status').filter({ hasText: 'Every other session' })).toHaveText(
    'Every other session has been signed out. You are still signed in here.',
  );

  await expectSignedOutSoon(elsewhere);
  await expectStillSignedIn(here, email);
});
