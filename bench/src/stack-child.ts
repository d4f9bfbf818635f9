/**
 * Runs the local stack (startStack from infra/local) in its own process, so the gateway it hosts does
 * not share an event loop with the load generator. Reports the URLs and pids to the parent over IPC and
 * stops the stack when told to, or when the parent goes away.
 */
import { createWriteStream } from 'node:fs';
import { startStack, type Stack } from '@ticketing/local';

export interface StackReady {
  type: 'ready';
  url: string;
  ports: Record<string, number>;
  engines: Stack['engines'];
  pids: Record<string, number>;
}

export interface StackFailed {
  type: 'failed';
  message: string;
}

async function main(): Promise<void> {
  const logFile = process.env.BENCH_STACK_LOG;
  const out = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
  let stack: Stack | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await stack?.stop().catch(() => undefined);
      out?.end();
      process.exit(0);
    })();
    return stopping;
  };
  process.on('message', (message) => {
    if (message === 'stop') void stop();
  });
  process.on('disconnect', () => void stop());
  process.on('SIGTERM', () => void stop());
  try {
    stack = await startStack({
      env: process.env,
      output: (line) => out?.write(`${line}\n`),
      onUnexpectedExit: (exit) =>
        out?.write(`bench: ${exit.name} exited unexpectedly (${exit.code ?? exit.signal})\n`),
    });
  } catch (err) {
    const failed: StackFailed = { type: 'failed', message: (err as Error).message };
    process.send?.(failed);
    process.exit(1);
  }
  const ready: StackReady = {
    type: 'ready',
    url: stack.url,
    ports: Object.fromEntries(stack.ports),
    engines: stack.engines,
    pids: Object.fromEntries(stack.pids()),
  };
  process.send?.(ready);
}

void main();
