/**
 * What each skaffold artifact builds: its Dockerfile, the workspace (the build argument SERVICE for
 * the services' shared Dockerfile, else the Dockerfile's folder) and the containers that run it.
 */
import { posix } from 'node:path';
import { parseImage, type RenderedObject } from './kustomize';
import { exists } from './repo';
import type { Repository } from './repository';
import type { Artifact } from './skaffold';
import { containersOf, podTemplate, type Container } from './workloads';

/** The build argument that names the workspace an image is built from (ADR 006). */
export const WORKSPACE_ARG = 'SERVICE';

/**
 * The workspace an artifact builds: its SERVICE build argument, or else the folder of its Dockerfile
 * (client/Dockerfile). Undefined for the services' shared Dockerfile at the root without SERVICE: the
 * build-args check reports that, and the checks that need a workspace skip the artifact.
 */
export function artifactWorkspace(artifact: Artifact): string | undefined {
  const workspace =
    artifact.buildArgs.get(WORKSPACE_ARG) ??
    posix.dirname(posix.join(artifact.context, artifact.dockerfile));
  return workspace === '.' ? undefined : workspace;
}

export function dockerfilePath(artifact: Artifact): string {
  return posix.normalize(posix.join(artifact.context, artifact.dockerfile));
}

/** Next.js apps have no config schema; their workspace is recognised by its next.config. */
export function isNextApp(root: string, workspace: string): boolean {
  return ['next.config.ts', 'next.config.js', 'next.config.mjs'].some((f) =>
    exists(root, `${workspace}/${f}`),
  );
}

export interface AppContainer {
  rendered: RenderedObject;
  container: Container;
  path: Array<string | number>;
  workspace: string;
}

/** Containers that run one of our images, with the workspace the image is built from. */
export function appContainers(repo: Repository): AppContainer[] {
  const list: AppContainer[] = [];
  for (const rendered of repo.objects) {
    const pod = podTemplate(rendered.object);
    if (!pod) continue;
    for (const { container, at: path } of containersOf(pod)) {
      const artifact = repo.skaffold.artifacts.find(
        (a) => a.image === parseImage(container.image ?? '').name,
      );
      const workspace = artifact && artifactWorkspace(artifact);
      if (workspace) list.push({ rendered, container, path, workspace });
    }
  }
  return list;
}
