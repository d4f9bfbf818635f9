/**
 * The parts of skaffold.yaml (schema skaffold/v4beta*) the checks rely on. Fields are checked
 * against the schema's names for the sections used here, so a misspelt `artifcts` or `dockerfle`
 * is an error instead of a silently ignored key (skaffold itself would reject it too).
 */
import { fieldPath, isRecord, problem, type Problem } from './problems';
import { parseYamlDocuments, readText } from './repo';

export interface SyncRule {
  src: string;
  dest: string;
}

export interface Artifact {
  image: string;
  context: string;
  dockerfile: string;
  target?: string;
  /** `docker.buildArgs`: the Dockerfile's build arguments (e.g. SERVICE, the workspace it builds). */
  buildArgs: Map<string, string>;
  sync: SyncRule[];
  /** Where it is declared, e.g. `build.artifacts[0]` or `profiles[0].build.artifacts[2]`. */
  field: string;
  profile?: string;
}

export interface SkaffoldConfig {
  artifacts: Artifact[];
  /** kustomize paths per profile ('' for the default pipeline). */
  kustomizePaths: Map<string, { paths: string[]; field: string }>;
  profiles: string[];
}

const KNOWN: Record<string, string[]> = {
  config: [
    'apiVersion',
    'kind',
    'metadata',
    'requires',
    'build',
    'test',
    'manifests',
    'deploy',
    'portForward',
    'resourceSelector',
    'verify',
    'customActions',
    'profiles',
  ],
  profile: [
    'name',
    'activation',
    'patches',
    'build',
    'test',
    'manifests',
    'deploy',
    'portForward',
    'resourceSelector',
    'verify',
    'customActions',
  ],
  build: [
    'artifacts',
    'insecureRegistries',
    'tagPolicy',
    'platforms',
    'local',
    'googleCloudBuild',
    'cluster',
  ],
  artifact: [
    'image',
    'context',
    'sync',
    'docker',
    'bazel',
    'jib',
    'kaniko',
    'buildpacks',
    'custom',
    'ko',
    'requires',
    'hooks',
    'platforms',
    'runtimeType',
    'dependencies',
  ],
  docker: [
    'dockerfile',
    'target',
    'buildArgs',
    'network',
    'addHost',
    'cacheFrom',
    'cacheTo',
    'cliFlags',
    'pullParent',
    'noCache',
    'squash',
    'secrets',
    'ssh',
  ],
  sync: ['manual', 'infer', 'auto', 'hooks'],
  manual: ['src', 'dest', 'strip'],
  manifests: ['rawYaml', 'kustomize', 'kpt', 'helm', 'hooks', 'transform', 'validate'],
  kustomize: ['paths', 'buildArgs'],
};

export function readSkaffold(
  root: string,
  file = 'skaffold.yaml',
): {
  config: SkaffoldConfig;
  problems: Problem[];
} {
  const problems: Problem[] = [];
  const docs = parseYamlDocuments(readText(root, file), file, '1.2');
  const doc = docs[0];
  const config: SkaffoldConfig = { artifacts: [], kustomizePaths: new Map(), profiles: [] };
  if (docs.length !== 1 || !isRecord(doc)) {
    problems.push(problem(file, '(document)', 'must be one skaffold Config object'));
    return { config, problems };
  }
  const unknown = (value: unknown, section: string, path: Array<string | number>) => {
    if (!isRecord(value)) return;
    for (const key of Object.keys(value)) {
      if (!(KNOWN[section] ?? []).includes(key)) {
        problems.push(
          problem(file, fieldPath([...path, key]), `unknown skaffold ${section} field`),
        );
      }
    }
  };
  if (typeof doc.apiVersion !== 'string' || !doc.apiVersion.startsWith('skaffold/v4beta')) {
    problems.push(problem(file, 'apiVersion', 'must be skaffold/v4beta*'));
  }
  if (doc.kind !== 'Config') problems.push(problem(file, 'kind', 'must be Config'));
  unknown(doc, 'config', []);

  const readPipeline = (
    section: Record<string, unknown>,
    path: Array<string | number>,
    profile?: string,
  ) => {
    const build = section.build;
    unknown(build, 'build', [...path, 'build']);
    const artifacts = isRecord(build) && Array.isArray(build.artifacts) ? build.artifacts : [];
    artifacts.forEach((a: unknown, i) => {
      const at = [...path, 'build', 'artifacts', i];
      unknown(a, 'artifact', at);
      if (!isRecord(a) || typeof a.image !== 'string') {
        problems.push(problem(file, fieldPath(at), 'needs an image'));
        return;
      }
      const docker = a.docker;
      unknown(docker, 'docker', [...at, 'docker']);
      unknown(a.sync, 'sync', [...at, 'sync']);
      const manual = isRecord(a.sync) && Array.isArray(a.sync.manual) ? a.sync.manual : [];
      const sync: SyncRule[] = [];
      manual.forEach((rule: unknown, j) => {
        unknown(rule, 'manual', [...at, 'sync', 'manual', j]);
        if (isRecord(rule) && typeof rule.src === 'string' && typeof rule.dest === 'string') {
          sync.push({ src: rule.src, dest: rule.dest });
        } else
          problems.push(
            problem(file, fieldPath([...at, 'sync', 'manual', j]), 'needs src and dest'),
          );
      });
      const buildArgs = new Map<string, string>();
      if (isRecord(docker) && docker.buildArgs !== undefined) {
        if (!isRecord(docker.buildArgs)) {
          problems.push(problem(file, fieldPath([...at, 'docker', 'buildArgs']), 'must be a map'));
        } else {
          for (const [name, value] of Object.entries(docker.buildArgs)) {
            if (typeof value === 'string') buildArgs.set(name, value);
            else
              problems.push(
                problem(
                  file,
                  fieldPath([...at, 'docker', 'buildArgs', name]),
                  'must be a string (quote numbers and booleans)',
                ),
              );
          }
        }
      }
      config.artifacts.push({
        image: a.image,
        context: typeof a.context === 'string' ? a.context : '.',
        dockerfile:
          isRecord(docker) && typeof docker.dockerfile === 'string'
            ? docker.dockerfile
            : 'Dockerfile',
        target: isRecord(docker) && typeof docker.target === 'string' ? docker.target : undefined,
        buildArgs,
        sync,
        field: fieldPath(at),
        profile,
      });
    });
    const manifests = section.manifests;
    unknown(manifests, 'manifests', [...path, 'manifests']);
    if (isRecord(manifests)) {
      unknown(manifests.kustomize, 'kustomize', [...path, 'manifests', 'kustomize']);
      const paths =
        isRecord(manifests.kustomize) && Array.isArray(manifests.kustomize.paths)
          ? manifests.kustomize.paths.filter((p): p is string => typeof p === 'string')
          : [];
      config.kustomizePaths.set(profile ?? '', {
        paths,
        field: fieldPath([...path, 'manifests', 'kustomize', 'paths']),
      });
    }
  };

  readPipeline(doc, []);
  const profiles = Array.isArray(doc.profiles) ? doc.profiles : [];
  profiles.forEach((p: unknown, i) => {
    unknown(p, 'profile', ['profiles', i]);
    if (!isRecord(p) || typeof p.name !== 'string') {
      problems.push(problem(file, fieldPath(['profiles', i]), 'needs a name'));
      return;
    }
    config.profiles.push(p.name);
    readPipeline(p, ['profiles', i], p.name);
  });
  return { config, problems };
}
