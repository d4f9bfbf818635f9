/**
 * Reading the repository: paths, text, YAML documents (as Kubernetes and GitHub read them), package.json
 * workspaces, and files matching a glob.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { globToRegex } from './dockerignore';

/** The repository these checks read: this workspace lives at <root>/infra/checks. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** Paths in messages are relative to the repository root, with forward slashes. */
export function repoPath(root: string, absolute: string): string {
  return relative(root, absolute).split(sep).join('/');
}

export function readText(root: string, path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

export function exists(root: string, path: string): boolean {
  return existsSync(join(root, path));
}

export function isDirectory(root: string, path: string): boolean {
  return existsSync(join(root, path)) && statSync(join(root, path)).isDirectory();
}

export class YamlError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'YamlError';
  }
}

/**
 * Every document of a YAML file. Kubernetes manifests are read as YAML 1.1, as kubectl and the API
 * server read them (so `defaultMode: 0555` is octal and `yes` is a boolean); GitHub workflows as 1.2
 * (where `on:` stays a key). Duplicate keys and syntax errors are errors, never silently dropped.
 */
export function parseYamlDocuments(
  text: string,
  file: string,
  version: '1.1' | '1.2' = '1.1',
): unknown[] {
  const docs: unknown[] = [];
  for (const doc of parseAllDocuments(text, { version, uniqueKeys: true, prettyErrors: false })) {
    const error = doc.errors[0];
    if (error) throw new YamlError(file, `invalid YAML: ${error.message}`);
    const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (value !== null && value !== undefined) docs.push(value);
  }
  return docs;
}

export interface PackageJson {
  name?: string;
  workspaces?: string[];
  scripts?: Record<string, string>;
}

export function readPackageJson(root: string, dir: string): PackageJson {
  return JSON.parse(readText(root, join(dir, 'package.json'))) as PackageJson;
}

/** The root package's workspaces: directory → package name. */
export function readWorkspaces(root: string): Map<string, string> {
  const workspaces = new Map<string, string>();
  for (const dir of readPackageJson(root, '.').workspaces ?? []) {
    if (!exists(root, join(dir, 'package.json'))) continue;
    workspaces.set(dir, readPackageJson(root, dir).name ?? dir);
  }
  return workspaces;
}

/** The files under `context` matching a glob (node_modules and dist left out), relative to it. */
export function matchFiles(root: string, context: string, glob: string): string[] {
  const regex = globToRegex(glob);
  const literal = glob.split(/[*?[]/)[0] ?? '';
  const start = literal.includes('/') ? literal.slice(0, literal.lastIndexOf('/')) : '';
  const found: string[] = [];
  const walk = (rel: string) => {
    const abs = join(root, context, rel);
    if (!isDirectory(root, join(context, rel))) return;
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist') continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (regex.test(child)) found.push(child);
    }
  };
  walk(start);
  return found;
}
