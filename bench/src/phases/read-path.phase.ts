/**
 * Read path (main stack): one seller lists 100 tickets, then autocannon reads `GET /api/tickets?limit=100`
 * at 50 connections from a plain Express route serving the same JSON (`baseline-child.ts`, its own
 * process), through the gateway and direct to the tickets service; then the seller's never-cached
 * `GET /api/tickets/mine` (the same 100 tickets), for the cost of a database read per request.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient } from '@ticketing/common';
import { cannon, type CannonFigures } from '../cannon';
import { log } from '../lib';
import { CONNECTIONS } from '../settings';
import { startChild, stopChild, type Env } from '../stack-run';
import { listTickets } from '../users';

export interface ReadPathResult {
  baseline: CannonFigures;
  gateway: CannonFigures;
  direct: CannonFigures;
  /** The same 100 tickets read from the database on every request (the seller's `/mine`). */
  uncached: CannonFigures;
}

const LISTED = 100;
const READ_SECONDS = 10;

/** `lister` lists the tickets, so its own `/mine` is the same 100; `work` holds the baseline's payload. */
export async function readPath(
  label: string,
  env: Env,
  lister: ApiClient,
  work: string,
): Promise<ReadPathResult> {
  log(`[${label}] read path: listing ${LISTED} tickets`);
  await listTickets([lister], LISTED);
  const listPath = `/api/tickets?limit=${LISTED}`;
  const listed = await new ApiClient(env.url).listTickets({ limit: LISTED });
  if (listed.status !== 200 || listed.body.length !== LISTED)
    throw new Error(`GET ${listPath} gave ${listed.status} with ${listed.body.length} tickets`);
  const payloadFile = join(work, 'payload.json');
  writeFileSync(payloadFile, JSON.stringify(listed.body));
  const base = await startChild<{ type: 'ready'; port: number }>('baseline-child.js', {
    ...process.env,
    BENCH_PAYLOAD_FILE: payloadFile,
  });
  env.pids.set('plain Express baseline', base.child.pid ?? -1);
  let read: ReadPathResult;
  try {
    read = {
      baseline: await cannon(env, 'plain Express JSON route', {
        url: `http://127.0.0.1:${base.ready.port}${listPath}`,
        connections: CONNECTIONS,
        duration: READ_SECONDS,
      }),
      gateway: await cannon(env, 'GET /api/tickets through the gateway', {
        url: `${env.url}${listPath}`,
        connections: CONNECTIONS,
        duration: READ_SECONDS,
      }),
      direct: await cannon(env, 'GET /api/tickets direct to tickets', {
        url: `http://127.0.0.1:${env.ports.tickets}${listPath}`,
        connections: CONNECTIONS,
        duration: READ_SECONDS,
      }),
      uncached: await cannon(env, 'GET /api/tickets/mine (never cached) through the gateway', {
        url: `${env.url}/api/tickets/mine?limit=${LISTED}`,
        headers: { cookie: lister.cookie },
        connections: CONNECTIONS,
        duration: READ_SECONDS,
      }),
    };
  } finally {
    await stopChild(base.child);
    env.pids.delete('plain Express baseline');
  }
  for (const r of Object.values(read))
    log(`[${label}] ${r.label}: ${r.reqPerSec.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`);
  return read;
}
