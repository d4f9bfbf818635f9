/**
 * How ingress-nginx routes a request, read from the rendered Ingress objects: the locations it writes
 * for each host from every Ingress of its class, and which one a request path reaches. Modelled on
 * ingress-nginx's controller (updateServerLocations, the location sort, buildLocation) and its "Ingress
 * Path Matching" guide, so a check can ask "which Ingress serves GET /api/orders/1/stream?" and get the
 * answer the cluster gives, not the one the Kubernetes spec alone suggests.
 */
import type { RenderedObject } from './kustomize';
import { isRecord } from './problems';

/** The IngressClass the platform's Ingresses name (`spec.ingressClassName`). */
export const INGRESS_CLASS = 'nginx';
export const ANNOTATION = 'nginx.ingress.kubernetes.io/';

/** One nginx `location` block, with the Ingress path it came from. */
export interface NginxLocation {
  /** The path as nginx is given it (a Prefix path ends in `/`). */
  path: string;
  /** The path as the Ingress writes it. */
  ingressPath: string;
  exact: boolean;
  service?: string;
  ingress: RenderedObject;
  /** Field path of the Ingress path entry (`spec.rules[i].http.paths[j]`). */
  at: Array<string | number>;
}

/** One nginx `server` block: a host and its locations, in the order nginx tries regexes. */
export interface NginxServer {
  /** `*` for rules without a host (the default server). */
  host: string;
  /**
   * True when any Ingress of the host uses `use-regex` or `rewrite-target`: then every location of
   * the host, whatever Ingress it came from, is a case-insensitive regex `^<path>` and the first
   * match in this order wins.
   */
  regex: boolean;
  locations: NginxLocation[];
}

const annotationsOf = (r: RenderedObject): Record<string, unknown> => {
  const a = r.object.metadata.annotations;
  return isRecord(a) ? a : {};
};

export function annotation(r: RenderedObject, name: string): string | undefined {
  const value = annotationsOf(r)[`${ANNOTATION}${name}`];
  return value === undefined ? undefined : String(value);
}

function usesRegex(r: RenderedObject): boolean {
  return annotation(r, 'use-regex') === 'true' || annotation(r, 'rewrite-target') !== undefined;
}

function ingressClass(r: RenderedObject): string | undefined {
  const spec = isRecord(r.object.spec) ? r.object.spec : {};
  const legacy = annotationsOf(r)['kubernetes.io/ingress.class'];
  return typeof spec.ingressClassName === 'string'
    ? spec.ingressClassName
    : typeof legacy === 'string'
      ? legacy
      : undefined;
}

/** The Ingress objects ingress-nginx serves: those of its class. */
export function nginxIngresses(objects: readonly RenderedObject[]): RenderedObject[] {
  return objects.filter((r) => r.object.kind === 'Ingress' && ingressClass(r) === INGRESS_CLASS);
}

/** Every host's server block, built from the Ingresses ingress-nginx serves, merged by host. */
export function nginxServers(objects: readonly RenderedObject[]): NginxServer[] {
  const servers = new Map<string, { ingresses: Set<RenderedObject>; entries: PathEntry[] }>();
  for (const ingress of nginxIngresses(objects)) {
    const spec = isRecord(ingress.object.spec) ? ingress.object.spec : {};
    (Array.isArray(spec.rules) ? spec.rules : []).forEach((rule: unknown, i) => {
      if (!isRecord(rule)) return;
      const host = typeof rule.host === 'string' ? rule.host : '*';
      const server = servers.get(host) ?? { ingresses: new Set(), entries: [] };
      servers.set(host, server);
      server.ingresses.add(ingress);
      const paths = isRecord(rule.http) && Array.isArray(rule.http.paths) ? rule.http.paths : [];
      paths.forEach((p: unknown, j) => {
        if (!isRecord(p) || typeof p.path !== 'string') return;
        const backend = isRecord(p.backend) && isRecord(p.backend.service) ? p.backend.service : {};
        server.entries.push({
          path: p.path,
          pathType: String(p.pathType),
          service: typeof backend.name === 'string' ? backend.name : undefined,
          ingress,
          at: ['spec', 'rules', i, 'http', 'paths', j],
        });
      });
    });
  }
  return [...servers].map(([host, { ingresses, entries }]) => ({
    host,
    regex: [...ingresses].some(usesRegex),
    locations: sortLocations(toLocations(entries)),
  }));
}

interface PathEntry {
  path: string;
  pathType: string;
  service?: string;
  ingress: RenderedObject;
  at: Array<string | number>;
}

/**
 * A Prefix path `/a` becomes two locations, `/a/` and an exact `/a` (unless an Exact `/a` exists), so
 * nginx's string prefixes keep the spec's whole-element matching; `/` and paths of an Ingress that
 * uses regexes stay as written. ImplementationSpecific is a plain nginx prefix (or regex).
 */
function toLocations(entries: readonly PathEntry[]): NginxLocation[] {
  const exactPaths = new Set(entries.filter((e) => e.pathType === 'Exact').map((e) => e.path));
  return entries.flatMap(({ path, pathType, service, ingress, at }): NginxLocation[] => {
    const base = { ingressPath: path, service, ingress, at };
    if (pathType === 'Exact') return [{ ...base, path, exact: true }];
    if (pathType !== 'Prefix' || path === '/' || usesRegex(ingress))
      return [{ ...base, path, exact: false }];
    const prefix = { ...base, path: path.endsWith('/') ? path : `${path}/`, exact: false };
    return exactPaths.has(path) ? [prefix] : [prefix, { ...base, path, exact: true }];
  });
}

/** ingress-nginx's order: by path, descending, then (stably) longest first. */
function sortLocations(locations: NginxLocation[]): NginxLocation[] {
  return [...locations]
    .sort((a, b) => (a.path > b.path ? -1 : a.path < b.path ? 1 : 0))
    .sort((a, b) => b.path.length - a.path.length);
}

/** The regex nginx writes for a location of a host in regex mode: `~* "^<path>"`. */
export function locationRegex(location: NginxLocation): RegExp {
  return new RegExp(`^${location.path}`, 'i');
}

/**
 * The location that serves `path` (no query string), as nginx picks it: in regex mode the first
 * location whose regex matches; otherwise an exact location, else the longest prefix. Throws the
 * location's error when its path is not a regular expression.
 */
export function routeRequest(server: NginxServer, path: string): NginxLocation | undefined {
  if (server.regex) return server.locations.find((l) => locationRegex(l).test(path));
  const exact = server.locations.find((l) => l.exact && l.path === path);
  if (exact) return exact;
  // Sorted longest first, so the first prefix that matches is the longest.
  return server.locations.find((l) => !l.exact && path.startsWith(l.path));
}
