/** Reads the routes of infra/k8s's Ingress objects and matches paths as Kubernetes and nginx do. */
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';

export type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

export interface IngressRoute {
  path: string;
  pathType: PathType;
  /** The Kubernetes Service name; the gateway maps it to a local port. */
  service: string;
}

export interface IngressRules {
  routes: IngressRoute[];
  /** `spec.defaultBackend`, used when no path matches. */
  defaultService?: string;
  /** Largest request body in bytes (from `proxy-body-size`); undefined means no limit. */
  maxBodyBytes?: number;
}

const BODY_SIZE_ANNOTATION = 'nginx.ingress.kubernetes.io/proxy-body-size';
const PATH_TYPES: readonly string[] = ['Exact', 'Prefix', 'ImplementationSpecific'];

/** Reads every `Ingress` in a (possibly multi-document) manifest file. */
export async function loadIngressRules(file: string): Promise<IngressRules> {
  return parseIngressRules(await readFile(file, 'utf8'), file);
}

/**
 * The routing part of the Ingress objects in `text`. Hosts are dropped: locally every request is for
 * the one app, whatever name the browser used.
 */
export function parseIngressRules(text: string, source = 'ingress manifest'): IngressRules {
  const rules: IngressRules = { routes: [] };
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors[0]?.message}`);
    const obj = doc.toJS() as unknown;
    if (!isRecord(obj) || obj.kind !== 'Ingress') continue;
    const where = `${source}: Ingress ${String(field(obj, 'metadata', 'name') ?? '')}`;

    const bodySize = field(obj, 'metadata', 'annotations', BODY_SIZE_ANNOTATION);
    if (bodySize !== undefined) rules.maxBodyBytes = parseNginxSize(String(bodySize), where);

    const defaultService = field(obj, 'spec', 'defaultBackend', 'service', 'name');
    if (typeof defaultService === 'string') rules.defaultService = defaultService;

    const ingressRules = field(obj, 'spec', 'rules');
    for (const rule of Array.isArray(ingressRules) ? ingressRules : []) {
      const paths = field(rule, 'http', 'paths');
      for (const entry of Array.isArray(paths) ? paths : []) {
        const path = field(entry, 'path');
        const pathType = field(entry, 'pathType');
        const service = field(entry, 'backend', 'service', 'name');
        if (typeof path !== 'string' || !path.startsWith('/')) {
          throw new Error(`${where}: path ${JSON.stringify(path)} must start with "/"`);
        }
        if (typeof pathType !== 'string' || !PATH_TYPES.includes(pathType)) {
          throw new Error(
            `${where}: path ${path} needs pathType Exact, Prefix or ImplementationSpecific`,
          );
        }
        if (typeof service !== 'string') {
          throw new Error(`${where}: path ${path} has no backend.service.name`);
        }
        rules.routes.push({ path, pathType: pathType as PathType, service });
      }
    }
  }
  if (rules.routes.length === 0 && !rules.defaultService) {
    throw new Error(`${source}: no Ingress paths found`);
  }
  return rules;
}

/**
 * Kubernetes Ingress matching: the longest matching path wins, and an Exact path beats a Prefix path
 * of the same length. Prefix compares whole path elements, so `/api/users` matches `/api/users/x`
 * but not `/api/usersx`. ingress-nginx treats ImplementationSpecific (without regex annotations) as a
 * prefix, and so do we.
 */
export function matchIngressRoute(rules: IngressRules, requestPath: string): string | undefined {
  const path = requestPath.split('?')[0] || '/';
  let best: { route: IngressRoute; length: number } | undefined;
  for (const route of rules.routes) {
    if (!routeMatches(route, path)) continue;
    const length = route.path.length;
    const better =
      !best ||
      length > best.length ||
      (length === best.length && route.pathType === 'Exact' && best.route.pathType !== 'Exact');
    if (better) best = { route, length };
  }
  return best?.route.service ?? rules.defaultService;
}

function routeMatches(route: IngressRoute, path: string): boolean {
  if (route.pathType === 'Exact') return path === route.path;
  const want = pathElements(route.path);
  const have = pathElements(path);
  return want.length <= have.length && want.every((element, i) => element === have[i]);
}

/** `/a/b/` → ['a', 'b']: a trailing slash does not change what a Prefix path matches. */
function pathElements(path: string): string[] {
  return path.split('/').filter((element) => element !== '');
}

/** nginx size syntax: `1m`, `512k`, `1048576`; `0` switches the check off. */
export function parseNginxSize(value: string, where = 'size'): number | undefined {
  const match = /^(\d+)([kmg])?$/i.exec(value.trim());
  if (!match) throw new Error(`${where}: cannot read size "${value}"`);
  const units: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
  const bytes = Number(match[1]) * (units[(match[2] ?? '').toLowerCase()] ?? 1);
  return bytes === 0 ? undefined : bytes;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}
