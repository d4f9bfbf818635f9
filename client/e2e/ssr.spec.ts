import { expect, test, uniqueTitle } from './fixtures';

test('the ticket list is HTML from the server: curl and a browser without JavaScript see the tickets', async ({
  request,
  browser,
  baseURL,
}) => {
  const title = uniqueTitle('Server Rendered');
  const signup = await request.post('/api/users/signup', {
    data: { email: `${crypto.randomUUID()}@example.com`, password: 'correct horse battery' },
  });
  expect(signup.status()).toBe(201);
  const listed = await request.post('/api/tickets', { data: { title, price: 12.5 } });
  expect(listed.status()).toBe(201);

  // What `curl http://localhost:3000/` gets: a plain GET, no cookie, no JavaScript.
  const html = await (await fetch(`${baseURL}/`)).text();
  expect(html).toContain('<h1 class="mb-0">Tickets for sale</h1>');
  expect(html).toContain(`>${title}</a>`);
  expect(html).toContain('$12.50');

  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${baseURL}/`);
  await expect(page.getByRole('link', { name: title })).toBeVisible();
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

// Chromium asks for /favicon.ico on its own (mid-navigation, before the page names its icon); a 404
// there is a console error on whatever page the user is on.
test('/favicon.ico answers with the app icon', async ({ request }) => {
  const icon = await request.get('/favicon.ico');

  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toContain('image/svg+xml');
});
