import { expect, test, uniqueTitle } from './fixtures';

/** An HTML page's text, its tags (and React's <!-- --> between text parts) left out. */
function textOf(html: string): string {
  return html.replace(/<[^>]*>/g, '');
}

test('the lists are HTML from the server: curl and a browser without JavaScript see events and tickets', async ({
  request,
  browser,
  baseURL,
}) => {
  const title = uniqueTitle('Server Rendered');
  const name = uniqueTitle('Unplugged');
  const signup = await request.post('/api/users/signup', {
    data: { email: `${crypto.randomUUID()}@example.com`, password: 'correct horse battery' },
  });
  expect(signup.status()).toBe(201);
  const created = await request.post('/api/events', {
    data: {
      name,
      venue: 'Plain Hall',
      city: 'Nojsville',
      category: 'comedy',
      startsAt: new Date(Date.now() + 7 * 24 * 3600_000).toISOString(),
      timeZone: 'Europe/Paris',
    },
  });
  expect(created.status()).toBe(201);
  const event = (await created.json()) as { id: string };
  const listed = await request.post('/api/tickets', {
    data: { eventId: event.id, title, price: 12.5, row: 'K', seat: '3' },
  });
  expect(listed.status()).toBe(201);

  // What `curl http://localhost:3000/` gets: a plain GET, no cookie, no JavaScript.
  const home = await (await fetch(`${baseURL}/?q=${encodeURIComponent(name)}`)).text();
  expect(home).toContain('<h1 class="mb-0">Upcoming events</h1>');
  expect(home).toContain(`>${name}</a>`);
  // The all-in price ($12.50 + 10 % + $1.50), its parts in elements of their own.
  expect(textOf(home)).toContain('1 ticket · from $15.25 incl. fees');
  const tickets = await (await fetch(`${baseURL}/tickets?q=${encodeURIComponent(title)}`)).text();
  expect(tickets).toContain('<h1 class="mb-0">Tickets for sale</h1>');
  expect(tickets).toContain(`>${title}</a>`);
  const eventPage = await (await fetch(`${baseURL}/events/${event.id}`)).text();
  expect(eventPage).toContain(`>${name}</h1>`);
  expect(textOf(eventPage)).toContain('$15.25 incl. $2.75 fees');

  // Without JavaScript the search is still a form that submits, and the event page still lists seats.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${baseURL}/`);
  await page.getByLabel('Search', { exact: true }).fill(name);
  await page.getByLabel('City').fill('nojsville');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/\?q=.*&city=nojsville/);
  await page.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByTestId('event-listing')).toContainText('$15.25 incl. $2.75 fees');
  await context.close();
});

// Its own context: Chromium logs the 404 of the page itself to the console, which is the point here.
test('an unknown ticket is a 404 page', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();

  const response = await page.goto('/tickets/0123456789abcdef01234567');

  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
  await context.close();
});

test('an unknown event is a 404 page', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();

  const response = await page.goto('/events/0123456789abcdef01234567');

  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
  await context.close();
});

test('a bad filter in the URL is explained on the page, not an error', async ({ page }) => {
  await page.goto('/?from=2027-06-10&to=2027-06-01');

  // Scoped to the page's content: Next's route announcer is an alert too.
  await expect(page.getByRole('main').getByRole('alert')).toContainText(
    'to must not be before from',
  );
  await expect(page.getByLabel('From')).toHaveValue('2027-06-10');
});

// Chromium asks for /favicon.ico on its own (mid-navigation, before the page names its icon); a 404
// there is a console error on whatever page the user is on.
test('/favicon.ico answers with the app icon', async ({ request }) => {
  const icon = await request.get('/favicon.ico');

  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toContain('image/svg+xml');
});
