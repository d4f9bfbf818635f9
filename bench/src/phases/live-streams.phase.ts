/**
 * Live streams (phase group `live`), on a fresh stack of its own: 1,000 Server-Sent Event streams of one
 * event's page (`GET /api/events/:id/stream`), opened direct to the tickets service's port with the npm
 * `eventsource` client. Measures the tickets process's RSS before and after opening them, then, with all
 * of them open, the time from a price change (`PUT /api/tickets/:id`, sent by the bench) to its
 * `event: listing` message arriving at each stream. Also renders its part of the report.
 */
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventSource } from 'eventsource';
import type { ApiClient } from '@ticketing/common';
import { cpuMeter, fmt, log, nowMs, pool, summarize, type CpuUsage, type Summary } from '../lib';
import { countDocs, withStack, type Env } from '../stack-run';
import { addEventsFor, listTickets, signUp } from '../users';

const STREAMS = 1_000;
/** Price changes timed with every stream open, one at a time. */
const CHANGES = 100;
/** Price changes timed with one stream open, before the others open: the same run's baseline. */
const BASELINE_CHANGES = 50;
/** Listings of the event: the first message's content, and the tickets whose price changes. */
const LISTINGS = 10;
/** Every PROBE_EVERY-th stream opened is an EventSource client whose messages are timed (50 of 1,000). */
const PROBE_EVERY = 20;
/** Streams being opened at once (each counts as open once its first message arrived). */
const OPEN_LANES = 50;
/** Before each RSS reading: the service's allocations settle (no GC can be forced from outside). */
const SETTLE_MS = 3_000;
/** A change not seen by every open stream within this long counts as missed by the rest. */
const CHANGE_TIMEOUT_MS = 5_000;
/** Between one change being seen everywhere and the next: no change overlaps another. */
const CHANGE_GAP_MS = 50;

/** The goal: p99 change → client ≤ 100 ms with 1,000 streams open. */
export const LIVE_GOAL_MS = 100;

export interface LiveStreamsResult {
  streams: number;
  /** Streams answered 200 (`open` fired). */
  opened: number;
  /** Streams whose first message (`event: listings`) arrived: the ones counted as open. */
  firstMessage: number;
  /** Error events of the client (a refused or dropped stream; the client then reconnects). */
  errors: number;
  openSeconds: number;
  /** The tickets process's VmRSS (kB): before, with the streams open, and after closing them. */
  rssKb: { before: number; open: number; closed: number };
  changes: number;
  /** Streams that are EventSource probes (the rest are raw readers). */
  probes: number;
  /** Every (change, probe) arrival: sending the PUT → the EventSource message handed to the listener. */
  toProbes: Summary;
  /** The baseline: change → message at the one stream open before the others were opened. */
  alone: Summary;
  baselineChanges: number;
  /** Every (change, raw reader) arrival: sending the PUT → the frame's bytes read off the socket. */
  toReaders: Summary;
  /** Per change, the first and the last of all the open streams to receive it. */
  toFirstStream: Summary;
  toLastStream: Summary;
  /** Sending the PUT → its answer (through the gateway). */
  putAnswered: Summary;
  /** Deliveries that never arrived within CHANGE_TIMEOUT_MS. */
  missed: number;
  cpu: CpuUsage;
  loadStart: number[];
  loadEnd: number[];
  counts: Record<string, number>;
}

/** VmRSS of a process in kB, from /proc/<pid>/status. */
function rssKb(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}

interface ListingMessage {
  change: string;
  ticket: { id: string; price: number };
}

/** A change the bench made: which listing, at which price, when; arrivals per stream. */
interface Change {
  id: string;
  price: number;
  sentAt: number;
  /** At the EventSource probes: the message handed to the listener (ms after sentAt). */
  atProbes: number[];
  /** At the raw readers: the frame's bytes read off the socket (ms after sentAt). */
  atReaders: number[];
  seen: Set<number>;
  done?: () => void;
}

/**
 * The open streams: every PROBE_EVERY-th one an EventSource client (the probes, whose messages are timed),
 * the others plain HTTP readers that only look for the change's bytes. One process cannot stand in for
 * 1,000 browsers: with 1,000 EventSource clients in it, the last stream's message waits for the client
 * to parse and dispatch the 999 before it, which times the bench, not the service. The readers keep the
 * service's load (1,000 responses written per change) at a fraction of the client's cost.
 */
class StreamFleet {
  opened = 0;
  /** Client errors while open (a refused or dropped stream); closing the fleet's own are not counted. */
  errors = 0;
  private closing = false;
  private readonly closers: Array<() => void> = [];
  /** Streams whose first message arrived (a stream that reconnects sends it again: counted once). */
  private readonly started = new Set<number>();
  private current: Change | undefined;

  constructor(private readonly url: string) {}

  static isProbe(index: number): boolean {
    return index % PROBE_EVERY === 0;
  }

  /** Opens stream `index`; resolves once its first message arrived (or it failed to within 30 s). */
  open(index: number): Promise<void> {
    return new Promise((settle) => {
      const timer = setTimeout(settle, 30_000);
      const started = () => {
        this.started.add(index);
        clearTimeout(timer);
        settle();
      };
      if (StreamFleet.isProbe(index)) this.openProbe(index, started);
      else this.openReader(index, started);
    });
  }

  private openProbe(index: number, started: () => void): void {
    const source = new EventSource(this.url);
    this.closers.push(() => source.close());
    source.addEventListener('open', () => this.opened++);
    source.addEventListener('error', () => this.countError());
    source.addEventListener('listings', started);
    source.addEventListener('listing', (event) => {
      const at = nowMs();
      const { ticket } = JSON.parse(event.data as string) as ListingMessage;
      this.arrived(index, at, (c) => ticket.id === c.id && ticket.price === c.price);
    });
  }

  private openReader(index: number, started: () => void): void {
    const req = get(this.url, { agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        this.countError();
        res.resume();
        return;
      }
      this.opened++;
      let first = true;
      res.on('data', (chunk: Buffer) => {
        const at = nowMs();
        if (first && chunk.includes('event: listings')) {
          first = false;
          started();
          return;
        }
        // One change is in flight at a time, and each sets a price never used before.
        this.arrived(
          index,
          at,
          (c) => chunk.includes(`"id":"${c.id}"`) && chunk.includes(`"price":${c.price},`),
        );
      });
      res.on('error', () => this.countError());
    });
    req.on('error', () => this.countError());
    this.closers.push(() => req.destroy());
  }

  get firstMessage(): number {
    return this.started.size;
  }

  /** Makes `change` the one being timed; resolves once `expected` streams saw it, or on the timeout. */
  watch(change: Change, expected: number): Promise<void> {
    this.current = change;
    return new Promise((settle) => {
      const timer = setTimeout(settle, CHANGE_TIMEOUT_MS);
      change.done = () => {
        if (change.seen.size < expected) return;
        clearTimeout(timer);
        settle();
      };
    });
  }

  private arrived(index: number, at: number, isCurrent: (change: Change) => boolean): void {
    const change = this.current;
    if (!change || change.seen.has(index) || !isCurrent(change)) return;
    change.seen.add(index);
    (StreamFleet.isProbe(index) ? change.atProbes : change.atReaders).push(at - change.sentAt);
    change.done?.();
  }

  private countError(): void {
    if (!this.closing) this.errors++;
  }

  close(): void {
    this.closing = true;
    for (const close of this.closers) close();
  }
}

/** Changes the listings' prices one at a time, each timed to every open stream. */
async function timeChanges(
  fleet: StreamFleet,
  seller: ApiClient,
  ids: readonly string[],
  count: number,
  firstPrice: number,
) {
  const changes: Change[] = [];
  const putAnswered: number[] = [];
  for (let i = 0; i < count; i++) {
    const id = ids[i % ids.length]!;
    // A price no listing had before: each change is told apart from the last one of the same ticket.
    const price = firstPrice + i;
    const change: Change = {
      id,
      price,
      sentAt: nowMs(),
      atProbes: [],
      atReaders: [],
      seen: new Set(),
    };
    const seen = fleet.watch(change, fleet.firstMessage);
    const res = await seller.updateTicket(id, { price });
    putAnswered.push(nowMs() - change.sentAt);
    if (res.status !== 200) throw new Error(`changing a price failed: ${res.status} ${res.text}`);
    await seen;
    changes.push(change);
    await sleep(CHANGE_GAP_MS);
  }
  return { changes, putAnswered };
}

export async function liveStreams(env: Env): Promise<LiveStreamsResult> {
  const loadStart = loadavg();
  const pid = env.pids.get('tickets');
  if (pid === undefined) throw new Error('live streams: no pid for the tickets service');
  const [seller] = await signUp(env, 1);
  const [event] = await addEventsFor(seller!, LISTINGS);
  if (!seller || !event) throw new Error('live streams: no seller or event');
  const listed = await listTickets([seller], LISTINGS, [event]);
  await sleep(SETTLE_MS);
  const before = rssKb(pid);

  const fleet = new StreamFleet(
    `http://127.0.0.1:${env.ports.tickets}/api/events/${event.id}/stream`,
  );
  const ids = listed.map((l) => l.id);
  // The baseline, in the same run: the same changes with one stream open (stream 0, a probe).
  await fleet.open(0);
  const baseline = await timeChanges(fleet, seller, ids, BASELINE_CHANGES, 100);
  const alone = summarize(baseline.changes.flatMap((c) => c.atProbes));
  log(
    `live streams: with 1 stream open, change → EventSource p50 ${alone.p50.toFixed(1)} ms, p99 ${alone.p99.toFixed(1)} ms`,
  );

  const openStarted = performance.now();
  await pool(Array.from({ length: STREAMS - 1 }), OPEN_LANES, (_, i) => fleet.open(i + 1));
  const openSeconds = (performance.now() - openStarted) / 1000;
  await sleep(SETTLE_MS);
  const open = rssKb(pid);
  log(
    `live streams: ${fleet.firstMessage} of ${STREAMS} open in ${openSeconds.toFixed(1)} s; tickets RSS ${before} → ${open} kB`,
  );

  const meter = cpuMeter(env.pids);
  const { changes, putAnswered } = await timeChanges(fleet, seller, ids, CHANGES, 1_000);
  const cpu = meter();
  fleet.close();
  await sleep(SETTLE_MS);
  const closed = rssKb(pid);

  const all = changes.map((c) => [...c.atProbes, ...c.atReaders]);
  const firsts = all.map((a) => Math.min(...a)).filter(Number.isFinite);
  const lasts = all.map((a) => Math.max(...a)).filter(Number.isFinite);
  const result: LiveStreamsResult = {
    streams: STREAMS,
    opened: fleet.opened,
    firstMessage: fleet.firstMessage,
    errors: fleet.errors,
    openSeconds,
    rssKb: { before, open, closed },
    changes: changes.length,
    probes: Math.ceil(STREAMS / PROBE_EVERY),
    toProbes: summarize(changes.flatMap((c) => c.atProbes)),
    alone,
    baselineChanges: baseline.changes.length,
    toReaders: summarize(changes.flatMap((c) => c.atReaders)),
    toFirstStream: summarize(firsts),
    toLastStream: summarize(lasts),
    putAnswered: summarize(putAnswered),
    missed: changes.reduce((sum, c) => sum + (fleet.firstMessage - c.seen.size), 0),
    cpu,
    loadStart,
    loadEnd: loadavg(),
    counts: await countDocs(env),
  };
  log(
    `live streams: change → EventSource probe p50 ${result.toProbes.p50.toFixed(1)} ms, p99 ${result.toProbes.p99.toFixed(1)} ms; → raw reader p99 ${result.toReaders.p99.toFixed(1)} ms (${result.missed} deliveries missed); ${fmt((open - before) / STREAMS, 1)} kB per stream`,
  );
  return result;
}

/** The `live` group: a fresh stack, one event with its listings, 1,000 streams of its page. */
export function livePhase(
  label: string,
  externalMongo: string | undefined,
  work: string,
): Promise<LiveStreamsResult> {
  return withStack(`${label}-live`, externalMongo, work, ({ env }) => {
    log(`[${label}] live streams: ${STREAMS} streams of one event, ${CHANGES} price changes`);
    return liveStreams(env);
  });
}

// ---------------------------------------------------------------------------------------------
// Report

const ms = (v: number) => `${fmt(v, v < 10 ? 1 : 0)} ms`;
const load = (l: readonly number[]) => l.map((v) => v.toFixed(2)).join(' / ');
const perStreamKb = (l: LiveStreamsResult) =>
  (l.rssKb.open - l.rssKb.before) / Math.max(1, l.firstMessage);

/** The goal is met when every stream opened and p99 change → each stream ≤ LIVE_GOAL_MS. */
const liveMet = (l: LiveStreamsResult) =>
  l.firstMessage === l.streams && l.missed === 0 && l.toProbes.p99 <= LIVE_GOAL_MS;

/** The rows of the "Figures" table. */
export function liveFigureRows(l: LiveStreamsResult): string[] {
  return [
    `| live streams: price change (\`PUT /api/tickets/:id\` sent) → \`event: listing\` at a Node EventSource client, with ${fmt(l.firstMessage, 0)} SSE streams of one event open on the tickets service (${l.probes} EventSource probes spread among them, ${l.changes} changes) | p50 ${ms(l.toProbes.p50)}, **p99 ${ms(l.toProbes.p99)}** (${fmt(l.toProbes.p99 / l.alone.p99, 2)}× the p99 with one stream open, ${ms(l.alone.p99)}, same run)${l.missed ? `, ${l.missed} deliveries missed` : ''} | p99 ≤ ${LIVE_GOAL_MS} ms with ${fmt(l.streams, 0)} streams open | ${liveMet(l) ? '**met**' : '**not met**'} |`,
    `| live streams: memory of the tickets process per open stream (VmRSS with ${fmt(l.firstMessage, 0)} streams open − before, ÷ streams) | **${fmt(perStreamKb(l), 1)} kB** | – (report) | |`,
  ];
}

/** The "Live streams" section; `cpuTable` is report.ts's. */
export function liveSection(l: LiveStreamsResult, cpuTable: (usage: CpuUsage) => string): string {
  const out: string[] = ['### Live streams', ''];
  out.push(
    `On a fresh stack of its own (load average at start ${load(l.loadStart)}, at end ${load(l.loadEnd)}): a seller adds one event and lists ${LISTINGS} tickets for it. The bench then opens ${fmt(l.streams, 0)} Server-Sent Event streams of that event's page, \`GET /api/events/:id/stream\`, **direct to the tickets service's port**: every ${PROBE_EVERY}th stream opened (${l.probes} in all, spread through the order in which the service writes to them) with the npm \`eventsource\` client (Node's \`fetch\` underneath), the others with a plain HTTP reader (\`node:http\`) that only looks for a change's bytes in what it reads; ${OPEN_LANES} being opened at a time; a stream counts as open once it was answered 200 and its first message (\`event: listings\`, the open listings) arrived: ${fmt(l.firstMessage, 0)} of ${fmt(l.streams, 0)} (${fmt(l.opened, 0)} answered 200, ${l.errors} client errors), in ${fmt(l.openSeconds, 1)} s.`,
    '',
    `**Memory:** the tickets process's resident memory (\`VmRSS\` in \`/proc/<pid>/status\`), read ${SETTLE_MS / 1000} s after the listings were added, again ${SETTLE_MS / 1000} s after the last stream opened, and ${SETTLE_MS / 1000} s after the bench closed them all. No garbage collection can be forced from outside the process, so the difference includes garbage not yet collected; it is an upper bound of what a stream holds.`,
    '',
    '| tickets process | VmRSS |',
    '|---|---:|',
    `| before the streams | ${fmt(l.rssKb.before / 1024, 1)} MiB |`,
    `| with ${fmt(l.firstMessage, 0)} streams open | ${fmt(l.rssKb.open / 1024, 1)} MiB |`,
    `| after closing them | ${fmt(l.rssKb.closed / 1024, 1)} MiB |`,
    `| **per open stream** | **${fmt(perStreamKb(l), 1)} kB** |`,
    '',
    l.rssKb.closed > l.rssKb.open
      ? 'Closing the streams did not shrink the process within the settle time (V8 had not yet collected, or returned to the system, what they held), so the per-stream figure is what the open streams added to the resident set, not what closing one gives back.'
      : `Closing the streams gave back ${fmt((l.rssKb.open - l.rssKb.closed) / 1024, 1)} MiB within the settle time.`,
    '',
    `**Latency:** first with one stream open (the baseline: ${l.baselineChanges} changes), then with every stream open, the bench changes the price of one of the listings (\`PUT /api/tickets/:id\` through the gateway with the seller's session, each time to a price not used before), waits until every open stream has received that change's \`event: listing\` message (or ${CHANGE_TIMEOUT_MS / 1000} s), pauses ${CHANGE_GAP_MS} ms and makes the next: ${l.changes} changes, one at a time. The time is from just before the PUT is sent to the moment a probe's client hands the message to the bench's listener (at a raw reader: the moment the frame's bytes are read); it includes the write, the event's way through JetStream back to the tickets service's live feed, and the fan-out to ${fmt(l.firstMessage, 0)} responses (one frame, serialized once per change, written to each). The goal's figure is at the EventSource probes: a browser (or a Node client) holds one stream, not a thousand, so the probes stand for clients while the raw readers keep the service's load — ${fmt(l.firstMessage, 0)} responses written per change — at a fraction of the client-side cost. (With all 1,000 streams read by EventSource clients in the one bench process, an earlier run measured p99 294–803 ms: the last stream's message waited for the bench to parse and dispatch the 999 before it.)`,
    '',
    '| interval | n | p50 | p99 | max |',
    '|---|---:|---:|---:|---:|',
    `| baseline: change → message at the only stream open (${l.baselineChanges} changes, before the others opened) | ${fmt(l.alone.n, 0)} | ${ms(l.alone.p50)} | ${ms(l.alone.p99)} | ${ms(l.alone.max)} |`,
    `| **change → message at each EventSource probe** | ${fmt(l.toProbes.n, 0)} | ${ms(l.toProbes.p50)} | **${ms(l.toProbes.p99)}** | ${ms(l.toProbes.max)} |`,
    `| change → its bytes at each raw reader | ${fmt(l.toReaders.n, 0)} | ${ms(l.toReaders.p50)} | ${ms(l.toReaders.p99)} | ${ms(l.toReaders.max)} |`,
    `| change → the first stream to receive it | ${fmt(l.toFirstStream.n, 0)} | ${ms(l.toFirstStream.p50)} | ${ms(l.toFirstStream.p99)} | ${ms(l.toFirstStream.max)} |`,
    `| change → the last stream to receive it | ${fmt(l.toLastStream.n, 0)} | ${ms(l.toLastStream.p50)} | ${ms(l.toLastStream.p99)} | ${ms(l.toLastStream.max)} |`,
    `| PUT sent → its answer | ${fmt(l.putAnswered.n, 0)} | ${ms(l.putAnswered.p50)} | ${ms(l.putAnswered.p99)} | ${ms(l.putAnswered.max)} |`,
    '',
    `Deliveries missed (a change not received by an open stream within ${CHANGE_TIMEOUT_MS / 1000} s): ${l.missed}. Documents at the end: ${Object.entries(
      l.counts,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}. CPU while the changes were timed:`,
    '',
    cpuTable(l.cpu),
    '',
  );
  return out.join('\n');
}
