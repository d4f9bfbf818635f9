/**
 * One autocannon run against a URL (after a short warm-up), with the CPU every sampled process burned
 * while it ran: the figures of the read path and sign-in rows.
 */
import autocannon from 'autocannon';
import { cpuMeter, type CpuUsage } from './lib';
import type { Env } from './stack-run';

export interface CannonFigures {
  label: string;
  url: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  bytesPerResponse: number;
  statusCodes: Record<string, number>;
  cpu: CpuUsage;
}

export async function cannon(
  env: Env,
  label: string,
  options: autocannon.Options,
  warmupSeconds = 2,
): Promise<CannonFigures> {
  if (warmupSeconds > 0) await autocannon({ ...options, duration: warmupSeconds });
  const meter = cpuMeter(env.pids);
  const result = await autocannon(options);
  const cpu = meter();
  const total = result.requests.total || 1;
  return {
    label,
    url: options.url,
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    bytesPerResponse: result.throughput.total / total,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, stat.count ?? 0]),
    ),
    cpu,
  };
}
