/**
 * Catalogue reads (phase group `catalogue`), on a fresh stack of its own: sellers list 1,000 tickets for
 * 100 events, then autocannon reads, at the read path's settings and direct to the tickets service, the
 * first page of `GET /api/events`, the first page of a search `GET /api/tickets?q=jazz` (one event in ten
 * is a "Jazz" one) and `GET /api/events/:id` of the soonest event, each right after a plain Express route
 * serving the same JSON (`baseline-child.ts`). Also renders its part of the report.
 */
import { ApiClient } from '@ticketing/common';
import { cannon, type CannonFigures } from '../cannon';
import { fmt, log, type CpuUsage } from '../lib';
import { countDocs, withStack, type Env } from '../stack-run';
import {
  LISTINGS_PER_EVENT,
  SEARCHED_GENRE,
  addEventsFor,
  listTickets,
  replicatedInOrders,
  signUp,
} from '../users';
import { readLoad, withBaseline } from './read-path.phase';

const CATALOGUE_LISTINGS = 1_000;
const SELLERS = 4;
/** Listings in flight while seeding (concurrent listings share one insert in the service). */
const SEED_LANES = 8;

export interface CatalogueRead {
  /** The request measured, as the report names it. */
  endpoint: string;
  /** What its answer holds. */
  holds: string;
  baseline: CannonFigures;
  service: CannonFigures;
}

export interface CatalogueResult {
  events: number;
  listings: number;
  /** Adding the events and listing the tickets through the gateway, until every listing was replicated. */
  seedSeconds: number;
  reads: CatalogueRead[];
  counts: Record<string, number>;
}

/** `SELLERS` sellers list `CATALOGUE_LISTINGS` tickets for one event per `LISTINGS_PER_EVENT`. */
async function seedCatalogue(env: Env) {
  const sellers = await signUp(env, SELLERS);
  const started = performance.now();
  const events = await addEventsFor(sellers[0]!, CATALOGUE_LISTINGS);
  const listed = await listTickets(sellers, CATALOGUE_LISTINGS, events, SEED_LANES);
  // Settled before the reads: no relay or replica write left to compete with them.
  await replicatedInOrders(
    env,
    listed.map((l) => l.id),
  );
  return { events, listings: listed.length, seedSeconds: (performance.now() - started) / 1000 };
}

interface Target {
  endpoint: string;
  holds: string;
  /** The path and query requested. */
  path: string;
  /** The baseline's Express route for it. */
  route: string;
  payload: unknown;
}

/** Reads each endpoint once as a visitor would, checks it answers what the catalogue holds, and keeps it. */
async function readTargets(env: Env, events: number): Promise<Target[]> {
  const visitor = new ApiClient(env.url);
  const q = SEARCHED_GENRE.toLowerCase();
  const [page, search] = await Promise.all([visitor.listEvents(), visitor.listTickets({ q })]);
  const soonest = page.body[0];
  if (page.status !== 200 || !soonest) throw new Error(`GET /api/events gave ${page.status}`);
  if (search.status !== 200 || search.body.length === 0)
    throw new Error(`GET /api/tickets?q=${q} gave ${search.status} with no listing`);
  const strays = search.body.filter((t) => !t.event.name.startsWith(SEARCHED_GENRE));
  if (strays.length) throw new Error(`q=${q} found ${strays.length} listings of other events`);
  const detail = await visitor.getEvent(soonest.id);
  if (detail.status !== 200 || detail.body.tickets.length !== LISTINGS_PER_EVENT)
    throw new Error(
      `GET /api/events/:id gave ${detail.status} with ${detail.body.tickets?.length}`,
    );
  return [
    {
      endpoint: 'GET /api/events',
      holds: `first page: ${page.body.length} of ${events} events, each with its listings' count and lowest price`,
      path: '/api/events',
      route: '/api/events',
      payload: page.body,
    },
    {
      endpoint: `GET /api/tickets?q=${q}`,
      holds: `first page: ${search.body.length} listings of the "${SEARCHED_GENRE}" events, one in ten`,
      path: `/api/tickets?q=${q}`,
      route: '/api/tickets',
      payload: search.body,
    },
    {
      endpoint: 'GET /api/events/:id',
      holds: `the soonest event with its ${detail.body.tickets.length} listings`,
      path: `/api/events/${soonest.id}`,
      route: '/api/events/:id',
      payload: detail.body,
    },
  ];
}

export async function catalogueReads(env: Env, work: string): Promise<CatalogueResult> {
  const seeded = await seedCatalogue(env);
  log(
    `catalogue: ${seeded.listings} listings for ${seeded.events.length} events in ${seeded.seedSeconds.toFixed(1)} s`,
  );
  const targets = await readTargets(env, seeded.events.length);
  const payloads = Object.fromEntries(targets.map((t) => [t.route, t.payload]));
  const reads = await withBaseline(env, work, payloads, async (port) => {
    const measured: CatalogueRead[] = [];
    for (const t of targets) {
      const baseline = await cannon(
        env,
        `plain Express JSON route (the answer of ${t.endpoint})`,
        readLoad(`http://127.0.0.1:${port}${t.path}`),
      );
      const service = await cannon(
        env,
        `${t.endpoint} direct to tickets`,
        readLoad(`http://127.0.0.1:${env.ports.tickets}${t.path}`),
      );
      log(
        `${t.endpoint}: ${service.reqPerSec.toFixed(0)} vs ${baseline.reqPerSec.toFixed(0)} req/s (plain Express), p50 ${service.p50} ms, p99 ${service.p99} ms`,
      );
      measured.push({ endpoint: t.endpoint, holds: t.holds, baseline, service });
    }
    return measured;
  });
  return {
    events: seeded.events.length,
    listings: seeded.listings,
    seedSeconds: seeded.seedSeconds,
    reads,
    counts: await countDocs(env),
  };
}

/** The `catalogue` group: a fresh stack, the catalogue seeded, its reads beside the baseline. */
export function cataloguePhase(
  label: string,
  externalMongo: string | undefined,
  work: string,
): Promise<CatalogueResult> {
  return withStack(`${label}-catalogue`, externalMongo, work, ({ env }) => {
    log(
      `[${label}] catalogue reads: ${CATALOGUE_LISTINGS} listings for ${CATALOGUE_LISTINGS / LISTINGS_PER_EVENT} events`,
    );
    return catalogueReads(env, work);
  });
}

// ---------------------------------------------------------------------------------------------
// Report

const ms = (v: number) => `${fmt(v, v < 10 ? 1 : 0)} ms`;
const kB = (c: CannonFigures) => `${fmt(c.bytesPerResponse / 1024, 1)} kB`;
const share = (r: CatalogueRead) =>
  `${fmt((r.service.reqPerSec / r.baseline.reqPerSec) * 100, 0)} %`;

/** The rows of the "Figures" table, one per endpoint. */
export function catalogueFigureRows(c: CatalogueResult): string[] {
  return c.reads.map(
    (r) =>
      `| catalogue: \`${r.endpoint}\` (${kB(r.service)}, ${r.holds}) of the tickets service vs a plain Express JSON route | ${fmt(r.service.reqPerSec, 0)} vs ${fmt(r.baseline.reqPerSec, 0)} req/s = **${share(r)}**, p50 ${ms(r.service.p50)}, p99 ${ms(r.service.p99)} | – (report) | |`,
  );
}

/** CPU `name` used during the run of `f`, in % of one core. */
const cpuOf = (f: CannonFigures, name: string) => `${fmt(f.cpu.percent.get(name) ?? 0, 0)} %`;

/** The "Catalogue reads" section; `cpuTable` is report.ts's. */
export function catalogueSection(
  c: CatalogueResult,
  cpuTable: (usage: CpuUsage) => string,
): string {
  const search = c.reads.find((r) => r.endpoint.includes('?q='));
  const out: string[] = ['### Catalogue reads', ''];
  out.push(
    `On a fresh stack of its own: ${SELLERS} sellers list ${fmt(c.listings, 0)} tickets for ${c.events} events through the gateway (${LISTINGS_PER_EVENT} listings an event, each with its seat and the service's default title; the events, added first, take ten genres in turn — "${SEARCHED_GENRE}" is one in ten — seven cities and their time zones, and start one every 3 days from tomorrow), ${fmt(c.seedSeconds, 1)} s until every listing was replicated in orders. Then each endpoint is measured as the read path's \`GET /api/tickets\`: autocannon, 50 connections, 10 s after a 2 s warm-up, **direct to the tickets service's port**, right after a plain Express 5 route in its own process (\`src/baseline-child.ts\`) that serves the same JSON (what the service answered, read once through the gateway). The search matches every word of \`q\` in the event's name, venue and city and the listing's title. The tickets service keeps pages of its public lists in memory (\`LISTING_CACHE_MS\`, dropped whenever it stores a change); the engine column shows which runs read the database on every request (a page served from memory leaves the engine idle). No goal is stated for these; the read path's ≥ 75 % is the one for \`GET /api/tickets\`.`,
    '',
    '| endpoint | response (with headers) | req/s | p50 | p99 | non-2xx | errors | server CPU | tickets engine CPU | service / plain Express |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const r of c.reads) {
    const row = (f: CannonFigures, server: string, engine: string, ratio: string) =>
      `| ${f.label} | ${fmt(f.bytesPerResponse, 0)} bytes | ${fmt(f.reqPerSec, 0)} | ${ms(f.p50)} | ${ms(f.p99)} | ${f.non2xx} | ${f.errors} | ${server} | ${engine} | ${ratio} |`;
    out.push(
      row(r.baseline, cpuOf(r.baseline, 'plain Express baseline'), '–', ''),
      row(
        r.service,
        cpuOf(r.service, 'tickets'),
        cpuOf(r.service, 'mongo-tickets'),
        `**${share(r)}**`,
      ),
    );
  }
  out.push(
    '',
    `CPU in % of one core while each run was measured (the load generator shares the two cores). Documents at the end: ${Object.entries(
      c.counts,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
    '',
  );
  if (search) {
    out.push(
      `Every process's CPU while the search (\`${search.endpoint}\`) was measured direct to the service:`,
      '',
      cpuTable(search.service.cpu),
      '',
    );
  }
  return out.join('\n');
}
