/**
 * What the bench's users do through the gateway, shared by the phases: sign up, list tickets for sale,
 * pay, and wait until orders has replicated the listings (a user would not be this fast).
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose from 'mongoose';
import { ApiClient } from '@ticketing/common';
import { nowMs, pool, waitUntil } from './lib';
import { PASSWORD } from './settings';
import type { Env } from './stack-run';

export const oid = (id: string) => new mongoose.Types.ObjectId(id);

/** `count` new users, each its own client with its session cookie (`client.user` names the account). */
export async function signUp(env: Env, count: number): Promise<ApiClient[]> {
  return pool(Array.from({ length: count }), 8, async () => {
    const client = new ApiClient(env.url);
    const res = await client.signUp({
      email: `${randomUUID()}@bench.example.com`,
      password: PASSWORD,
    });
    if (res.status !== 201) throw new Error(`signup failed: ${res.status}`);
    return client;
  });
}

/** Lists `count` tickets round-robin over the sellers; returns their ids and POST timings. */
export async function listTickets(
  sellers: readonly ApiClient[],
  count: number,
  lanes = sellers.length,
): Promise<Array<{ id: string; sentAt: number; answeredAt: number }>> {
  return pool(Array.from({ length: count }), lanes, async (_, i) => {
    const seller = sellers[i % sellers.length]!;
    const sentAt = nowMs();
    const res = await seller.createTicket({ title: `Bench ticket ${i}`, price: 20 + (i % 50) });
    const answeredAt = nowMs();
    if (res.status !== 201) throw new Error(`listing failed: ${res.status}`);
    return { id: res.body.id, sentAt, answeredAt };
  });
}

export async function replicatedInOrders(env: Env, ids: readonly string[]): Promise<void> {
  const tickets = env.db('orders').collection('tickets');
  await waitUntil(
    async () => (await tickets.countDocuments({ _id: { $in: ids.map(oid) } })) === ids.length,
    30_000,
    `${ids.length} tickets to reach the orders replica`,
  );
}

/** Pays an order with the sandbox's good card; retries while payments has not yet heard of it. */
export async function pay(buyer: ApiClient, orderId: string): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await buyer.pay(orderId, 'tok_visa');
    if (res.status === 201) return true;
    if (res.status !== 404 || Date.now() > deadline) return false;
    await sleep(5);
  }
}
