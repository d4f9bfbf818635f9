/**
 * Fair holds and safe accounts through the gateway (issue 14): the hold cap under concurrency, correct
 * sign-ins never limited, and a session copied before a password change (or "sign out everywhere")
 * refused by tickets, orders and payments within a second while the changing session carries on.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ApiClient } from '@ticketing/common';
import { listTicket, replicated, useBackend, waitFor } from './harness';

const backend = useBackend();
const PASSWORD = 'correct horse';

/** A browser holding a copy of `browser`'s session cookie (what a thief would hold). */
function copyOf(browser: ApiClient): ApiClient {
  const copy = new ApiClient(backend.stack.url);
  copy.cookie = browser.cookie;
  return copy;
}

/** The signed-in routes of tickets, orders and payments, as `browser` sees them: their statuses. */
async function signedInStatuses(browser: ApiClient): Promise<number[]> {
  return Promise.all([
    browser.listMyTickets().then((res) => res.status),
    browser.listOrders().then((res) => res.status),
    browser.listPayouts().then((res) => res.status),
  ]);
}

/** How long after `since` every signed-in route refused `browser` (401), waiting up to 5 s. */
async function refusedEverywhereAfter(browser: ApiClient, since: number): Promise<number> {
  await waitFor(async () => (await signedInStatuses(browser)).every((s) => s === 401), 5_000);
  return Date.now() - since;
}

async function signedUpUser(): Promise<{ browser: ApiClient; email: string }> {
  const browser = new ApiClient(backend.stack.url);
  const email = `${randomUUID()}@example.com`;
  expect((await browser.signUp({ email, password: PASSWORD })).status).toBe(201);
  return { browser, email };
}

describe('fair holds and safe accounts, through the gateway', () => {
  it('gives one buyer exactly 4 of 10 simultaneous orders for 10 tickets', async () => {
    const seller = await backend.user();
    const buyer = await backend.user();
    const tickets = [];
    for (let i = 0; i < 10; i++) tickets.push(await listTicket(seller, { price: 10 + i }));
    for (const ticket of tickets) await replicated(backend, 'orders', 'tickets', ticket.id);

    const answers = await Promise.all(tickets.map((ticket) => buyer.createOrder(ticket.id)));

    expect(answers.filter((res) => res.status === 201)).toHaveLength(4);
    const refused = answers.filter((res) => res.status !== 201);
    expect(refused.map((res) => [res.status, res.body])).toEqual(
      Array.from({ length: 6 }, () => [
        400,
        {
          errors: [
            {
              message: 'You already hold 4 tickets: pay for or cancel one first',
              field: 'ticketId',
            },
          ],
        },
      ]),
    );
  });

  it('never limits correct sign-ins: 50 at once from one address all succeed', async () => {
    const { email } = await signedUpUser();

    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        new ApiClient(backend.stack.url).signIn({ email, password: PASSWORD }),
      ),
    );

    expect(answers.map((res) => res.status)).toEqual(Array<number>(50).fill(200));
  });

  it('ends a session copied before a password change in tickets, orders and payments within 1 s', async () => {
    const { browser, email } = await signedUpUser();
    const stolen = copyOf(browser);
    expect(await signedInStatuses(stolen)).toEqual([200, 200, 200]);

    const changed = await browser.changePassword(PASSWORD, 'battery staple');
    const changedAt = Date.now();

    expect(changed.status).toBe(200);
    expect(await refusedEverywhereAfter(stolen, changedAt)).toBeLessThan(1_000);
    expect(await signedInStatuses(browser)).toEqual([200, 200, 200]);
    expect((await stolen.currentUser()).body).toEqual({ currentUser: null });
    const signIn = await new ApiClient(backend.stack.url).signIn({
      email,
      password: 'battery staple',
    });
    expect(signIn.status).toBe(200);
  });

  it('"sign out everywhere" ends every other session within 1 s, and keeps this one', async () => {
    const { browser, email } = await signedUpUser();
    const other = new ApiClient(backend.stack.url);
    await other.signIn({ email, password: PASSWORD });
    expect(await signedInStatuses(other)).toEqual([200, 200, 200]);

    const done = await browser.signOutEverywhere();
    const doneAt = Date.now();

    expect(done.status).toBe(200);
    expect(await refusedEverywhereAfter(other, doneAt)).toBeLessThan(1_000);
    expect(await signedInStatuses(browser)).toEqual([200, 200, 200]);
  });
});
