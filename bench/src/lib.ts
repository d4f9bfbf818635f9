/**
 * The bench's measuring tools: wall-clock time comparable across processes, percentiles, the log line,
 * polling, a bounded worker pool, and CPU per process from /proc.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Wall-clock milliseconds since the epoch with sub-millisecond resolution, comparable across processes. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

export interface Summary {
  n: number;
  p50: number;
  p99: number;
  max: number;
  min: number;
}

export function summarize(values: readonly number[]): Summary {
  return {
    n: values.length,
    p50: percentile(values, 50),
    p99: percentile(values, 99),
    max: values.length ? Math.max(...values) : Number.NaN,
    min: values.length ? Math.min(...values) : Number.NaN,
  };
}

export function fmt(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

export function log(message: string): void {
  process.stdout.write(`bench | ${new Date().toISOString().slice(11, 19)} ${message}\n`);
}

/** Polls `check` until it returns a value other than undefined/false/null. */
export async function waitUntil<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs: number,
  what: string,
  intervalMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** Runs `worker` over `items` with at most `concurrency` in flight. */
export async function pool<T, R>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      results[i] = await worker(items[i]!, i);
    }
  });
  await Promise.all(lanes);
  return results;
}

/** utime+stime of a process in clock ticks, or undefined once it is gone. */
function cpuTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

export interface CpuUsage {
  wallSeconds: number;
  /** Process name → CPU used during the window, in % of one core. */
  percent: Map<string, number>;
}

/** Samples /proc/<pid>/stat of each process at start and end: what each one burned meanwhile. */
export function cpuMeter(pids: ReadonlyMap<string, number>): () => CpuUsage {
  const start = new Map<string, number>();
  for (const [name, pid] of pids) {
    const t = cpuTicks(pid);
    if (t !== undefined) start.set(name, t);
  }
  const t0 = performance.now();
  return () => {
    const wallSeconds = (performance.now() - t0) / 1000;
    const percent = new Map<string, number>();
    for (const [name, pid] of pids) {
      const before = start.get(name);
      const after = cpuTicks(pid);
      if (before === undefined || after === undefined) continue;
      percent.set(name, ((after - before) / ticksPerSecond() / wallSeconds) * 100);
    }
    return { wallSeconds, percent };
  };
}
