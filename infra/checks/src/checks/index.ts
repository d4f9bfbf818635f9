/**
 * Every check of infra/checks, one file each, in the order a reader would fix what they find; each
 * takes the repository as loaded once (../repository.ts) and returns the problems it finds.
 */
import { loadRepository, type Repository } from '../repository';
import type { Problem } from '../problems';
import { checkBuildArgs } from './build-args.check';
import { checkDockerfiles } from './dockerfiles.check';
import { checkEnvironment } from './environment.check';
import { checkImages } from './images.check';
import { checkManifests } from './manifests.check';
import { checkProbes } from './probes.check';
import { checkReferences } from './references.check';
import { checkRoutes } from './routes.check';
import { checkSecurity } from './security.check';
import { checkGithubWorkflows } from './workflows.check';

export const CHECKS = {
  'manifests render and match the Kubernetes schemas': checkManifests,
  'images, skaffold artifacts and Dockerfiles agree': checkImages,
  'Dockerfiles copy what exists and build a lean non-root image': checkDockerfiles,
  'every build argument is declared, used in scope, and passed by each artifact': checkBuildArgs,
  'every variable a service requires is set and valid': checkEnvironment,
  'Services, Ingress, StatefulSets, HPAs and policies name what exists': checkReferences,
  'every documented route reaches its service through ingress-nginx, streams unbuffered':
    checkRoutes,
  'every probe targets a served path and a real port': checkProbes,
  'every workload runs restricted with requests and limits': checkSecurity,
  'every workflow parses and runs scripts that exist': checkGithubWorkflows,
} satisfies Record<string, (repo: Repository) => Problem[]>;

export function checkRepository(root: string): Problem[] {
  const repo = loadRepository(root);
  return Object.values(CHECKS).flatMap((check) => check(repo));
}
