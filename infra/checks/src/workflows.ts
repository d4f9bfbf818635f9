/** The GitHub workflows check: they parse, watch paths that exist, and run npm commands that exist. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fieldPath, isRecord, problem, type Problem } from './problems';
import {
  exists,
  isDirectory,
  parseYamlDocuments,
  readPackageJson,
  readText,
  readWorkspaces,
  YamlError,
} from './repo';

/**
 * GitHub workflows: each parses (YAML as GitHub reads it), has the shape of a workflow, watches paths
 * that exist, and every npm command its steps run names scripts, workspaces and binaries that exist.
 */

export interface NpmCommand {
  /** The script npm will run (`test` for `npm test`), or undefined for npm ci/install/exec. */
  script?: string;
  workspaces: string[];
  allWorkspaces: boolean;
  ifPresent: boolean;
  /** `npx <bin>` / `npm exec <bin>`: the binary. */
  bin?: string;
}

const SCRIPT_ALIASES: Record<string, string> = {
  test: 'test',
  t: 'test',
  tst: 'test',
  start: 'start',
  stop: 'stop',
  restart: 'restart',
};

/** The npm commands in a shell script (a step's `run`). */
export function findNpmCommands(script: string): NpmCommand[] {
  const commands: NpmCommand[] = [];
  const joined = script.replace(/\\\r?\n/g, ' ');
  for (const line of joined.split(/\r?\n/)) {
    const text = line.replace(/(^|\s)#.*$/, '');
    for (const part of text.split(/&&|\|\||;|\|/)) {
      const words = tokenize(part);
      // Leading VAR=value assignments and `sudo`/`env` do not change what runs.
      while (
        words.length > 0 &&
        (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0] as string) || words[0] === 'env')
      ) {
        words.shift();
      }
      const [cmd, ...rest] = words;
      if (cmd === 'npx') {
        const bin = rest.find((w) => !w.startsWith('-'));
        if (bin && !rest.some((w) => w === '-p' || w.startsWith('--package'))) {
          commands.push({ bin, workspaces: [], allWorkspaces: false, ifPresent: false });
        }
        continue;
      }
      if (cmd !== 'npm') continue;
      commands.push(parseNpm(rest));
    }
  }
  return commands;
}

function parseNpm(args: string[]): NpmCommand {
  const command: NpmCommand = { workspaces: [], allWorkspaces: false, ifPresent: false };
  const positional: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg === '--') {
      break; // the rest goes to the script
    } else if (arg === '-w' || arg === '--workspace') {
      command.workspaces.push(args[i + 1] ?? '');
      i += 1;
    } else if (arg.startsWith('--workspace=')) {
      command.workspaces.push(arg.slice('--workspace='.length));
    } else if (arg === '-ws' || arg === '--workspaces') {
      command.allWorkspaces = true;
    } else if (arg === '--if-present') {
      command.ifPresent = true;
    } else if (!arg.startsWith('-')) {
      positional.push(arg);
    }
  }
  const [verb, name] = positional;
  if (verb === 'run' || verb === 'run-script' || verb === 'rum' || verb === 'urn') {
    command.script = name;
  } else if (verb && SCRIPT_ALIASES[verb]) {
    command.script = SCRIPT_ALIASES[verb];
  } else if (verb === 'exec' || verb === 'x') {
    command.bin = name;
  }
  return command;
}

function tokenize(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) {
    words.push(match[1] ?? match[2] ?? match[3] ?? '');
  }
  return words;
}

export function workflowFiles(root: string): string[] {
  const dir = '.github/workflows';
  if (!isDirectory(root, dir)) return [];
  return readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
    .sort()
    .map((f) => `${dir}/${f}`);
}

export function checkWorkflows(root: string): Problem[] {
  const problems: Problem[] = [];
  const workspaces = readWorkspaces(root);
  const resolveWorkspace = (ref: string): string | undefined => {
    const clean = ref.replace(/^\.\//, '').replace(/\/$/, '');
    if (workspaces.has(clean)) return clean;
    return [...workspaces].find(([, name]) => name === ref)?.[0];
  };
  const scriptsOf = (dir: string) => readPackageJson(root, dir).scripts ?? {};

  for (const file of workflowFiles(root)) {
    let doc: unknown;
    try {
      const docs = parseYamlDocuments(readText(root, file), file, '1.2');
      if (docs.length !== 1) throw new YamlError(file, 'must be one YAML document');
      doc = docs[0];
    } catch (err) {
      if (!(err instanceof YamlError)) throw err;
      problems.push(problem(file, '(document)', err.detail));
      continue;
    }
    if (!isRecord(doc)) {
      problems.push(problem(file, '(document)', 'is not a mapping'));
      continue;
    }
    if (doc.on === undefined) problems.push(problem(file, 'on', 'a workflow needs triggers'));
    problems.push(...checkPathFilters(root, file, doc.on));
    if (!isRecord(doc.jobs) || Object.keys(doc.jobs).length === 0) {
      problems.push(problem(file, 'jobs', 'a workflow needs at least one job'));
      continue;
    }
    for (const [jobName, job] of Object.entries(doc.jobs)) {
      const at = ['jobs', jobName];
      if (!isRecord(job)) {
        problems.push(problem(file, fieldPath(at), 'is not a mapping'));
        continue;
      }
      if (job.uses !== undefined) continue; // a reusable workflow call
      if (job['runs-on'] === undefined)
        problems.push(problem(file, fieldPath([...at, 'runs-on']), 'is missing'));
      if (!Array.isArray(job.steps) || job.steps.length === 0) {
        problems.push(problem(file, fieldPath([...at, 'steps']), 'a job needs steps'));
        continue;
      }
      const jobDir = workingDirectory(job.defaults);
      job.steps.forEach((step: unknown, i) => {
        const stepAt = [...at, 'steps', i];
        if (!isRecord(step)) {
          problems.push(problem(file, fieldPath(stepAt), 'is not a mapping'));
          return;
        }
        if ((step.uses === undefined) === (step.run === undefined)) {
          problems.push(problem(file, fieldPath(stepAt), 'a step has exactly one of uses and run'));
        }
        if (typeof step.run !== 'string') return;
        const dir =
          typeof step['working-directory'] === 'string' ? step['working-directory'] : jobDir;
        if (dir && !dir.includes('${{') && !isDirectory(root, dir)) {
          problems.push(
            problem(file, fieldPath([...stepAt, 'working-directory']), `${dir} does not exist`),
          );
          return;
        }
        const runAt = fieldPath([...stepAt, 'run']);
        for (const cmd of findNpmCommands(step.run)) {
          if (cmd.bin) {
            if (!exists(root, `node_modules/.bin/${cmd.bin}`)) {
              problems.push(
                problem(
                  file,
                  runAt,
                  `npx ${cmd.bin}: no such binary in the lockfile's node_modules`,
                ),
              );
            }
            continue;
          }
          if (!cmd.script) continue;
          let targets: string[];
          if (cmd.allWorkspaces) targets = [...workspaces.keys()];
          else if (cmd.workspaces.length > 0) {
            targets = [];
            for (const ref of cmd.workspaces) {
              const ws = resolveWorkspace(ref);
              if (ws) targets.push(ws);
              else
                problems.push(
                  problem(file, runAt, `npm -w ${ref}: no such workspace in package.json`),
                );
            }
          } else targets = [dir && !dir.includes('${{') ? dir : '.'];
          for (const target of targets) {
            if (cmd.ifPresent || scriptsOf(target)[cmd.script] !== undefined) continue;
            const pkg = target === '.' ? 'package.json' : `${target}/package.json`;
            problems.push(
              problem(file, runAt, `runs script "${cmd.script}", which ${pkg} does not define`),
            );
          }
        }
      });
    }
  }
  return problems;
}

function workingDirectory(defaults: unknown): string | undefined {
  if (!isRecord(defaults) || !isRecord(defaults.run)) return undefined;
  const dir = defaults.run['working-directory'];
  return typeof dir === 'string' ? dir : undefined;
}

/** `paths:` filters must name something that exists (their part before the first wildcard). */
function checkPathFilters(root: string, file: string, on: unknown): Problem[] {
  const problems: Problem[] = [];
  if (!isRecord(on)) return problems;
  for (const [event, config] of Object.entries(on)) {
    if (!isRecord(config)) continue;
    for (const key of ['paths', 'paths-ignore']) {
      const list = config[key];
      if (!Array.isArray(list)) continue;
      list.forEach((pattern: unknown, i) => {
        if (typeof pattern !== 'string') return;
        const literal = pattern.replace(/^!/, '').split(/[*?[]/)[0]?.replace(/\/$/, '') ?? '';
        if (literal && !exists(root, literal)) {
          problems.push(
            problem(
              file,
              fieldPath(['on', event, key, i]),
              `${pattern}: ${literal} does not exist`,
            ),
          );
        }
      });
    }
  }
  return problems;
}
