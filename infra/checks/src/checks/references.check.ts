/**
 * References: each Service selects pods and targets their ports; each Ingress backend names a Service
 * and one of its ports; StatefulSets have headless Services; autoscalers target workloads with CPU
 * requests; NetworkPolicies select labels some pods carry.
 */
import { isRecord, problem, type Problem } from '../problems';
import type { Repository } from '../repository';
import { at, podTemplate, resolvesToContainerPort, where, workloadsSelectedBy } from '../workloads';

export function checkReferences(repo: Repository): Problem[] {
  return [
    ...checkServices(repo),
    ...checkIngresses(repo),
    ...checkStatefulSets(repo),
    ...checkAutoscalers(repo),
    ...checkNetworkPolicies(repo),
  ];
}

function checkServices(repo: Repository): Problem[] {
  const problems: Problem[] = [];
  for (const r of repo.objects.filter((o) => o.object.kind === 'Service')) {
    const spec = (r.object.spec ?? {}) as {
      selector?: Record<string, string>;
      ports?: Array<Record<string, unknown>>;
    };
    const pods = workloadsSelectedBy(repo, r.object.metadata.namespace, spec.selector ?? {});
    if (pods.length === 0) {
      problems.push(
        problem(r.file, at(r, ['spec', 'selector']), 'selects no Deployment or StatefulSet pods'),
      );
      continue;
    }
    (spec.ports ?? []).forEach((port, i) => {
      const target = port.targetPort ?? port.port;
      if (!resolvesToContainerPort(pods, target)) {
        problems.push(
          problem(
            r.file,
            at(r, ['spec', 'ports', i, 'targetPort']),
            `${String(target)} is not a container port of ${pods.map(where).join(', ')}`,
          ),
        );
      }
    });
  }
  return problems;
}

function checkIngresses(repo: Repository): Problem[] {
  const problems: Problem[] = [];
  const services = repo.objects.filter((r) => r.object.kind === 'Service');
  for (const r of repo.objects.filter((o) => o.object.kind === 'Ingress')) {
    const spec = (r.object.spec ?? {}) as Record<string, unknown>;
    const backends: Array<{ backend: unknown; path: Array<string | number> }> = [];
    if (spec.defaultBackend)
      backends.push({ backend: spec.defaultBackend, path: ['spec', 'defaultBackend'] });
    (Array.isArray(spec.rules) ? spec.rules : []).forEach((rule: unknown, i) => {
      const paths =
        isRecord(rule) && isRecord(rule.http) && Array.isArray(rule.http.paths)
          ? rule.http.paths
          : [];
      paths.forEach((p: unknown, j) => {
        if (isRecord(p))
          backends.push({
            backend: p.backend,
            path: ['spec', 'rules', i, 'http', 'paths', j, 'backend'],
          });
      });
    });
    for (const { backend, path } of backends) {
      const service = isRecord(backend) && isRecord(backend.service) ? backend.service : undefined;
      if (!service) continue;
      const target = services.find(
        (s) =>
          s.object.metadata.name === service.name &&
          s.object.metadata.namespace === r.object.metadata.namespace,
      );
      if (!target) {
        problems.push(
          problem(
            r.file,
            at(r, [...path, 'service', 'name']),
            `no Service ${String(service.name)}`,
          ),
        );
        continue;
      }
      const port = isRecord(service.port) ? service.port : {};
      const ports =
        (target.object.spec as { ports?: Array<{ name?: string; port: number }> }).ports ?? [];
      const ok =
        port.number !== undefined
          ? ports.some((p) => p.port === port.number)
          : ports.some((p) => p.name === port.name);
      if (!ok) {
        const key = port.number !== undefined ? 'number' : 'name';
        problems.push(
          problem(
            r.file,
            at(r, [...path, 'service', 'port', key]),
            `Service ${target.object.metadata.name} (${target.file}) has no port ${String(port[key])}; it has ${ports.map((p) => `${p.port}${p.name ? `/${p.name}` : ''}`).join(', ') || 'none'}`,
          ),
        );
      }
    }
  }
  return problems;
}

function checkStatefulSets(repo: Repository): Problem[] {
  const problems: Problem[] = [];
  const services = repo.objects.filter((r) => r.object.kind === 'Service');
  for (const r of repo.objects.filter((o) => o.object.kind === 'StatefulSet')) {
    const name = (r.object.spec as { serviceName?: string }).serviceName;
    const service = services.find((s) => s.object.metadata.name === name);
    if (!service || (service.object.spec as { clusterIP?: string }).clusterIP !== 'None') {
      problems.push(
        problem(
          r.file,
          at(r, ['spec', 'serviceName']),
          `${String(name)} is not a headless Service`,
        ),
      );
    }
  }
  return problems;
}

function checkAutoscalers(repo: Repository): Problem[] {
  const problems: Problem[] = [];
  for (const r of repo.objects.filter((o) => o.object.kind === 'HorizontalPodAutoscaler')) {
    const ref =
      (r.object.spec as { scaleTargetRef?: { kind?: string; name?: string } }).scaleTargetRef ?? {};
    const target = repo.objects.find(
      (o) => o.object.kind === ref.kind && o.object.metadata.name === ref.name,
    );
    const pod = target && podTemplate(target.object);
    if (!pod) {
      problems.push(
        problem(
          r.file,
          at(r, ['spec', 'scaleTargetRef']),
          `no ${String(ref.kind)} ${String(ref.name)}`,
        ),
      );
    } else if ((pod.spec.containers ?? []).some((c) => c.resources?.requests?.cpu === undefined)) {
      problems.push(
        problem(
          r.file,
          at(r, ['spec', 'metrics']),
          `${where(target)} has a container without a CPU request, which CPU utilisation needs`,
        ),
      );
    }
  }
  return problems;
}

function checkNetworkPolicies(repo: Repository): Problem[] {
  const problems: Problem[] = [];
  const appLabels = new Set(repo.objects.flatMap((r) => podTemplate(r.object)?.labels.app ?? []));
  for (const r of repo.objects.filter((o) => o.object.kind === 'NetworkPolicy')) {
    const visit = (node: unknown, path: Array<string | number>) => {
      if (Array.isArray(node)) node.forEach((n, i) => visit(n, [...path, i]));
      if (!isRecord(node)) return;
      if (
        isRecord(node.matchLabels) &&
        typeof node.matchLabels.app === 'string' &&
        !appLabels.has(node.matchLabels.app)
      ) {
        problems.push(
          problem(
            r.file,
            at(r, [...path, 'matchLabels', 'app']),
            `no pods are labelled app=${node.matchLabels.app}`,
          ),
        );
      }
      if (Array.isArray(node.matchExpressions)) {
        node.matchExpressions.forEach((e: unknown, i) => {
          if (!isRecord(e) || e.key !== 'app' || !Array.isArray(e.values)) return;
          for (const value of e.values) {
            if (!appLabels.has(String(value)))
              problems.push(
                problem(
                  r.file,
                  at(r, [...path, 'matchExpressions', i, 'values']),
                  `no pods are labelled app=${String(value)}`,
                ),
              );
          }
        });
      }
      for (const [key, child] of Object.entries(node)) visit(child, [...path, key]);
    };
    visit(r.object.spec, ['spec']);
  }
  return problems;
}
