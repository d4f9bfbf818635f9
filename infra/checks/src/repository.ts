/**
 * Everything the checks read, loaded once per repository root: each kustomization under infra/k8s
 * rendered, the objects a cluster gets with every layer, and skaffold.yaml.
 */
import {
  findKustomizations,
  KustomizeError,
  renderKustomization,
  type RenderedObject,
} from './kustomize';
import { problem, type Problem } from './problems';
import { YamlError } from './repo';
import { readSkaffold, type SkaffoldConfig } from './skaffold';

export const MANIFESTS_DIR = 'infra/k8s';
export const KUBERNETES_DOC = 'README.md';

export interface Repository {
  root: string;
  /** Each kustomization under infra/k8s (the base first, then each component), rendered. */
  renders: Map<string, RenderedObject[]>;
  /** What a cluster gets with every layer: the base plus every component. */
  objects: RenderedObject[];
  skaffold: SkaffoldConfig;
  /** Problems found while loading (unrenderable kustomizations, skaffold.yaml shape). */
  loadProblems: Problem[];
}

export function loadRepository(root: string): Repository {
  const loadProblems: Problem[] = [];
  const renders = new Map<string, RenderedObject[]>();
  for (const dir of findKustomizations(root, MANIFESTS_DIR)) {
    try {
      renders.set(dir, renderKustomization(root, dir));
    } catch (err) {
      if (err instanceof KustomizeError)
        loadProblems.push(problem(err.file, err.field, err.message));
      else if (err instanceof YamlError)
        loadProblems.push(problem(err.file, '(document)', err.detail));
      else throw err;
    }
  }
  const base = renders.get(MANIFESTS_DIR) ?? [];
  const namespace = base.find((r) => r.object.metadata.namespace)?.object.metadata.namespace;
  const objects = [...base];
  for (const [dir, rendered] of renders) {
    if (dir === MANIFESTS_DIR) continue;
    // Components carry no namespace; they are applied into the base's (skaffold's defaultNamespace).
    for (const r of rendered) {
      objects.push({
        file: r.file,
        object: { ...r.object, metadata: { ...r.object.metadata, namespace: namespace } },
      });
    }
  }
  const { config: skaffold, problems } = readSkaffold(root);
  loadProblems.push(...problems);
  return { root, renders, objects, skaffold, loadProblems };
}
