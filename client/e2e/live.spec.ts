import type { Page } from '@playwright/test';
import {
  EVENTUAL_MS,
  expect,
  fillCard,
  listTicket,
  createEvent,
  signUp,
  snap,
  test,
  uniqueTitle,
} from './fixtures';

/** What pushed updates may take to show: the stream's promise, measured from the cause. */
const LIVE_MS = 1_000;

/** Opens the event's page and waits until its listings follow the event's stream. */
async function openLiveEventPage(page: Page, eventId: string) {
  await page.goto(`/events/${eventId}`);
  await expect(page.getByTestId('event-listings')).toHaveAttribute('data-stream', 'live');
}

/** Buys the event's only listing from its page; returns the order's id once its page is live. */
async function buyFromEventPage(buyer: Page): Promise<string> {
  await buyer.getByTestId('event-listing').getByRole('button', { name: /^Buy/ }).click();
  await expect(buyer).toHaveURL(/\/orders\/[0-9a-f]{24}$/);
  await expect(buyer.getByTestId('order-outcome')).toHaveAttribute('data-stream', 'live');
  return buyer.url().split('/').pop()!;
}

test('without a reload, a watcher sees a listing reserved and the buyer sees the order paid', async ({
  page: seller,
  newBrowser,
}) => {
  const title = uniqueTitle('Live Seat');
  await signUp(seller);
  const event = await createEvent(seller, { name: `${title} Live` });
  await listTicket(seller, title, '40', event.id);
  const watcher = await newBrowser();
  await signUp(watcher);
  const buyer = await newBrowser();
  await signUp(buyer);
  await openLiveEventPage(watcher, event.id);
  await openLiveEventPage(buyer, event.id);
  const watched = watcher.getByTestId('event-listing');
  await expect(watched.getByRole('button', { name: /^Buy/ })).toBeEnabled();
  const heading = watcher.getByTestId('listings-heading');
  await expect(heading).toContainText('1 ticket for sale · from $45.50');

  await buyFromEventPage(buyer);

  await expect(watched.getByTestId('listing-status')).toHaveText('Reserved', { timeout: LIVE_MS });
  await expect(watched.getByRole('button', { name: /^Buy/ })).toHaveCount(0);
  await expect(heading).toHaveText('Tickets for sale');
  await snap(watcher, '30-event-listing-reserved-live');

  await fillCard(buyer, '4242 4242 4242 4242');
  const charged = buyer.waitForResponse(
    (response) =>
      new URL(response.url()).pathname === '/api/payments' &&
      response.request().method() === 'POST',
  );
  await buyer.getByRole('button', { name: 'Pay $45.50' }).click();
  expect((await charged).ok()).toBe(true);

  await expect(buyer.getByText('Paid — your order is complete')).toBeVisible({ timeout: LIVE_MS });
  await expect(buyer.getByRole('timer')).toHaveCount(0);
  await expect(watched.getByTestId('listing-status')).toHaveText('Sold', { timeout: EVENTUAL_MS });
  await snap(buyer, '31-order-paid-live');
});

test.describe('on a stack whose holds last seconds', () => {
  test.use({
    baseURL: async ({ shortHoldUrl }, use) => use(shortHoldUrl),
  });

  test('without a reload, the buyer sees the hold expire on time and a watcher sees the listing return', async ({
    page: seller,
    newBrowser,
  }) => {
    const title = uniqueTitle('Live Hold');
    await signUp(seller);
    const event = await createEvent(seller, { name: `${title} Live` });
    await listTicket(seller, title, '15', event.id);
    const buyer = await newBrowser();
    await signUp(buyer);
    await openLiveEventPage(seller, event.id);
    await openLiveEventPage(buyer, event.id);

    const orderId = await buyFromEventPage(buyer);
    const response = await buyer.request.get(`/api/orders/${orderId}`);
    const { expiresAt } = (await response.json()) as { expiresAt: string };
    await expect(seller.getByTestId('listing-status')).toHaveText('Reserved', {
      timeout: LIVE_MS,
    });

    await expect(buyer.getByText('Your hold expired')).toBeVisible({
      timeout: Math.max(Date.parse(expiresAt) - Date.now(), 0) + LIVE_MS,
    });
    await expect(buyer.getByRole('button', { name: /^Pay/ })).toHaveCount(0);
    await expect(
      seller.getByTestId('event-listing').getByRole('link', { name: /^Your listing/ }),
    ).toBeVisible({ timeout: EVENTUAL_MS });
    await snap(buyer, '32-order-expired-live');
  });
});

test.describe('when the service serving a stream is killed', () => {
  test.use({
    baseURL: async ({ shortHoldUrl }, use) => use(shortHoldUrl),
    serviceOutage: true,
  });

  test('after a kill -9 of tickets, the event page reconnects by itself and shows what changed meanwhile', async ({
    page: seller,
    newBrowser,
    shortHoldStack,
  }) => {
    const title = uniqueTitle('Live Restart');
    await signUp(seller);
    const event = await createEvent(seller, { name: `${title} Live` });
    const ticketId = await listTicket(seller, title, '25', event.id);
    const buyer = await newBrowser();
    await signUp(buyer);
    await openLiveEventPage(seller, event.id);
    const listings = seller.getByTestId('event-listings');
    const placed = await buyer.request.post('/api/orders', { data: { ticketId } });
    expect(placed.status(), await placed.text()).toBe(201);
    const { id: orderId } = (await placed.json()) as { id: string };
    await expect(seller.getByTestId('listing-status')).toHaveText('Reserved', { timeout: LIVE_MS });

    try {
      await shortHoldStack.kill('tickets');
      await expect(listings).not.toHaveAttribute('data-stream', 'live', { timeout: EVENTUAL_MS });
      // While tickets is down the hold ends; tickets learns it from the event stream once it is back.
      const cancelled = await buyer.request.delete(`/api/orders/${orderId}`);
      expect(cancelled.status()).toBe(204);
    } finally {
      await shortHoldStack.restart('tickets');
    }

    await expect(listings).toHaveAttribute('data-stream', 'live', { timeout: EVENTUAL_MS });
    await expect(
      seller.getByTestId('event-listing').getByRole('link', { name: /^Your listing/ }),
    ).toBeVisible({ timeout: EVENTUAL_MS });
    await expect(seller.getByTestId('listing-status')).toHaveCount(0);
    await snap(seller, '33-event-listing-after-restart');
  });
});
