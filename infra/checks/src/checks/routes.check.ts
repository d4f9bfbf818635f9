/**
 * Routes through ingress-nginx: every route of docs/architecture.md's HTTP API table reaches its
 * service on every host that serves the API, as ingress-nginx routes it (../ingress-nginx.ts: Ingresses
 * merged by host, regex paths turning every path of the host into a regex); and every route the table
 * documents as a stream (its path ends in `/stream`) is served by an Ingress that does not buffer
 * responses and lets a quiet stream live for an hour.
 */
import { ARCHITECTURE_DOC } from '../architecture-doc';
import {
  ANNOTATION,
  annotation,
  locationRegex,
  nginxServers,
  routeRequest,
  type NginxLocation,
  type NginxServer,
} from '../ingress-nginx';
import { findTable, plain } from '../markdown-table';
import { problem, type Problem } from '../problems';
import { exists, readText } from '../repo';
import { MANIFESTS_DIR, type Repository } from '../repository';
import { at } from '../workloads';

/** A quiet stream sends a heartbeat every 15 s; nginx may wait this long (seconds) for the next bytes. */
export const STREAM_READ_TIMEOUT_SECONDS = 3600;
/** What a `:param` of a documented path is replaced with to make a request path (an ObjectId). */
const SAMPLE_ID = '0123456789abcdef01234567';

interface DocumentedRoute {
  method: string;
  path: string;
  service: string;
  line: number;
}

export function checkRoutes(repo: Repository): Problem[] {
  const problems: Problem[] = [];
  const routes = documentedRoutes(repo, problems);
  const services = new Set(routes.map((r) => r.service));
  const servers = nginxServers(repo.objects)
    .map((server) => withUsableLocations(server, problems))
    .filter((server) => server.locations.some((l) => l.service && services.has(l.service)));
  if (routes.length > 0 && servers.length === 0)
    problems.push(
      problem(
        MANIFESTS_DIR,
        '(Ingress)',
        `no Ingress of class nginx routes to any service of the ${ARCHITECTURE_DOC} route table`,
      ),
    );
  for (const server of servers) {
    for (const route of routes) problems.push(...checkRoute(server, route));
  }
  return problems;
}

function documentedRoutes(repo: Repository, problems: Problem[]): DocumentedRoute[] {
  const doc = exists(repo.root, ARCHITECTURE_DOC) ? readText(repo.root, ARCHITECTURE_DOC) : '';
  const table = findTable(doc, 'HTTP API');
  if (!table || !['method', 'path', 'service'].every((c) => table.headers.includes(c))) {
    problems.push(
      problem(ARCHITECTURE_DOC, '## HTTP API', 'no route table (method, path, service) to route'),
    );
    return [];
  }
  return table.rows.map((row) => ({
    method: plain(row.cells.get('method') ?? '').toUpperCase(),
    path: plain(row.cells.get('path') ?? ''),
    service: plain(row.cells.get('service') ?? ''),
    line: row.line,
  }));
}

/** The server without the locations nginx could not use as regexes, each of those reported. */
function withUsableLocations(server: NginxServer, problems: Problem[]): NginxServer {
  if (!server.regex) return server;
  const usable = server.locations.filter((location) => {
    try {
      locationRegex(location);
      return true;
    } catch (err) {
      problems.push(
        problem(
          location.ingress.file,
          at(location.ingress, [...location.at, 'path']),
          `host ${server.host} uses regex paths, and ${location.path} is not a regular expression: ${(err as Error).message}`,
        ),
      );
      return false;
    }
  });
  return { ...server, locations: usable };
}

function checkRoute(server: NginxServer, route: DocumentedRoute): Problem[] {
  const name = `${route.method} ${route.path} (${ARCHITECTURE_DOC} line ${route.line})`;
  const requestPath = route.path.replace(/:[A-Za-z_]\w*/g, SAMPLE_ID);
  const location = routeRequest(server, requestPath);
  if (!location) {
    const first = server.locations[0];
    return first
      ? [
          problem(
            first.ingress.file,
            at(first.ingress, ['spec', 'rules']),
            `${name} reaches no path of host ${server.host}`,
          ),
        ]
      : [];
  }
  const served = `path ${location.ingressPath} of host ${server.host}`;
  if (location.service !== route.service)
    return [
      problem(
        location.ingress.file,
        at(location.ingress, [...location.at, 'backend', 'service', 'name']),
        `${name} belongs to ${route.service}, but ${served} sends ${requestPath} to ${String(location.service)}${server.regex ? ' (every path of the host is a case-insensitive regex, tried longest first)' : ''}`,
      ),
    ];
  return route.path.endsWith('/stream') ? checkStream(location, `${name} streams; ${served}`) : [];
}

function checkStream(location: NginxLocation, served: string): Problem[] {
  const { ingress } = location;
  const field = (name: string) => at(ingress, ['metadata', 'annotations', `${ANNOTATION}${name}`]);
  const problems: Problem[] = [];
  const buffering = annotation(ingress, 'proxy-buffering');
  if (buffering !== 'off')
    problems.push(
      problem(
        ingress.file,
        field('proxy-buffering'),
        `${served} buffers responses (proxy-buffering is ${buffering === undefined ? 'not set, so on' : `"${buffering}"`}): events would wait in nginx's buffer; set "off"`,
      ),
    );
  const timeout = annotation(ingress, 'proxy-read-timeout');
  const trouble =
    timeout === undefined
      ? 'proxy-read-timeout is not set, so nginx cuts a stream quiet for 60 s'
      : !/^\d+$/.test(timeout)
        ? `proxy-read-timeout is "${timeout}", which ingress-nginx does not read (whole seconds only), keeping 60 s`
        : Number(timeout) < STREAM_READ_TIMEOUT_SECONDS
          ? `proxy-read-timeout is ${timeout} s`
          : undefined;
  if (trouble)
    problems.push(
      problem(
        ingress.file,
        field('proxy-read-timeout'),
        `${served}: ${trouble}; a stream needs at least "${STREAM_READ_TIMEOUT_SECONDS}"`,
      ),
    );
  return problems;
}
