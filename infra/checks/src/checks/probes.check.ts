/**
 * Probes: every container has liveness and readiness probes on ports it has, and every HTTP probe path
 * is one its program serves: for a service started through common's runService, the paths common
 * exports (PROBE_PATHS, common/src/service/health.ts), liveness on the live one and readiness on the
 * ready one; for the Next.js client, its app/ routes. Third-party images' paths are not provable here.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROBE_PATHS } from '@ticketing/common';
import { appContainers, isNextApp } from '../artifacts';
import { isRecord, problem, type Problem } from '../problems';
import { exists, isDirectory } from '../repo';
import type { Repository } from '../repository';
import { startsWithRunService } from '../service-config';
import { at, containersOf, podTemplate, type Container } from '../workloads';

const HEALTH_FILE = 'common/src/service/health.ts';
const PROBE_KINDS = ['startupProbe', 'livenessProbe', 'readinessProbe'] as const;
/** The path each kind of probe must use on a runService service; a startup probe may use either. */
const RUN_SERVICE_PROBES: Partial<Record<(typeof PROBE_KINDS)[number], string>> = {
  livenessProbe: PROBE_PATHS.live,
  readinessProbe: PROBE_PATHS.ready,
};

export function checkProbes(repo: Repository): Problem[] {
  const problems: Problem[] = [];
  const apps = new Map(appContainers(repo).map((a) => [a.container, a.workspace]));
  for (const r of repo.objects) {
    const pod = podTemplate(r.object);
    if (!pod) continue;
    for (const { container, at: path } of containersOf(pod)) {
      if (path.includes('initContainers')) continue;
      for (const kind of ['livenessProbe', 'readinessProbe'] as const) {
        if (!container[kind])
          problems.push(problem(r.file, at(r, [...path, kind]), 'every container needs one'));
      }
      const workspace = apps.get(container);
      for (const kind of PROBE_KINDS) {
        const probe = container[kind];
        if (!probe) continue;
        const field = (...rest: string[]) => at(r, [...path, kind, ...rest]);
        const action = ['httpGet', 'tcpSocket', 'grpc'].find((a) => isRecord(probe[a]));
        if (action && !hasPort(container, (probe[action] as { port?: unknown }).port)) {
          const port = String((probe[action] as { port?: unknown }).port);
          problems.push(
            problem(
              r.file,
              field(action, 'port'),
              `${port} is not a port of container ${container.name}`,
            ),
          );
        }
        if (!isRecord(probe.httpGet) || !workspace) continue; // third-party images: their own endpoints
        const probePath = String(probe.httpGet.path ?? '/').split('?')[0] as string;
        const why = unservedBecause(repo.root, workspace, kind, probePath);
        if (why) problems.push(problem(r.file, field('httpGet', 'path'), why));
      }
    }
  }
  return problems;
}

function hasPort(container: Container, port: unknown): boolean {
  return (container.ports ?? []).some((p) =>
    typeof port === 'number' ? p.containerPort === port : p.name === port,
  );
}

/** Why `probePath` is the wrong path for this kind of probe of `workspace`'s program, if it is. */
function unservedBecause(
  root: string,
  workspace: string,
  kind: (typeof PROBE_KINDS)[number],
  probePath: string,
): string | undefined {
  if (startsWithRunService(root, workspace)) {
    const served = Object.values(PROBE_PATHS);
    if (!served.includes(probePath as (typeof served)[number])) {
      return `${probePath} is not served: ${workspace}/src/index.ts runs common's runService, which serves ${served.join(' and ')} (PROBE_PATHS, ${HEALTH_FILE})`;
    }
    const expected = RUN_SERVICE_PROBES[kind];
    if (expected && probePath !== expected) {
      return `${kind} on ${probePath}: use ${expected} (PROBE_PATHS, ${HEALTH_FILE}); ${PROBE_PATHS.live} answers while the process runs, ${PROBE_PATHS.ready} only while its dependencies are up`;
    }
    return undefined;
  }
  if (isNextApp(root, workspace)) {
    const routes = nextRoutes(root, workspace);
    return routes.includes(probePath)
      ? undefined
      : `${probePath} is not served: ${workspace}'s app/ routes are ${routes.join(', ') || 'none'}`;
  }
  return `${probePath} is not served: ${workspace}/src/index.ts does not start through runService`;
}

/** The static routes of a Next.js App Router app (route groups dropped, dynamic segments left out). */
function nextRoutes(root: string, workspace: string): string[] {
  const routes: string[] = [];
  const base = exists(root, `${workspace}/src/app`) ? `${workspace}/src/app` : `${workspace}/app`;
  const walk = (dir: string, segments: string[]) => {
    if (!isDirectory(root, dir)) return;
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (entry.name.startsWith('[') || entry.name.startsWith('_') || entry.name.startsWith('@'))
          continue;
        const group = entry.name.startsWith('(') && entry.name.endsWith(')');
        walk(`${dir}/${entry.name}`, group ? segments : [...segments, entry.name]);
      } else if (/^(page|route)\.(tsx?|jsx?)$/.test(entry.name)) {
        routes.push(`/${segments.join('/')}`);
      }
    }
  };
  walk(base, []);
  return routes;
}
