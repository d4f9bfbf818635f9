/** Kubernetes schema validation of the rendered manifests, unknown fields included. */
import { dirname, join } from 'node:path';
import ts from 'typescript';
import type { KubeObject, RenderedObject } from './kustomize';
import { fieldPath, isRecord, problem, type Problem } from './problems';

/**
 * Validates rendered objects against the Kubernetes schemas that `kubernetes-models` ships, in two
 * passes: its own validators (types, enums, required fields, formats), and a walk that rejects
 * fields the schema does not have, which those validators let through. The walk reads the package's
 * TypeScript declarations (one interface per schema definition) with the TypeScript compiler, so both
 * passes come from the same generated models.
 */

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

interface AjvError {
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
}

const MODELS_DIR = dirname(require.resolve('kubernetes-models/package.json'));

/** `apps/v1` → `apps/v1`, `v1` → `v1` (the core group), as the package lays out its modules. */
function modelModule(apiVersion: string, kind: string): string {
  return `kubernetes-models/${apiVersion}/${kind}`;
}

function loadModel(apiVersion: string, kind: string): ModelClass | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module name is data
    const mod = require(modelModule(apiVersion, kind)) as Record<string, unknown>;
    return mod[kind] as ModelClass | undefined;
  } catch {
    return undefined;
  }
}

export function validateObjects(objects: RenderedObject[]): Problem[] {
  const problems: Problem[] = [];
  const known: RenderedObject[] = [];
  for (const rendered of objects) {
    const { object, file } = rendered;
    const where = `${object.kind} ${object.metadata.name}`;
    const Model = loadModel(object.apiVersion, object.kind);
    if (!Model) {
      problems.push(
        problem(
          file,
          `${where}: apiVersion`,
          `no Kubernetes schema for ${object.apiVersion} ${object.kind}`,
        ),
      );
      continue;
    }
    known.push(rendered);
    try {
      new Model(structuredClone(object)).validate();
    } catch (err) {
      const errors = (err as { errors?: AjvError[] }).errors;
      if (!errors) throw err;
      for (const e of errors) {
        const path = e.instancePath.split('/').slice(1).map(decodePointer);
        const missing = e.params?.missingProperty;
        const field = fieldPath(typeof missing === 'string' ? [...path, missing] : path);
        problems.push(
          problem(
            file,
            `${where}: ${field || '(object)'}`,
            e.message ?? 'does not match the schema',
          ),
        );
      }
    }
  }
  problems.push(...findUnknownFields(known));
  return problems;
}

function decodePointer(part: string): string | number {
  const text = part.replace(/~1/g, '/').replace(/~0/g, '~');
  return /^\d+$/.test(text) ? Number(text) : text;
}

let cached: { checker: ts.TypeChecker; types: Map<string, ts.Type> } | undefined;

/**
 * One TypeScript program that declares the interface of every kind validated so far (building it
 * takes about a second, so it is rebuilt only when a new kind turns up).
 */
function typesFor(kinds: Array<{ apiVersion: string; kind: string }>) {
  const key = (k: { apiVersion: string; kind: string }) => `${k.apiVersion}/${k.kind}`;
  if (cached && kinds.every((k) => cached?.types.has(key(k)))) return cached;
  const previous = [...(cached?.types.keys() ?? [])].map((k) => {
    const slash = k.lastIndexOf('/');
    return { apiVersion: k.slice(0, slash), kind: k.slice(slash + 1) };
  });
  const unique = [...new Map([...previous, ...kinds].map((k) => [key(k), k])).values()];
  const entry = join(MODELS_DIR, '__checks_entry__.ts');
  const source = unique
    .map(
      (k, i) => `import type { I${k.kind} as T${i} } from '${modelModule(k.apiVersion, k.kind)}';`,
    )
    .concat(unique.map((_, i) => `export declare const v${i}: T${i};`))
    .join('\n');
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) =>
    fileName === entry
      ? ts.createSourceFile(fileName, source, languageVersion, true)
      : getSourceFile(fileName, languageVersion, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => fileName === entry || fileExists(fileName);
  const program = ts.createProgram({ rootNames: [entry], options, host });
  const diagnostics = program.getSemanticDiagnostics(program.getSourceFile(entry));
  if (diagnostics.length > 0) {
    const text = ts.flattenDiagnosticMessageText(diagnostics[0]?.messageText ?? '', '\n');
    throw new Error(`cannot load the kubernetes-models declarations: ${text}`);
  }
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(entry);
  if (!file) throw new Error('the declarations entry was not loaded');
  const types = new Map<string, ts.Type>();
  const symbols = checker.getExportsOfModule(checker.getSymbolAtLocation(file) as ts.Symbol);
  unique.forEach((k, i) => {
    const symbol = symbols.find((s) => s.name === `v${i}`);
    if (symbol) types.set(key(k), checker.getTypeOfSymbol(symbol));
  });
  cached = { checker, types };
  return cached;
}

function findUnknownFields(objects: RenderedObject[]): Problem[] {
  if (objects.length === 0) return [];
  const { checker, types } = typesFor(objects.map(({ object }) => object));
  const problems: Problem[] = [];
  for (const { object, file } of objects) {
    const type = types.get(`${object.apiVersion}/${object.kind}`);
    if (!type) continue;
    const where = `${object.kind} ${object.metadata.name}`;
    walk(checker, object, type, [], (path) =>
      problems.push(
        problem(
          file,
          `${where}: ${fieldPath(path)}`,
          'unknown field (not in the Kubernetes schema)',
        ),
      ),
    );
  }
  return problems;
}

function walk(
  checker: ts.TypeChecker,
  value: unknown,
  declared: ts.Type,
  path: Array<string | number>,
  report: (path: Array<string | number>) => void,
): void {
  const type = objectPart(declared);
  if (!type) return; // a scalar, or a free-form field (any, unknown): nothing to walk into
  if (Array.isArray(value)) {
    if (!checker.isArrayType(type)) return;
    const element = checker.getTypeArguments(type as ts.TypeReference)[0];
    if (element) value.forEach((item, i) => walk(checker, item, element, [...path, i], report));
    return;
  }
  if (!isRecord(value)) return;
  const index = checker.getIndexTypeOfType(type, ts.IndexKind.String);
  for (const [key, child] of Object.entries(value as KubeObject)) {
    const property = checker.getPropertyOfType(type, key);
    if (property) walk(checker, child, checker.getTypeOfSymbol(property), [...path, key], report);
    else if (index) walk(checker, child, index, [...path, key], report);
    else report([...path, key]);
  }
}

/** The object (or array) member of a declared type, without undefined/null; undefined for scalars. */
function objectPart(type: ts.Type): ts.Type | undefined {
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return undefined;
  const members = type.isUnion() ? type.types : [type];
  const objects = members.filter((t) => t.flags & ts.TypeFlags.Object);
  if (objects.length !== 1) return undefined;
  return objects[0];
}
