// Debian's nats-server and redis-server, which the stack and the tests run: found (PATH or the sbin
// folders) or installed with apt-get when running as root. Plain Node, no npm dependencies: it runs
// before `npm ci`. Used by `npm start` and, as `pretest`, by `npm test`.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
// `npm start` or `npm test` (whose `pretest` runs this file), for messages.
const command = `npm ${(process.env.npm_lifecycle_event ?? 'start').replace(/^pre/, '')}`;
const ENGINES = [
  { command: 'nats-server', aptPackage: 'nats-server' },
  { command: 'redis-server', aptPackage: 'redis-server' },
];
// Debian installs both into sbin folders, which a non-root user's PATH often lacks.
const SBIN_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

export function step(message) {
  console.log(`\n==> ${message}`);
}

export function fail(message) {
  console.error(`\n${command}: ${message}`);
  process.exit(1);
}

export function run(command, args, options = {}) {
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

/** Returns the PATH to give processes that run the engines (sbin folders added when needed). */
// The tests also drive Debian's Chromium (the client's end-to-end suite).
const TEST_TOOLS = [...ENGINES, { command: 'chromium', aptPackage: 'chromium' }];

export function ensureEngines(tools = ENGINES) {
  step(`checking for ${tools.map(({ command }) => command).join(', ')}`);
  const pathDirs = (process.env.PATH ?? '').split(delimiter);
  let missing = tools.filter(({ command }) => !findCommand(command, pathDirs));
  if (missing.length > 0) {
    const packages = missing.map(({ aptPackage }) => aptPackage);
    if (process.getuid?.() !== 0) {
      fail(
        `missing ${missing.map(({ command }) => command).join(' and ')}. Install the Debian packages ` +
          `${packages.join(' ')} (as root: apt-get install -y ${packages.join(' ')}), then run ${command} again.`,
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
    missing = tools.filter(({ command }) => !findCommand(command, pathDirs));
    if (missing.length > 0)
      fail(
        `${missing.map(({ command }) => command).join(' and ')} still not found after apt-get install`,
      );
  }
  const dirs = tools.map(({ command }) => findCommand(command, pathDirs));
  for (const { command } of tools)
    console.log(`found ${join(findCommand(command, pathDirs), command)}`);
  const extra = [...new Set(dirs)].filter((dir) => !pathDirs.includes(dir));
  return extra.length > 0 ? [...extra, ...pathDirs].join(delimiter) : process.env.PATH;
}

// Run directly (npm's `pretest`): make sure the engines are there.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1])
  ensureEngines(TEST_TOOLS);
