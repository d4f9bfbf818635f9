/**
 * Child processes for the engines: start one, wait for its readiness line, then stop it (SIGTERM,
 * then SIGKILL) or kill it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface StartedProcess {
  readonly child: ChildProcess;
  /** The readiness pattern's match, e.g. the port a server printed. */
  readonly ready: RegExpExecArray;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
}

export interface StartProcessOptions {
  name: string;
  command: string;
  args: string[];
  /** Printed (stdout or stderr) once the process is ready. */
  readyPattern: RegExp;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Every output line, e.g. to prefix and forward it. */
  onLine?: (line: string) => void;
}

export function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts a process and resolves when it prints its readiness line; rejects with its output if it dies first. */
export function startProcess(options: StartProcessOptions): Promise<StartedProcess> {
  const { name, command, args, readyPattern, timeoutMs = 30_000, onLine } = options;
  const child = spawn(command, args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const recent: string[] = [];

  const stop = async (graceMs = 5_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await waitForExit(child);
    clearTimeout(timer);
  };
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await waitForExit(child);
  };

  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void kill();
      reject(new Error(`${name} ${why}\n${recent.join('\n')}`));
    };
    const timer = setTimeout(() => fail(`was not ready after ${timeoutMs} ms`), timeoutMs);
    const onOutput = (line: string) => {
      recent.push(line);
      if (recent.length > 30) recent.shift();
      onLine?.(line);
      if (settled) return;
      const match = readyPattern.exec(line);
      if (match) {
        settled = true;
        clearTimeout(timer);
        resolve({ child, ready: match, stop, kill });
      }
    };
    createInterface({ input: child.stdout! }).on('line', onOutput);
    createInterface({ input: child.stderr! }).on('line', onOutput);
    child.once('error', (err) => fail(`could not start: ${err.message}`));
    child.once('exit', (code, signal) => fail(`exited (${signal ?? code}) before it was ready`));
  });
}
