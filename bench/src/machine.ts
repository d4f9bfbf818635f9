/**
 * The machine a bench run measured on, for the head of the report: CPU, cores, memory, load, and the
 * versions of Node, npm, the engines and the packages that set the figures.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { systemCommand } from '@ticketing/common/engines';
import type { Machine } from './report';
import { ROOT } from './settings';

function version(command: string, args: string[], pattern: RegExp): string {
  try {
    const out = execFileSync(command, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return pattern.exec(out)?.[1] ?? out.trim();
  } catch {
    return 'not found';
  }
}

function packageVersion(name: string, from: string): string {
  try {
    const file = require.resolve(`${name}/package.json`, { paths: [join(ROOT, from)] });
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'not found';
  }
}

export function machine(): Machine {
  const cpuList = cpus();
  return {
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    ramGiB: totalmem() / 2 ** 30,
    loadStart: loadavg(),
    loadEnd: [],
    date: new Date().toISOString(),
    versions: {
      node: process.version,
      npm: version('npm', ['--version'], /(\S+)/),
      'nats-server': version(systemCommand('nats-server'), ['--version'], /v?(\d+\.\d+\.\d+)/),
      'redis-server': version(systemCommand('redis-server'), ['--version'], /v=(\S+)/),
      jongodb: packageVersion('@jongodb/memory-server-bin-linux-x64-gnu', 'infra/local'),
      mongoose: packageVersion('mongoose', 'common'),
      express: packageVersion('express', 'common'),
      bullmq: packageVersion('bullmq', 'expiration'),
      autocannon: packageVersion('autocannon', 'bench'),
    },
  };
}
