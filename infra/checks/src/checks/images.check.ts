/**
 * Images ↔ skaffold artifacts ↔ Dockerfiles: every image in the manifests is built by an artifact
 * (untagged) or is a pinned third-party image; every artifact has a context, a Dockerfile with its
 * target stage, builds a workspace it is named after, and is deployed; every profile builds the same
 * images; every service workspace is built; sync rules match files and land on writable volumes.
 */
import { posix } from 'node:path';
import { artifactWorkspace, dockerfilePath, WORKSPACE_ARG } from '../artifacts';
import { parseDockerfile } from '../dockerfile';
import { parseImage } from '../kustomize';
import { fieldPath, problem, type Problem } from '../problems';
import { exists, isDirectory, matchFiles, readText, readWorkspaces } from '../repo';
import { MANIFESTS_DIR, type Repository } from '../repository';
import { startsWithRunService } from '../service-config';
import type { Artifact } from '../skaffold';
import { at, containersOf, podTemplate, where } from '../workloads';

export function checkImages(repo: Repository): Problem[] {
  const { images, problems } = checkContainerImages(repo);
  const byProfile = new Map<string, Set<string>>();
  for (const artifact of repo.skaffold.artifacts) {
    const profile = artifact.profile ?? '';
    byProfile.set(profile, (byProfile.get(profile) ?? new Set()).add(artifact.image));
    if (!images.has(artifact.image)) {
      problems.push(
        problem(
          'skaffold.yaml',
          `${artifact.field}.image`,
          `${artifact.image} is used by no container in ${MANIFESTS_DIR}`,
        ),
      );
    }
    problems.push(...checkArtifact(repo, artifact));
  }
  const defaults = byProfile.get('') ?? new Set();
  for (const [profile, set] of byProfile) {
    for (const image of defaults) {
      if (!set.has(image)) {
        problems.push(
          problem(
            'skaffold.yaml',
            `profiles.${profile}.build.artifacts`,
            `has no artifact for ${image}`,
          ),
        );
      }
    }
  }
  problems.push(...checkEveryServiceBuilt(repo));
  return problems;
}

/** The images containers run: ours untagged, third-party ones pinned. Returns ours that are used. */
function checkContainerImages(repo: Repository): { images: Set<string>; problems: Problem[] } {
  const problems: Problem[] = [];
  const built = new Set(repo.skaffold.artifacts.map((a) => a.image));
  const images = new Set<string>();
  for (const r of repo.objects) {
    const pod = podTemplate(r.object);
    if (!pod) continue;
    for (const { container, at: path } of containersOf(pod)) {
      const image = container.image ?? '';
      const ref = parseImage(image);
      const field = at(r, [...path, 'image']);
      if (built.has(ref.name)) {
        images.add(ref.name);
        if (ref.tag || ref.digest) {
          problems.push(
            problem(r.file, field, `${image}: skaffold tags its own images; leave the tag off`),
          );
        }
      } else if (ref.name.startsWith('ticketing/')) {
        problems.push(
          problem(r.file, field, `${image} is not built by any skaffold artifact (skaffold.yaml)`),
        );
      } else if (!ref.digest && (!ref.tag || ref.tag === 'latest')) {
        problems.push(
          problem(
            r.file,
            field,
            `${image}: pin a third-party image to a version (kustomization images:)`,
          ),
        );
      }
    }
  }
  return { images, problems };
}

/** An artifact's context, Dockerfile and target exist; it builds a workspace it is named after. */
function checkArtifact(repo: Repository, artifact: Artifact): Problem[] {
  const problems: Problem[] = [];
  const workspace = artifactWorkspace(artifact);
  const named = artifact.buildArgs.get(WORKSPACE_ARG);
  const workspaceField =
    named === undefined
      ? `${artifact.field}.docker.dockerfile`
      : fieldPath([artifact.field, 'docker', 'buildArgs', WORKSPACE_ARG]);
  if (named !== undefined && !readWorkspaces(repo.root).has(named)) {
    problems.push(
      problem(
        'skaffold.yaml',
        workspaceField,
        `${WORKSPACE_ARG}=${named} names no workspace of package.json`,
      ),
    );
  }
  if (workspace && posix.basename(workspace) !== artifact.image.split('/').pop()) {
    problems.push(
      problem(
        'skaffold.yaml',
        workspaceField,
        `builds ${workspace} into ${artifact.image}: an image is named after the workspace it builds`,
      ),
    );
  }
  if (!isDirectory(repo.root, artifact.context)) {
    problems.push(
      problem(
        'skaffold.yaml',
        `${artifact.field}.context`,
        `${artifact.context} is not a directory`,
      ),
    );
    return problems;
  }
  const file = dockerfilePath(artifact);
  if (!exists(repo.root, file)) {
    problems.push(
      problem('skaffold.yaml', `${artifact.field}.docker.dockerfile`, `${file} does not exist`),
    );
    return problems;
  }
  const dockerfile = parseDockerfile(readText(repo.root, file));
  if (artifact.target && !dockerfile.stages.some((s) => s.name === artifact.target)) {
    problems.push(
      problem(
        'skaffold.yaml',
        `${artifact.field}.docker.target`,
        `${file} has no stage ${artifact.target}`,
      ),
    );
  }
  problems.push(...checkSync(repo, artifact));
  return problems;
}

/**
 * Every workspace that runs as a service (its src/index.ts starts through runService), and every
 * workspace with a Dockerfile of its own, is built by an artifact of the default pipeline.
 */
function checkEveryServiceBuilt(repo: Repository): Problem[] {
  const problems: Problem[] = [];
  const artifacts = repo.skaffold.artifacts.filter((a) => !a.profile);
  for (const ws of readWorkspaces(repo.root).keys()) {
    const own = `${ws}/Dockerfile`;
    if (exists(repo.root, own) && !artifacts.some((a) => dockerfilePath(a) === own)) {
      problems.push(problem('skaffold.yaml', 'build.artifacts', `no artifact builds ${own}`));
    } else if (
      startsWithRunService(repo.root, ws) &&
      !artifacts.some((a) => artifactWorkspace(a) === ws)
    ) {
      problems.push(
        problem(
          'skaffold.yaml',
          'build.artifacts',
          `no artifact builds ${ws}, which runs as a service (its src/index.ts calls runService)`,
        ),
      );
    }
  }
  return problems;
}

/** Sync rules match files, and land where the container can write (its root file system is read-only). */
function checkSync(repo: Repository, artifact: Artifact): Problem[] {
  const problems: Problem[] = [];
  artifact.sync.forEach((rule, i) => {
    const field = `${artifact.field}.sync.manual[${i}]`;
    if (matchFiles(repo.root, artifact.context, rule.src).length === 0) {
      problems.push(problem('skaffold.yaml', `${field}.src`, `${rule.src} matches no file`));
    }
    for (const r of repo.objects) {
      const pod = podTemplate(r.object);
      if (!pod) continue;
      for (const { container, at: path } of containersOf(pod)) {
        if (parseImage(container.image ?? '').name !== artifact.image) continue;
        const readOnlyRoot = container.securityContext?.readOnlyRootFilesystem === true;
        const writable = (container.volumeMounts ?? []).some(
          (m) =>
            !m.readOnly &&
            (rule.dest === m.mountPath ||
              rule.dest.startsWith(`${m.mountPath.replace(/\/$/, '')}/`)),
        );
        if (readOnlyRoot && !writable) {
          problems.push(
            problem(
              'skaffold.yaml',
              `${field}.dest`,
              `${rule.dest} is on the read-only root file system of ${where(r)} (${r.file}, ${fieldPath(path)}); sync into a writable volume`,
            ),
          );
        }
      }
    }
  });
  return problems;
}
