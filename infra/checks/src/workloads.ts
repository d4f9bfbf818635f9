/**
 * The pods a rendered object runs, read the same way by every check: a workload's pod template, its
 * containers with their field paths, and how Services select pods and target their ports.
 */
import type { KubeObject, RenderedObject } from './kustomize';
import { fieldPath, isRecord } from './problems';
import type { Repository } from './repository';

export interface Container {
  name: string;
  image?: string;
  env?: Array<Record<string, unknown>>;
  ports?: Array<{ name?: string; containerPort: number }>;
  livenessProbe?: Record<string, unknown>;
  readinessProbe?: Record<string, unknown>;
  startupProbe?: Record<string, unknown>;
  securityContext?: Record<string, unknown>;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
}

export interface PodTemplate {
  labels: Record<string, string>;
  spec: Record<string, unknown> & { containers?: Container[]; initContainers?: Container[] };
  /** The field path of the pod spec inside its object. */
  at: Array<string | number>;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicaSet']);

export function podTemplate(object: KubeObject): PodTemplate | undefined {
  if (!WORKLOAD_KINDS.has(object.kind)) return undefined;
  const spec = object.spec;
  if (!isRecord(spec) || !isRecord(spec.template)) return undefined;
  const meta = isRecord(spec.template.metadata) ? spec.template.metadata : {};
  const podSpec = isRecord(spec.template.spec) ? spec.template.spec : {};
  return {
    labels: (isRecord(meta.labels) ? meta.labels : {}) as Record<string, string>,
    spec: podSpec as PodTemplate['spec'],
    at: ['spec', 'template', 'spec'],
  };
}

export function containersOf(
  pod: PodTemplate,
): Array<{ container: Container; at: Array<string | number> }> {
  const list: Array<{ container: Container; at: Array<string | number> }> = [];
  for (const key of ['initContainers', 'containers'] as const) {
    (pod.spec[key] ?? []).forEach((container, i) =>
      list.push({ container, at: [...pod.at, key, i] }),
    );
  }
  return list;
}

export function where(r: RenderedObject): string {
  return `${r.object.kind} ${r.object.metadata.name}`;
}

export function at(r: RenderedObject, path: Array<string | number>): string {
  return `${where(r)}: ${fieldPath(path)}`;
}

function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

export function workloadsSelectedBy(
  repo: Repository,
  namespace: string | undefined,
  selector: Record<string, string>,
) {
  return repo.objects.filter((r) => {
    const pod = podTemplate(r.object);
    return pod && r.object.metadata.namespace === namespace && selects(selector, pod.labels);
  });
}

export function resolvesToContainerPort(pods: RenderedObject[], port: unknown): boolean {
  return pods.every((r) => {
    const pod = podTemplate(r.object) as PodTemplate;
    return (pod.spec.containers ?? []).some((c) =>
      (c.ports ?? []).some((p) =>
        typeof port === 'number' ? p.containerPort === port : p.name === port,
      ),
    );
  });
}
