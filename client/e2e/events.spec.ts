import {
  createEvent,
  EVENTUAL_MS,
  expect,
  signUp,
  snap,
  test,
  ticketSearch,
  uniqueTitle,
} from './fixtures';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The instant as the clocks of `timeZone` show it: "2027-01-17 20:00:00" (Sweden's format is ISO's). */
function wallClock(iso: string, timeZone: string): string {
  return new Date(iso).toLocaleString('sv-SE', { timeZone });
}

test('a seller adds an event and lists two seats; a buyer finds it by name and city, sorts by price and buys the cheaper seat', async ({
  page: seller,
  newBrowser,
}) => {
  // Two people, a dozen pages and a purchase: about 30 s on an idle machine, near the minute when busy.
  test.slow();
  const name = uniqueTitle('Harbor Lights');
  const part = name.split(' ').pop()!;
  const day = new Date(Date.now() + 45 * DAY_MS).toISOString().slice(0, 10);
  await signUp(seller);

  // Step 1: the event is not in the catalogue yet, so the seller adds it, on the venue's clock.
  await seller.goto('/tickets/new');
  await seller.getByLabel('Find the event').fill(name);
  await seller.getByRole('button', { name: 'Search' }).click();
  await expect(seller.getByText(`No upcoming events match “${name}”.`)).toBeVisible();
  await seller.getByRole('button', { name: 'Add the event' }).click();
  await expect(seller.getByLabel('Event name')).toHaveValue(name);
  await seller.getByLabel('Venue').fill('Crystal Ballroom');
  await seller.getByLabel('City').fill('Portland');
  await seller.getByLabel('Date and time').fill(`${day}T20:00`);
  await seller.getByLabel('Time zone').selectOption('America/Los_Angeles');
  await seller.getByLabel('Category').selectOption('concert');
  await expect(seller.getByTestId('event-start-preview')).toContainText(/8:00 PM P[SD]T/);
  await seller.getByRole('button', { name: 'Add event' }).click();
  await expect(seller.getByTestId('chosen-event')).toContainText(name);

  // Step 2: two seats at one price, one listing each.
  await seller.getByLabel('Price per ticket (USD)').fill('80');
  const seatRow = (n: number) => seller.getByRole('group', { name: `Ticket ${n}` });
  await seatRow(1).getByLabel('Section').fill('Balcony');
  await seatRow(1).getByLabel('Row').fill('C');
  await seatRow(1).getByLabel('Seat').fill('11');
  await seller.getByRole('button', { name: 'Add another seat' }).click();
  await seatRow(2).getByLabel('Section').fill('Balcony');
  await seatRow(2).getByLabel('Row').fill('C');
  await seatRow(2).getByLabel('Seat').fill('12');
  await snap(seller, '20-sell-two-seats');
  await seller.getByRole('button', { name: 'List 2 tickets' }).click();

  await expect(seller).toHaveURL(/\/events\/[0-9a-f]{24}\?listed=2$/);
  await expect(seller.getByRole('main').getByRole('status')).toContainText(
    'Your 2 tickets are listed',
  );
  await expect(seller.getByTestId('event-listing')).toHaveCount(2);
  const eventId = /\/events\/([0-9a-f]{24})/.exec(seller.url())![1]!;
  // The start went to the API as the instant that is 20:00 in Los Angeles on that day.
  const stored = (await (await seller.request.get(`/api/events/${eventId}`)).json()) as {
    startsAt: string;
  };
  expect(wallClock(stored.startsAt, 'America/Los_Angeles')).toBe(`${day} 20:00:00`);

  // Seat 12 gets cheaper: the seller edits its price from My listings.
  await seller.goto('/listings');
  await seller
    .getByTestId('listing-row')
    .filter({ hasText: 'Seat 12' })
    .getByRole('link', { name: /^Edit/ })
    .click();
  await seller.getByLabel('Price (USD)').fill('55');
  await seller.getByRole('button', { name: 'Save changes' }).click();
  await expect(seller.getByTestId('ticket-ask')).toHaveText('Your price: $55.00');
  await expect(seller.getByTestId('ticket-price')).toHaveText('$62.00 incl. $7.00 fees');

  // The buyer searches by part of the name, then narrows to the city.
  const buyer = await newBrowser();
  await signUp(buyer);
  await buyer.goto('/');
  await buyer.getByLabel('Search', { exact: true }).fill(part);
  await buyer.getByRole('button', { name: 'Search' }).click();
  await expect(buyer).toHaveURL(new RegExp(`\\?q=${part}&`));
  const card = buyer.getByTestId('event-card').filter({ hasText: name });
  await expect(card).toContainText('2 tickets · from $62.00 incl. fees');
  await expect(card).toContainText(/, 8:00 PM P[SD]T/);
  await expect(card).toContainText('Crystal Ballroom, Portland');
  await buyer.getByLabel('City').fill('Seattle');
  await buyer.getByRole('button', { name: 'Search' }).click();
  await expect(buyer.getByText('No upcoming events match your search.')).toBeVisible();
  await expect(buyer.getByLabel('Search', { exact: true })).toHaveValue(part);
  await buyer.getByLabel('City').fill('portland');
  await buyer.getByRole('button', { name: 'Search' }).click();
  await expect(buyer).toHaveURL(/city=portland/);
  await snap(buyer, '21-events-filtered');
  await card.getByRole('link', { name }).click();

  // The event's page: its seats, sorted both ways; the cheaper one is bought.
  await expect(buyer.getByRole('heading', { level: 1, name })).toBeVisible();
  const rows = buyer.getByTestId('event-listing');
  await buyer.getByRole('link', { name: 'Price: high to low' }).click();
  await expect(buyer).toHaveURL(/sort=-price$/);
  await expect(rows.first()).toContainText('$89.50');
  await buyer.getByRole('link', { name: 'Price: low to high' }).click();
  await expect(buyer).toHaveURL(/sort=price$/);
  await expect(rows.first()).toContainText('$62.00');
  await expect(rows.first()).toContainText('12');
  await snap(buyer, '22-event-page');
  await rows.first().getByRole('button', { name: /^Buy/ }).click();

  await expect(buyer).toHaveURL(/\/orders\/[0-9a-f]{24}$/);
  await expect(buyer.getByRole('button', { name: 'Pay $62.00' })).toBeVisible();
  const facts = buyer.getByTestId('listing-facts');
  await expect(facts).toContainText(name);
  await expect(facts).toContainText('Crystal Ballroom, Portland');
  await expect(facts).toContainText(/Seat\s*12/);
  await buyer.goto('/orders');
  await expect(buyer.getByTestId('order-row').filter({ hasText: name })).toContainText(
    'Section Balcony, Row C, Seat 12',
  );
});

test('a listing whose event has started leaves the lists and can no longer be ordered', async ({
  page: seller,
  newBrowser,
}) => {
  await signUp(seller);
  // The catalogue takes only events in the future: this one starts a few seconds from now.
  const startsAt = Date.now() + 8_000;
  const event = await createEvent(seller, {
    name: uniqueTitle('Curtain Up'),
    category: 'theater',
    startsAt: new Date(startsAt).toISOString(),
    timeZone: 'Europe/London',
  });
  const listed = await seller.request.post('/api/tickets', {
    data: { eventId: event.id, price: 30, row: 'D', seat: '4' },
  });
  expect(listed.status(), await listed.text()).toBe(201);
  const ticket = (await listed.json()) as { id: string; title: string };

  await seller.goto(`/events/${event.id}`);
  await expect(seller.getByTestId('event-listing')).toHaveCount(1);
  await seller.goto(`/?q=${encodeURIComponent(event.name)}`);
  await expect(seller.getByTestId('event-card')).toContainText('1 ticket · from $34.50');

  await seller.waitForTimeout(Math.max(0, startsAt - Date.now()));
  // Past the start, and past the lists' one-second cache.
  await expect(async () => {
    await seller.goto(`/events/${event.id}`);
    await expect(seller.getByText('This event has started')).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: EVENTUAL_MS });
  await expect(seller.getByTestId('event-listing')).toHaveCount(0);
  await expect(seller.getByRole('link', { name: 'Sell tickets for this event' })).toHaveCount(0);
  await seller.goto(`/?q=${encodeURIComponent(event.name)}`);
  await expect(seller.getByText('No upcoming events match your search.')).toBeVisible();
  await seller.goto(ticketSearch(ticket.title));
  await expect(seller.getByText('No tickets match your search.')).toBeVisible();
  await seller.goto('/listings');
  const row = seller.getByTestId('listing-row').filter({ hasText: event.name });
  await expect(row).toContainText('Closed');
  await expect(row).toContainText('Event started');

  const buyer = await newBrowser();
  await signUp(buyer);
  await buyer.goto(`/tickets/${ticket.id}`);
  await expect(buyer.getByText('Closed', { exact: true })).toBeVisible();
  await expect(buyer.getByTestId('ticket-closed')).toContainText('Event started');
  await expect(buyer.getByRole('button', { name: 'Purchase' })).toHaveCount(0);
  await snap(buyer, '23-ticket-closed');
  const order = await buyer.request.post('/api/orders', { data: { ticketId: ticket.id } });
  expect(order.status(), await order.text()).toBe(400);
  expect(((await order.json()) as { errors: { message: string }[] }).errors).toContainEqual(
    expect.objectContaining({ message: 'The event has started' }),
  );
});
