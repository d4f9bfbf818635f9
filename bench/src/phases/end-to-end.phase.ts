/**
 * End-to-end purchase (main stack): one buyer at a time orders, pays, and polls until the order is
 * complete and the ticket sold, as a user would see it through the gateway.
 */
import type { ApiClient } from '@ticketing/common';
import { log, summarize, waitUntil, type Summary } from '../lib';
import type { Env } from '../stack-run';
import { addEventsFor, listTickets, pay, replicatedInOrders } from '../users';

const E2E_PURCHASES = 50;

export interface EndToEndResult {
  purchases: number;
  failures: number;
  orderPost: Summary;
  payment: Summary;
  complete: Summary;
  sold: Summary;
}

export async function endToEnd(
  env: Env,
  sellers: readonly ApiClient[],
  buyers: readonly ApiClient[],
  count: number,
): Promise<EndToEndResult> {
  const events = await addEventsFor(sellers[0]!, count);
  const tickets = (await listTickets(sellers, count, events)).map((t) => t.id);
  await replicatedInOrders(env, tickets);
  const orderPost: number[] = [];
  const payment: number[] = [];
  const complete: number[] = [];
  const sold: number[] = [];
  let failures = 0;
  for (let i = 0; i < count; i++) {
    const buyer = buyers[i % buyers.length]!;
    const t0 = performance.now();
    const order = await buyer.createOrder(tickets[i]!);
    if (order.status !== 201) {
      failures++;
      continue;
    }
    const t1 = performance.now();
    if (!(await pay(buyer, order.body.id))) {
      failures++;
      continue;
    }
    const t2 = performance.now();
    try {
      await waitUntil(
        async () => (await buyer.getOrder(order.body.id)).body.status === 'complete',
        10_000,
        'order complete',
        5,
      );
      const t3 = performance.now();
      await waitUntil(
        async () => (await buyer.getTicket(tickets[i]!)).body.status === 'sold',
        10_000,
        'ticket sold',
        5,
      );
      const t4 = performance.now();
      orderPost.push(t1 - t0);
      payment.push(t2 - t1);
      complete.push(t3 - t0);
      sold.push(t4 - t0);
    } catch {
      failures++;
    }
  }
  return {
    purchases: complete.length,
    failures,
    orderPost: summarize(orderPost),
    payment: summarize(payment),
    complete: summarize(complete),
    sold: summarize(sold),
  };
}

/** The end-to-end purchases of the main stack, with their log lines. */
export async function endToEndPhase(
  label: string,
  env: Env,
  sellers: readonly ApiClient[],
  buyers: readonly ApiClient[],
): Promise<EndToEndResult> {
  log(`[${label}] end-to-end purchases: ${E2E_PURCHASES}`);
  const e2e = await endToEnd(env, sellers, buyers, E2E_PURCHASES);
  log(
    `[${label}] end-to-end p50 ${e2e.complete.p50.toFixed(0)} ms, p99 ${e2e.complete.p99.toFixed(0)} ms`,
  );
  return e2e;
}
