// `npm start`: from a fresh clone to the running platform on one machine. Plain Node with no npm
// dependencies, because it runs before `npm ci` has installed any.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const ENGINES = [
  { command: 'nats-server', aptPackage: 'nats-server' },
  { command: 'redis-server', aptPackage: 'redis-server' },
];
// Debian installs both into sbin folders, which a non-root user's PATH often lacks.
const SBIN_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

function step(message) {
  console.log(`\n==> ${message}`);
}

function fail(message) {
  console.error(`\nnpm start: ${message}`);
  process.exit(1);
}

function run(command, args, options = {}) {
  console.log(`$ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) fail(`could not run ${command}: ${result.error.message}`);
  if (result.signal) process.exit(1);
  if (result.status !== 0) fail(`${command} ${args.join(' ')} failed (exit code ${result.status})`);
}

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The folder holding `command`, looking in PATH and then in the sbin folders. */
function findCommand(command, pathDirs) {
  return [...pathDirs, ...SBIN_DIRS].find((dir) => dir && isExecutable(join(dir, command)));
}

function npm(args) {
  // Under `npm start`, use the very npm that started us rather than whichever is first on PATH.
  const npmCli = process.env.npm_execpath;
  if (npmCli && npmCli.endsWith('.js')) run(process.execPath, [npmCli, ...args]);
  else run('npm', args);
}

function ensureEngines() {
  step('checking for nats-server and redis-server');
  const pathDirs = (process.env.PATH ?? '').split(delimiter);
  let missing = ENGINES.filter(({ command }) => !findCommand(command, pathDirs));
  if (missing.length > 0) {
    const packages = missing.map(({ aptPackage }) => aptPackage);
    if (process.getuid?.() !== 0) {
      fail(
        `missing ${missing.map(({ command }) => command).join(' and ')}. Install the Debian packages ` +
          `${packages.join(' ')} (as root: apt-get install -y ${packages.join(' ')}), then run npm start again.`,
      );
    }
    if (!findCommand('apt-get', pathDirs)) {
      fail(
        `missing ${packages.join(' and ')} and there is no apt-get here to install them; install them and retry.`,
      );
    }
    console.log(`installing ${packages.join(' ')} with apt-get`);
    const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    run('apt-get', ['update'], { env: aptEnv });
    run('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { env: aptEnv });
    missing = ENGINES.filter(({ command }) => !findCommand(command, pathDirs));
    if (missing.length > 0)
      fail(
        `${missing.map(({ command }) => command).join(' and ')} still not found after apt-get install`,
      );
  }
  const dirs = ENGINES.map(({ command }) => findCommand(command, pathDirs));
  for (const { command } of ENGINES)
    console.log(`found ${join(findCommand(command, pathDirs), command)}`);
  const extra = [...new Set(dirs)].filter((dir) => !pathDirs.includes(dir));
  return extra.length > 0 ? [...extra, ...pathDirs].join(delimiter) : process.env.PATH;
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
