/**
 * Render and validate: every kustomization under infra/k8s renders, every object it renders matches
 * the Kubernetes schema exactly, and every kustomize path skaffold deploys is one of them.
 */
import { problem, type Problem } from '../problems';
import { MANIFESTS_DIR, type Repository } from '../repository';
import { validateObjects } from '../schema';

export function checkManifests(repo: Repository): Problem[] {
  const problems = [...repo.loadProblems];
  if (!repo.renders.has(MANIFESTS_DIR)) return problems;
  for (const rendered of repo.renders.values()) problems.push(...validateObjects(rendered));
  for (const [profile, { paths, field }] of repo.skaffold.kustomizePaths) {
    paths.forEach((path, i) => {
      if (!repo.renders.has(path)) {
        problems.push(
          problem(
            'skaffold.yaml',
            `${field}[${i}]`,
            `${path} is not a kustomization under ${MANIFESTS_DIR}${profile ? ` (profile ${profile})` : ''}`,
          ),
        );
      }
    });
  }
  return problems;
}
