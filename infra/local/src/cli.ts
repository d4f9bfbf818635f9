/** The command `npm start` runs: the whole platform on this machine until Ctrl-C. */
import { prefixLine, startStack, type Stack } from './stack';

/**
 * `node infra/local/dist/cli.js`: the whole platform until Ctrl-C. Any part that dies stops everything
 * and exits 1, because a half-running stack hides the failure behind confusing errors elsewhere.
 */
async function main(): Promise<void> {
  const controller = new AbortController();
  let stack: Stack | undefined;
  let exitCode: number | undefined;

  const shutdown = (code: number, why: string) => {
    if (exitCode !== undefined) {
      console.log(prefixLine('stack', `${why}; already stopping`));
      return;
    }
    exitCode = code;
    console.log(prefixLine('stack', why));
    // During start-up this makes startStack stop what it started and reject; main() then exits.
    controller.abort();
    if (stack) void stack.stop().then(() => process.exit(code), fail);
  };
  const fail = (err: unknown) => {
    console.error(prefixLine('stack', err instanceof Error ? err.message : String(err)));
    process.exit(1);
  };

  // With `npm start | tee log`, Ctrl-C ends tee first: our last lines are lost, but the orderly
  // shutdown must not die of EPIPE halfway.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => shutdown(0, `${signal} received, stopping everything`));
  }
  // Started by bin/start.mjs with an IPC channel: if that parent dies, so do we (and our children).
  if (process.send) process.on('disconnect', () => shutdown(0, 'parent process is gone'));

  try {
    stack = await startStack({
      env: process.env,
      signal: controller.signal,
      onUnexpectedExit: (exit) => shutdown(1, `stopping everything because ${exit.name} died`),
    });
  } catch (err) {
    if (exitCode !== undefined) process.exit(exitCode);
    return fail(err instanceof Error ? new Error(`could not start: ${err.message}`) : err);
  }
  if (exitCode !== undefined) {
    // A signal arrived as start-up finished, after its last check for cancellation.
    await stack.stop();
    process.exit(exitCode);
  }
  console.log(`\nTicketing is running at ${stack.url}  (Ctrl-C stops everything)\n`);
}

void main();
