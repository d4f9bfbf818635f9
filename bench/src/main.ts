/**
 * npm run bench: starts the local stack, measures it in one pass and writes bench/results.md.
 * bench/README.md lists the phases; results.md explains how each figure is measured. Each phase lives in
 * src/phases/; this file picks the phase groups (`BENCH_PHASES`), runs them per target (the embedded
 * engine, then MONGO_URI's server if set) and writes the report.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { log } from './lib';
import { machine } from './machine';
import { cataloguePhase } from './phases/catalogue-reads.phase';
import { scalingPhase } from './phases/engine-scaling.phase';
import { expiryPhase } from './phases/expiry.phase';
import { livePhase } from './phases/live-streams.phase';
import { mainPhases } from './phases/main-stack';
import { eventsPhase } from './phases/propagation.phase';
import { writePhase } from './phases/write-path.phase';
import {
  renderPartialReport,
  renderReport,
  type PartialTargetResults,
  type TargetResults,
} from './report';
import { ROOT, WINDOW_SECONDS } from './settings';

/** `BENCH_PHASES` (comma-separated) runs only these; a partial run writes results.partial.md. */
const PHASES = ['scaling', 'main', 'catalogue', 'write', 'expiry', 'events', 'live'] as const;
type Phase = (typeof PHASES)[number];

function selectedPhases(): Set<Phase> {
  const asked = (process.env.BENCH_PHASES ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (asked.length === 0) return new Set(PHASES);
  const unknown = asked.filter((p) => !(PHASES as readonly string[]).includes(p));
  if (unknown.length)
    throw new Error(`BENCH_PHASES: unknown ${unknown.join(', ')} (known: ${PHASES.join(', ')})`);
  return new Set(asked as Phase[]);
}

async function runTarget(
  label: string,
  externalMongo: string | undefined,
  work: string,
  phases: ReadonlySet<Phase>,
): Promise<PartialTargetResults> {
  // First, on an engine of its own with nothing else running: how a transaction's cost follows the
  // size of the collection it writes.
  const scaling = phases.has('scaling') ? await scalingPhase(label, externalMongo) : undefined;
  const main = phases.has('main') ? await mainPhases(label, externalMongo, work) : undefined;
  // Then each on a fresh stack of its own: the catalogue's reads need their 1,000 listings, which would
  // slow every later write of the main stack; the write path needs an empty tickets collection; expiry
  // and event propagation are measured from an empty database rather than after everything above.
  const catalogue = phases.has('catalogue')
    ? await cataloguePhase(label, externalMongo, work)
    : undefined;
  const write = phases.has('write') ? await writePhase(label, externalMongo, work) : undefined;
  const expiry = phases.has('expiry') ? await expiryPhase(label, externalMongo, work) : undefined;
  const propagation = phases.has('events')
    ? await eventsPhase(label, externalMongo, work)
    : undefined;
  // Last, on a stack of its own: 1,000 open streams would weigh on every figure measured beside them.
  const live = phases.has('live') ? await livePhase(label, externalMongo, work) : undefined;
  return {
    label,
    mongo: externalMongo ? 'MONGO_URI (external mongod)' : 'embedded jongodb',
    windowSeconds: WINDOW_SECONDS,
    scaling,
    ...main,
    catalogue,
    write,
    expiry,
    propagation,
    live,
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  const phases = selectedPhases();
  const partial = phases.size < PHASES.length;
  if (partial) log(`BENCH_PHASES: only ${[...phases].join(', ')}`);
  const info = machine();
  log(`load average at start: ${info.loadStart.map((l) => l.toFixed(2)).join(' ')}`);
  const work = mkdtempSync(join(tmpdir(), 'ticketing-bench-'));
  const targets: PartialTargetResults[] = [];
  try {
    targets.push(await runTarget('embedded', undefined, work, phases));
    const external = process.env.MONGO_URI;
    if (external) targets.push(await runTarget('mongo-uri', external, work, phases));
    else log('MONGO_URI is not set: no real mongod to compare with');
  } catch (err) {
    log(`failed: ${(err as Error).stack ?? String(err)}`);
    log(`stack logs kept in ${work}`);
    process.exitCode = 1;
    return;
  }
  info.loadEnd = loadavg();
  const seconds = (performance.now() - started) / 1000;
  const hadMongoUri = Boolean(process.env.MONGO_URI);
  // A partial run never replaces results.md (the full report).
  const file = join(ROOT, 'bench', partial ? 'results.partial.md' : 'results.md');
  writeFileSync(
    file,
    partial
      ? renderPartialReport(info, targets, seconds, hadMongoUri, [...phases])
      : renderReport(info, targets as TargetResults[], seconds, hadMongoUri),
  );
  rmSync(work, { recursive: true, force: true });
  log(
    `wrote ${file} in ${seconds.toFixed(0)} s; load average at end: ${info.loadEnd.map((l) => l.toFixed(2)).join(' ')}`,
  );
}

void main();
