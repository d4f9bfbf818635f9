// `npm start`: from a fresh clone to the running platform on one machine. Plain Node with no npm
// dependencies, because it runs before `npm ci` has installed any.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureEngines, fail, run, step } from './engines.mjs';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function npm(args) {
  // Under `npm start`, use the very npm that started us rather than whichever is first on PATH.
  const npmCli = process.env.npm_execpath;
  if (npmCli && npmCli.endsWith('.js')) run(process.execPath, [npmCli, ...args]);
  else run('npm', args);
}

function ensureDependencies() {
  step('checking npm dependencies');
  const lockfile = join(root, 'package-lock.json');
  const installed = join(root, 'node_modules', '.package-lock.json');
  // npm writes node_modules/.package-lock.json after package-lock.json, so an older one means the
  // lock file changed (a pull, a new dependency) since the last install.
  const stale = !existsSync(installed) || statSync(lockfile).mtimeMs > statSync(installed).mtimeMs;
  if (!stale) {
    console.log('node_modules is up to date with package-lock.json');
    return;
  }
  npm(['ci']);
}

function build() {
  step('building every workspace');
  npm(['run', 'build']);
}

function startStack(path) {
  step('starting the stack');
  const cli = join(root, 'infra', 'local', 'dist', 'cli.js');
  const child = spawn(process.execPath, [cli], {
    cwd: root,
    env: { ...process.env, PATH: path },
    // Its own process group, so a terminal Ctrl-C reaches only us and we ask the stack to stop in
    // order; the IPC channel tells it to stop if we die without saying so.
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: true,
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    });
  }
  child.on('error', (err) => fail(`could not run ${cli}: ${err.message}`));
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
}

const path = ensureEngines();
ensureDependencies();
build();
startStack(path);
