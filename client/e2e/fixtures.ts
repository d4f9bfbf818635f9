import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import type { Stack } from '@ticketing/local';
import { logDir, startE2EStack } from './stack';

export { expect };

/** Seconds a purchase holds its ticket on the expiry scenario's own stack. */
// Long enough for a buyer to reach the order page on a busy two-core machine, short enough to wait for.
export const SHORT_HOLD_SECONDS = 20;

/** How long outcomes that travel through events (paid, cancelled, listed again) may take to show. */
export const EVENTUAL_MS = 20_000;

/**
 * Chromium reports every 4xx answer as a console error ("Failed to load resource"). An API refusing
 * a request (a wrong password, a declined card) is a scenario, not a fault of the page; anything else
 * on the console — a failed page or asset, a hydration error, an uncaught exception — fails the test.
 */
function isExpectedApiRefusal(text: string, url: string | undefined, outage: boolean): boolean {
  const expected = outage
    ? // A service killed on purpose: the gateway answers 502/503, and breaks the streams it served.
      /Failed to load resource: (the server responded with a status of [45]\d\d|net::ERR_INCOMPLETE_CHUNKED_ENCODING)/
    : /Failed to load resource: the server responded with a status of 4\d\d/;
  return expected.test(text) && !!url && new URL(url).pathname.startsWith('/api/');
}

function watchConsole(context: BrowserContext, problems: string[], outage: boolean) {
  const watch = (page: Page) => {
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      if (isExpectedApiRefusal(message.text(), message.location().url, outage)) return;
      problems.push(`console error on ${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`uncaught on ${page.url()}: ${error.message}`));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
}

interface Fixtures {
  /**
   * The test stops a service on purpose: the gateway's 5xx answers to the API meanwhile are part of the
   * scenario, not a fault of the page (`test.use({ serviceOutage: true })`).
   */
  serviceOutage: boolean;
  /** Opens another browser (its own cookies), as a second person would: a buyer beside the seller. */
  newBrowser: () => Promise<Page>;
}

interface WorkerFixtures {
  /**
   * A stack of this worker's own whose holds last SHORT_HOLD_SECONDS, started for the tests that use it;
   * they may also kill and restart its services (the global stack is shared by every test).
   */
  shortHoldStack: Stack;
  /** That stack's gateway. */
  shortHoldUrl: string;
}

export const test = base.extend<Fixtures, WorkerFixtures>({
  shortHoldStack: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
    async ({}, use) => {
      const stack = await startE2EStack('short-hold-stack', {
        ORDER_EXPIRATION_SECONDS: String(SHORT_HOLD_SECONDS),
      });
      await use(stack);
      await stack.stop();
    },
    { scope: 'worker', timeout: 180_000 },
  ],
  shortHoldUrl: [async ({ shortHoldStack }, use) => use(shortHoldStack.url), { scope: 'worker' }],

  serviceOutage: [false, { option: true }],

  context: async ({ context, serviceOutage }, use) => {
    const problems: string[] = [];
    watchConsole(context, problems, serviceOutage);
    await use(context);
    expect(problems, 'the console stayed clean').toEqual([]);
  },

  newBrowser: async ({ browser, baseURL, serviceOutage }, use) => {
    const contexts: BrowserContext[] = [];
    const problems: string[] = [];
    await use(async () => {
      const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } });
      contexts.push(context);
      watchConsole(context, problems, serviceOutage);
      return context.newPage();
    });
    await Promise.all(contexts.map((context) => context.close()));
    expect(problems, 'the console stayed clean').toEqual([]);
  },
});

export function uniqueTitle(what: string): string {
  return `${what} ${randomUUID().slice(0, 8)}`;
}

/** Saves a full-page screenshot as test-results/screenshots/<name>.png (a CI artifact). */
export async function snap(page: Page, name: string) {
  const dir = join(logDir, 'screenshots');
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** The password `signUp` gives every new user. */
export const PASSWORD = 'correct horse battery';

/** Signs up a new user through the form; returns their email. */
export async function signUp(page: Page): Promise<string> {
  const email = `${randomUUID()}@example.com`;
  await page.goto('/auth/signup');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page.getByTestId('signed-in-as')).toContainText(email);
  return email;
}

/** Signs in through the form as an existing user (another browser of theirs, say). */
export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto('/auth/signin');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in-as')).toContainText(email);
}

/** An event of the catalogue as the API answers it. */
export interface CatalogEvent {
  id: string;
  name: string;
  venue: string;
  city: string;
  category: string;
  startsAt: string;
  timeZone: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Adds an event through the API as the user signed in on `page` (its cookies): by default a concert a
 * month ahead, in New York. Returns the event as the catalogue has it.
 */
export async function createEvent(
  page: Page,
  overrides: Partial<Omit<CatalogEvent, 'id'>> = {},
): Promise<CatalogEvent> {
  const response = await page.request.post('/api/events', {
    data: {
      name: uniqueTitle('Test Concert'),
      venue: 'Test Hall',
      city: 'Testville',
      category: 'concert',
      startsAt: new Date(Date.now() + 30 * DAY_MS).toISOString(),
      timeZone: 'America/New_York',
      ...overrides,
    },
  });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as CatalogEvent;
}

/**
 * Lists a ticket through the sell form, for `eventId` or else for a new event; returns its id once its
 * page is shown.
 */
export async function listTicket(
  page: Page,
  title: string,
  price: string,
  eventId?: string,
): Promise<string> {
  const event = eventId ?? (await createEvent(page, { name: `${title} Live` })).id;
  await page.goto(`/tickets/new?eventId=${event}`);
  await page.getByLabel('Price per ticket (USD)').fill(price);
  await page.getByLabel('Title (optional)').fill(title);
  await page.getByRole('button', { name: 'List ticket' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  const id = /\/tickets\/([0-9a-f]{24})$/.exec(page.url())?.[1];
  if (!id) throw new Error(`expected a ticket page, got ${page.url()}`);
  return id;
}

/** The list of all tickets for sale, searched for `title` (other tests' tickets may fill a page). */
export function ticketSearch(title: string): string {
  return `/tickets?q=${encodeURIComponent(title)}`;
}

/** Finds the ticket in the list of all tickets, as a buyer would, opens it and starts the purchase. */
export async function purchaseFromList(page: Page, title: string): Promise<string> {
  await page.goto(ticketSearch(title));
  await page.getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await page.getByRole('button', { name: 'Purchase' }).click();
  await expect(page).toHaveURL(/\/orders\/[0-9a-f]{24}$/);
  return page.url().split('/').pop()!;
}

export async function fillCard(page: Page, card: string) {
  await page.getByLabel('Card number').fill(card);
  await page.getByLabel('Expiry (MM / YY)').fill('12 / 34');
  await page.getByLabel('CVC').fill('123');
}

/** WCAG 2.1 A/AA problems axe finds on the page as it is now (empty when there are none). */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const { default: AxeBuilder } = await import('@axe-core/playwright');
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
}
