/** runService in a real process: start-up, readiness, a bad config's clear error, and shutdown on a signal. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const COMMON = join(__dirname, '..', '..');

/**
 * A service entry as every index.ts writes it (logger first, then runService with a define that reads
 * the config), run as its own process from common's build, as `npm start` and Kubernetes run one.
 */
const ENTRY = `
const { baseConfigSchema, createLogger, loadConfig, runService } = require(${JSON.stringify(COMMON)});
const logger = createLogger('probe');
runService(logger, () => {
  const config = loadConfig(baseConfigSchema, process.env);
  return { name: 'probe', logger, port: 0, mongoUri: config.MONGO_URI, natsUrl: config.NATS_URL };
});
if (process.env.REJECT) Promise.reject(new Error('a step nobody awaited failed'));
`;

function runEntry(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', ENTRY], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

// Engines that are never reached: both tests end before a connection would.
const UNREACHABLE = { MONGO_URI: 'mongodb://127.0.0.1:9/probe', NATS_URL: 'nats://127.0.0.1:9' };

describe('runService, as a process', () => {
  it('names a bad LOG_LEVEL in one config error and exits 1, with no stack trace', async () => {
    const { code, output } = await runEntry({ ...UNREACHABLE, LOG_LEVEL: 'verbose' });

    expect(code).toBe(1);
    expect(output).toMatch(/LOG_LEVEL: /);
    expect(output).not.toMatch(/\n\s+at /);
  }, 30_000);

  it('exits 1 on a rejection nobody handled, instead of carrying on half-done', async () => {
    const { code, output } = await runEntry({ ...UNREACHABLE, LOG_LEVEL: 'info', REJECT: '1' });

    expect(code).toBe(1);
    expect(output).toMatch(/unhandled rejection; exiting/);
    expect(output).toMatch(/a step nobody awaited failed/);
  }, 30_000);
});
