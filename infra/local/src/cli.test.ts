/** `npm start`'s entry point as a process: it brings the platform up, prints the URL, and stops it all. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'infra', 'local', 'dist', 'cli.js');

/** Every process below `pid`, read from /proc (the parent pid is the 4th field of /proc/<pid>/stat). */
function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses; the fields after its last ')' are plain.
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // It exited while we looked.
    }
  }
  const found: number[] = [];
  const visit = (parent: number) => {
    for (const child of children.get(parent) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(pid);
  return found;
}

/** This run's own engines, whatever MONGO_URI, NATS_URL or REDIS_URL the shell running the tests holds. */
function testEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GATEWAY_PORT: '0',
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
  };
  for (const name of ['MONGO_URI', 'NATS_URL', 'REDIS_URL', 'JWT_KEY']) delete env[name];
  return env;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface RunningCli {
  child: ChildProcess;
  url: string;
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startCli(): Promise<RunningCli> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const child = spawn(process.execPath, [CLI], {
    cwd: ROOT,
    env: testEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (data: Buffer) => {
      output.push(data.toString());
      const match = /ready: (http:\/\/\S+)/.exec(output.join(''));
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(({ code }) => reject(new Error(`cli exited ${code}:\n${output.join('')}`)));
  });
  return { child, url, output, exited };
}

describe('node infra/local/dist/cli.js', () => {
  it('prints the URL, serves through it, and on SIGINT exits 0 leaving no process behind', async () => {
    const cli = await startCli();
    const pids = descendantsOf(cli.child.pid!);
    const res = await fetch(`${cli.url}/api/users/currentuser`);

    cli.child.kill('SIGINT');
    const exit = await cli.exited;

    expect(res.status).toBe(200);
    expect(pids.length).toBeGreaterThanOrEqual(4);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(pids.filter(isRunning)).toEqual([]);
  }, 90_000);

  it('stops everything and exits 1 when a service dies', async () => {
    const cli = await startCli();
    const pids = descendantsOf(cli.child.pid!);
    const auth = pids.find((pid) => readlinkSync(`/proc/${pid}/cwd`) === join(ROOT, 'auth'));

    process.kill(auth!, 'SIGKILL');
    const exit = await cli.exited;

    expect(exit).toEqual({ code: 1, signal: null });
    expect(cli.output.join('')).toMatch(/auth exited unexpectedly/);
    expect(pids.filter(isRunning)).toEqual([]);
  }, 90_000);
});
