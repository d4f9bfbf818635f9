/**
 * Read path (main stack): one seller lists 100 tickets (for 10 events), then autocannon reads
 * `GET /api/tickets?limit=100` at 50 connections from a plain Express route serving the same JSON
 * (`baseline-child.ts`, its own process), through the gateway and direct to the tickets service; then the
 * seller's never-cached `GET /api/tickets/mine` (the same 100 tickets), for the cost of a database read per
 * request. Its settings (`readLoad`) and its baseline (`withBaseline`) serve the catalogue phase's reads too.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import { ApiClient } from '@ticketing/common';
import { cannon, type CannonFigures } from '../cannon';
import { log } from '../lib';
import { CONNECTIONS } from '../settings';
import { startChild, stopChild, type Env } from '../stack-run';
import { addEventsFor, listTickets } from '../users';

export interface ReadPathResult {
  baseline: CannonFigures;
  gateway: CannonFigures;
  direct: CannonFigures;
  /** The same 100 tickets read from the database on every request (the seller's `/mine`). */
  uncached: CannonFigures;
}

const LISTED = 100;
const READ_SECONDS = 10;

/** autocannon's settings of every read figure: 50 connections, 10 s after a 2 s warm-up. */
export function readLoad(url: string, headers?: Record<string, string>): autocannon.Options {
  return { url, connections: CONNECTIONS, duration: READ_SECONDS, headers };
}

/**
 * Starts the plain Express baseline serving `payloads` (route → the JSON the service answered there),
 * runs `measure` with its port, and always stops it.
 */
export async function withBaseline<T>(
  env: Env,
  work: string,
  payloads: Record<string, unknown>,
  measure: (port: number) => Promise<T>,
): Promise<T> {
  const payloadFile = join(work, 'payload.json');
  writeFileSync(payloadFile, JSON.stringify(payloads));
  const base = await startChild<{ type: 'ready'; port: number }>('baseline-child.js', {
    ...process.env,
    BENCH_PAYLOAD_FILE: payloadFile,
  });
  env.pids.set('plain Express baseline', base.child.pid ?? -1);
  try {
    return await measure(base.ready.port);
  } finally {
    await stopChild(base.child);
    env.pids.delete('plain Express baseline');
  }
}

/** `lister` lists the tickets, so its own `/mine` is the same 100; `work` holds the baseline's payload. */
export async function readPath(
  label: string,
  env: Env,
  lister: ApiClient,
  work: string,
): Promise<ReadPathResult> {
  log(`[${label}] read path: listing ${LISTED} tickets`);
  await listTickets([lister], LISTED, await addEventsFor(lister, LISTED));
  const listPath = `/api/tickets?limit=${LISTED}`;
  const listed = await new ApiClient(env.url).listTickets({ limit: LISTED });
  if (listed.status !== 200 || listed.body.length !== LISTED)
    throw new Error(`GET ${listPath} gave ${listed.status} with ${listed.body.length} tickets`);
  const read: ReadPathResult = await withBaseline(
    env,
    work,
    { '/api/tickets': listed.body },
    async (port) => ({
      baseline: await cannon(
        env,
        'plain Express JSON route',
        readLoad(`http://127.0.0.1:${port}${listPath}`),
      ),
      gateway: await cannon(
        env,
        'GET /api/tickets through the gateway',
        readLoad(`${env.url}${listPath}`),
      ),
      direct: await cannon(
        env,
        'GET /api/tickets direct to tickets',
        readLoad(`http://127.0.0.1:${env.ports.tickets}${listPath}`),
      ),
      uncached: await cannon(
        env,
        'GET /api/tickets/mine (never cached) through the gateway',
        readLoad(`${env.url}/api/tickets/mine?limit=${LISTED}`, { cookie: lister.cookie }),
      ),
    }),
  );
  for (const r of Object.values(read))
    log(`[${label}] ${r.label}: ${r.reqPerSec.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`);
  return read;
}
