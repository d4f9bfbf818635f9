import type { Page } from '@playwright/test';
import {
  EVENTUAL_MS,
  expect,
  fillCard,
  listTicket,
  purchaseFromList,
  signUp,
  snap,
  test,
  ticketSearch,
  uniqueTitle,
} from './fixtures';

test.describe('buying a ticket', () => {
  test('a seller lists a ticket; a buyer purchases it, pays with the success card, and the ticket leaves the list', async ({
    page: seller,
    newBrowser,
  }) => {
    const title = uniqueTitle('Radiohead, Row A');
    await signUp(seller);
    await listTicket(seller, title, '45.50');
    await expect(seller.getByTestId('ticket-price')).toHaveText('$51.55 incl. $6.05 fees');
    await expect(seller.getByTestId('ticket-ask')).toHaveText('Your price: $45.50');
    await expect(seller.getByText('This is your own listing.')).toBeVisible();
    await expect(seller.getByRole('button', { name: 'Purchase' })).toBeDisabled();
    await snap(seller, '02-ticket-page-seller');

    const buyer = await newBrowser();
    await signUp(buyer);
    await buyer.goto('/tickets');
    await expect(buyer.getByRole('link', { name: title })).toBeVisible();
    await snap(buyer, '01-ticket-list');
    await purchaseFromList(buyer, title);

    const countdown = buyer.getByRole('timer');
    await expect(countdown).toHaveText(/^1[45]:\d\d$/);
    await expect(buyer.getByText('TEST MODE')).toBeVisible();
    await snap(buyer, '03-order-countdown');
    await fillCard(buyer, '4242 4242 4242 4242');
    await buyer.getByRole('button', { name: 'Pay $51.55' }).click();

    await expect(buyer.getByText('Paid — your order is complete')).toBeVisible({
      timeout: EVENTUAL_MS,
    });
    await expect(countdown).toHaveCount(0);
    await snap(buyer, '04-order-paid');
    await buyer.getByRole('link', { name: 'My orders' }).first().click();
    const row = buyer.getByTestId('order-row').filter({ hasText: title });
    await expect(row.getByText('Paid')).toBeVisible();
    await snap(buyer, '05-my-orders');
    await buyer.goto(ticketSearch(title));
    await expect(buyer.getByRole('heading', { name: 'Tickets for sale' })).toBeVisible();
    await expect(buyer.getByRole('link', { name: title })).toHaveCount(0);

    // The seller sees it sold, and can no longer change it.
    await seller.reload();
    await expect(seller.getByText('Sold', { exact: true })).toBeVisible();
    await expect(seller.getByRole('link', { name: 'Edit listing' })).toHaveCount(0);
  });

  test('a declined card shows the decline, the order is cancelled and the ticket is listed again', async ({
    page: seller,
    newBrowser,
  }) => {
    const title = uniqueTitle('Decline Fest');
    await signUp(seller);
    await listTicket(seller, title, '20');
    const buyer = await newBrowser();
    await signUp(buyer);
    await purchaseFromList(buyer, title);

    await fillCard(buyer, '4000 0000 0000 0002');
    await buyer.getByRole('button', { name: 'Pay $23.50' }).click();

    await expect(buyer.getByText('Your card was declined').first()).toBeVisible();
    await expect(
      buyer.getByText('This order has been cancelled and the ticket released'),
    ).toBeVisible({ timeout: EVENTUAL_MS });
    await snap(buyer, '06-order-declined');
    await expect(async () => {
      await buyer.goto(ticketSearch(title));
      await expect(buyer.getByRole('link', { name: title })).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: EVENTUAL_MS });
  });

  test('a ticket held by one buyer cannot be purchased by another, and says why', async ({
    page: seller,
    newBrowser,
  }) => {
    const title = uniqueTitle('Held Tight');
    await signUp(seller);
    const ticketId = await listTicket(seller, title, '30');
    const first = await newBrowser();
    await signUp(first);
    await purchaseFromList(first, title);

    const second = await newBrowser();
    await signUp(second);
    await expect(async () => {
      await second.goto(`/tickets/${ticketId}`);
      await expect(second.getByRole('button', { name: 'Purchase' })).toBeDisabled({
        timeout: 1_000,
      });
    }).toPass({ timeout: EVENTUAL_MS });
    await expect(second.getByText(/Another buyer is holding this ticket/)).toBeVisible();
    await snap(second, '07-ticket-reserved');

    // The first buyer can find their way back to paying.
    await first.goto(`/tickets/${ticketId}`);
    await first.getByRole('link', { name: 'Continue to payment' }).click();
    await expect(first.getByRole('timer')).toBeVisible();
  });
});

test.describe('selling', () => {
  test('a seller edits the price of an available ticket; a wrong price is refused beside the field', async ({
    page,
  }) => {
    const title = uniqueTitle('Price Change');
    await signUp(page);
    const ticketId = await listTicket(page, title, '20');

    await page.getByRole('link', { name: 'Edit listing' }).click();
    const price = page.getByLabel('Price (USD)');
    await expect(price).toHaveValue('20.00');
    await price.fill('0.10');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(price).toBeFocused();
    await expect(price).toHaveAttribute('aria-invalid', 'true');
    await snap(page, '08-edit-invalid-price');
    await price.fill('32.75');
    await page.getByRole('button', { name: 'Save changes' }).click();

    await expect(page).toHaveURL(new RegExp(`/tickets/${ticketId}$`));
    await expect(page.getByTestId('ticket-ask')).toHaveText('Your price: $32.75');
    await expect(page.getByTestId('ticket-price')).toHaveText('$37.53 incl. $4.78 fees');
    await page.goto(ticketSearch(title));
    const card = page.getByTestId('ticket-card').filter({ hasText: title });
    await expect(card).toContainText('$37.53 incl. $4.78 fees');
  });

  test('selling needs an account: a visitor is sent to sign in and brought back', async ({
    page,
  }) => {
    await page.goto('/tickets/new');

    await expect(page).toHaveURL(/\/auth\/signin\?next=%2Ftickets%2Fnew$/);
    await page.getByRole('link', { name: 'Create an account' }).click();
    await expect(page.getByRole('heading', { name: 'Sign up' })).toBeVisible();
    await signUpHere(page);
    await expect(page).toHaveURL(/\/tickets\/new$/);
    await expect(page.getByRole('heading', { name: 'Sell tickets' })).toBeVisible();
  });
});

async function signUpHere(page: Page) {
  await page.getByLabel('Email address').fill(`${crypto.randomUUID()}@example.com`);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign up' }).click();
}
