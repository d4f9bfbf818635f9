import { readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import {
  copiesOf,
  execForm,
  findStage,
  parseDockerfile,
  type Dockerfile,
  type Stage,
} from './dockerfile';
import { globToRegex, parseDockerIgnore, type DockerIgnore } from './dockerignore';
import {
  findKustomizations,
  KustomizeError,
  parseImage,
  renderKustomization,
  type KubeObject,
  type RenderedObject,
} from './kustomize';
import { fieldPath, isRecord, problem, type Problem } from './problems';
import { exists, isDirectory, readText, readWorkspaces, YamlError } from './repo';
import { validateObjects } from './schema';
import {
  configFile,
  loadServiceConfig,
  pathsServedByRunService,
  rejectValue,
  RUN_SERVICE_FILE,
  startsWithRunService,
  type ServiceConfig,
} from './service-config';
import { readSkaffold, type Artifact, type SkaffoldConfig } from './skaffold';
import { checkWorkflows } from './workflows';

export const MANIFESTS_DIR = 'infra/k8s';
export const KUBERNETES_DOC = 'README.md';

/** Everything the checks read, loaded once per repository root. */
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

// ---------------------------------------------------------------------------------------------------
// Kubernetes objects

interface Container {
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

interface PodTemplate {
  labels: Record<string, string>;
  spec: Record<string, unknown> & { containers?: Container[]; initContainers?: Container[] };
  /** The field path of the pod spec inside its object. */
  at: Array<string | number>;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicaSet']);

function podTemplate(object: KubeObject): PodTemplate | undefined {
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

function containersOf(
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

function where(r: RenderedObject): string {
  return `${r.object.kind} ${r.object.metadata.name}`;
}

function at(r: RenderedObject, path: Array<string | number>): string {
  return `${where(r)}: ${fieldPath(path)}`;
}

function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

function workloadsSelectedBy(
  repo: Repository,
  namespace: string | undefined,
  selector: Record<string, string>,
) {
  return repo.objects.filter((r) => {
    const pod = podTemplate(r.object);
    return pod && r.object.metadata.namespace === namespace && selects(selector, pod.labels);
  });
}

function resolvesToContainerPort(pods: RenderedObject[], port: unknown): boolean {
  return pods.every((r) => {
    const pod = podTemplate(r.object) as PodTemplate;
    return (pod.spec.containers ?? []).some((c) =>
      (c.ports ?? []).some((p) =>
        typeof port === 'number' ? p.containerPort === port : p.name === port,
      ),
    );
  });
}

// ---------------------------------------------------------------------------------------------------
// 1. Render and validate

/** Every kustomization renders, and every object it renders matches the Kubernetes schema exactly. */
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

// ---------------------------------------------------------------------------------------------------
// 2. Images ↔ skaffold artifacts ↔ Dockerfiles

/** The workspace an artifact builds: the folder of its Dockerfile. */
export function artifactWorkspace(artifact: Artifact): string {
  return posix.dirname(posix.join(artifact.context, artifact.dockerfile));
}

function dockerfilePath(artifact: Artifact): string {
  return posix.normalize(posix.join(artifact.context, artifact.dockerfile));
}

export function checkImages(repo: Repository): Problem[] {
  const problems: Problem[] = [];
  const { artifacts } = repo.skaffold;
  const images = new Set(artifacts.map((a) => a.image));
  const used = new Set<string>();

  for (const r of repo.objects) {
    const pod = podTemplate(r.object);
    if (!pod) continue;
    for (const { container, at: path } of containersOf(pod)) {
      const image = container.image ?? '';
      const ref = parseImage(image);
      const field = at(r, [...path, 'image']);
      if (images.has(ref.name)) {
        used.add(ref.name);
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

  const byProfile = new Map<string, Set<string>>();
  for (const artifact of artifacts) {
    const profile = artifact.profile ?? '';
    byProfile.set(profile, (byProfile.get(profile) ?? new Set()).add(artifact.image));
    if (!used.has(artifact.image)) {
      problems.push(
        problem(
          'skaffold.yaml',
          `${artifact.field}.image`,
          `${artifact.image} is used by no container in ${MANIFESTS_DIR}`,
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
      continue;
    }
    const file = dockerfilePath(artifact);
    if (!exists(repo.root, file)) {
      problems.push(
        problem('skaffold.yaml', `${artifact.field}.docker.dockerfile`, `${file} does not exist`),
      );
      continue;
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
  // Every workspace with a Dockerfile is built by skaffold.
  for (const ws of readWorkspaces(repo.root).keys()) {
    const file = `${ws}/Dockerfile`;
    if (exists(repo.root, file) && !artifacts.some((a) => dockerfilePath(a) === file)) {
      problems.push(problem('skaffold.yaml', 'build.artifacts', `no artifact builds ${file}`));
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

function matchFiles(root: string, context: string, glob: string): string[] {
  const regex = globToRegex(glob);
  const literal = glob.split(/[*?[]/)[0] ?? '';
  const start = literal.includes('/') ? literal.slice(0, literal.lastIndexOf('/')) : '';
  const found: string[] = [];
  const walk = (rel: string) => {
    const abs = join(root, context, rel);
    if (!isDirectory(root, join(context, rel))) return;
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist') continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (regex.test(child)) found.push(child);
    }
  };
  walk(start);
  return found;
}

// ---------------------------------------------------------------------------------------------------
// 3. Dockerfiles

export function checkDockerfiles(repo: Repository): Problem[] {
  const problems: Problem[] = [];
  const done = new Set<string>();
  for (const artifact of repo.skaffold.artifacts) {
    const file = dockerfilePath(artifact);
    if (done.has(file) || !exists(repo.root, file)) continue;
    done.add(file);
    const dockerfile = parseDockerfile(readText(repo.root, file));
    const ignoreFile = posix.join(artifact.context, '.dockerignore');
    const ignore = exists(repo.root, ignoreFile)
      ? parseDockerIgnore(readText(repo.root, ignoreFile))
      : parseDockerIgnore('');
    problems.push(...checkCopySources(repo.root, file, artifact.context, dockerfile, ignore));
    // The final image is what the production profile builds: its target, or the last stage.
    const production =
      repo.skaffold.artifacts.find(
        (a) => a.profile === 'production' && dockerfilePath(a) === file,
      ) ?? artifact;
    const final = production.target
      ? dockerfile.stages.find((s) => s.name === production.target)
      : dockerfile.stages.at(-1);
    if (final) problems.push(...checkFinalStage(file, dockerfile, final));
  }
  return problems;
}

function checkCopySources(
  root: string,
  file: string,
  context: string,
  dockerfile: Dockerfile,
  ignore: DockerIgnore,
): Problem[] {
  const problems: Problem[] = [];
  dockerfile.stages.forEach((stage, index) => {
    for (const copy of copiesOf(stage)) {
      const field = `line ${copy.line} (${copy.keyword})`;
      if (copy.from !== undefined) {
        const known = findStage(dockerfile, copy.from, index);
        if (!known && !/[:/]/.test(copy.from)) {
          problems.push(problem(file, field, `--from=${copy.from} names no earlier stage`));
        }
        continue;
      }
      for (const source of copy.sources) {
        if (/^https?:\/\//.test(source)) continue; // ADD <url>
        const clean = posix.normalize(source).replace(/\/$/, '');
        if (clean.startsWith('..')) {
          problems.push(problem(file, field, `${source} is outside the build context`));
          continue;
        }
        const matches = /[*?[]/.test(clean)
          ? matchFiles(root, context, clean)
          : exists(root, posix.join(context, clean))
            ? [clean]
            : [];
        if (matches.length === 0) {
          problems.push(
            problem(
              file,
              field,
              `COPY source ${source} does not exist in the build context (${context})`,
            ),
          );
        } else if (clean !== '.' && matches.every((m) => ignore.isExcluded(m))) {
          problems.push(problem(file, field, `COPY source ${source} is excluded by .dockerignore`));
        }
      }
    }
  });
  return problems;
}

/** A stage whose node_modules include devDependencies (npm ci/install without --omit=dev). */
function installsDevDependencies(dockerfile: Dockerfile, stage: Stage): boolean {
  const own = stage.instructions.some(
    (i) =>
      i.keyword === 'RUN' &&
      /\bnpm\s+(ci|install|i)\b/.test(i.args) &&
      !/--omit[= ]dev|--production|--only[= ]prod/.test(i.args),
  );
  if (own) return true;
  const index = dockerfile.stages.indexOf(stage);
  const parent = findStage(dockerfile, stage.base, index);
  return parent ? installsDevDependencies(dockerfile, parent) : false;
}

function checkFinalStage(file: string, dockerfile: Dockerfile, stage: Stage): Problem[] {
  const problems: Problem[] = [];
  const name = stage.name ?? 'final';
  const index = dockerfile.stages.indexOf(stage);
  const last = (keyword: string) =>
    [...stage.instructions].reverse().find((i) => i.keyword === keyword);
  const user = last('USER');
  if (!user)
    problems.push(problem(file, `stage ${name}: USER`, 'the final image must not run as root'));
  else {
    const uid = user.args.split(':')[0] ?? '';
    if (!/^\d+$/.test(uid) || uid === '0') {
      problems.push(
        problem(
          file,
          `line ${user.line} (USER)`,
          `${user.args}: use a numeric non-root uid, so Kubernetes can verify runAsNonRoot`,
        ),
      );
    }
  }
  const entry = last('ENTRYPOINT') ?? last('CMD');
  if (!entry)
    problems.push(problem(file, `stage ${name}: CMD`, 'the final image needs a CMD or ENTRYPOINT'));
  else if (!execForm(entry.args)) {
    problems.push(
      problem(
        file,
        `line ${entry.line} (${entry.keyword})`,
        'use the exec form ["node", "..."] so signals reach node',
      ),
    );
  }
  if (installsDevDependencies(dockerfile, stage)) {
    problems.push(problem(file, `stage ${name}`, 'installs devDependencies into the final image'));
  }
  for (const copy of copiesOf(stage)) {
    if (copy.from === undefined) continue;
    const from = findStage(dockerfile, copy.from, index);
    if (!from || !installsDevDependencies(dockerfile, from)) continue;
    for (const source of copy.sources) {
      const clean = posix.normalize(source).replace(/\/$/, '');
      if (/node_modules/.test(clean) || clean === '/app' || clean === '.' || clean === '/') {
        problems.push(
          problem(
            file,
            `line ${copy.line} (COPY)`,
            `copies ${source} from stage ${copy.from}, which has devDependencies`,
          ),
        );
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// 4. Environment: what each service's config requires is set, valid, and points at real services

/** Next.js apps have no config schema; their workspace is recognised by its next.config. */
function isNextApp(root: string, workspace: string): boolean {
  return ['next.config.ts', 'next.config.js', 'next.config.mjs'].some((f) =>
    exists(root, `${workspace}/${f}`),
  );
}

interface AppContainer {
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
      if (artifact)
        list.push({ rendered, container, path, workspace: artifactWorkspace(artifact) });
    }
  }
  return list;
}

export function checkEnvironment(repo: Repository): Problem[] {
  const problems: Problem[] = [];
  const configs = new Map<string, ServiceConfig | undefined>();
  const doc = exists(repo.root, KUBERNETES_DOC) ? readText(repo.root, KUBERNETES_DOC) : '';
  for (const { rendered: r, container, path, workspace } of appContainers(repo)) {
    const env = container.env ?? [];
    const envAt = (i: number, ...rest: string[]) => at(r, [...path, 'env', i, ...rest]);
    if (!configs.has(workspace)) configs.set(workspace, loadServiceConfig(repo.root, workspace));
    const config = configs.get(workspace);
    if (!config && !isNextApp(repo.root, workspace)) {
      problems.push(
        problem(
          r.file,
          at(r, [...path, 'env']),
          `cannot check: ${configFile(workspace)} (with configSchema) does not exist`,
        ),
      );
    }
    const set = new Map<string, { i: number; guaranteed: boolean }>();
    env.forEach((entry, i) => {
      const name = String(entry.name);
      const valueFrom = isRecord(entry.valueFrom) ? entry.valueFrom : undefined;
      let guaranteed = true;
      if (typeof entry.value === 'string') {
        const why = config && rejectValue(config, name, entry.value);
        if (why)
          problems.push(
            problem(
              r.file,
              envAt(i, 'value'),
              `${name}=${entry.value} would stop ${workspace} at start-up: ${why}`,
            ),
          );
        problems.push(...checkServiceUrl(repo, r, envAt(i, 'value'), entry.value));
        if (
          name === 'PORT' &&
          !(container.ports ?? []).some((p) => String(p.containerPort) === entry.value)
        ) {
          problems.push(
            problem(
              r.file,
              envAt(i, 'value'),
              `PORT ${entry.value} is not one of the container's ports`,
            ),
          );
        }
      } else if (valueFrom && isRecord(valueFrom.secretKeyRef)) {
        const ref = valueFrom.secretKeyRef;
        guaranteed = ref.optional !== true;
        const documented =
          doc.includes(`kubectl create secret generic ${String(ref.name)}`) &&
          doc.includes(`${String(ref.key)}=`);
        if (!documented) {
          problems.push(
            problem(
              r.file,
              envAt(i, 'valueFrom', 'secretKeyRef'),
              `secret ${String(ref.name)}/${String(ref.key)} is not created in ${KUBERNETES_DOC} (kubectl create secret generic ${String(ref.name)} --from-literal=${String(ref.key)}=...)`,
            ),
          );
        }
      } else if (valueFrom && isRecord(valueFrom.configMapKeyRef)) {
        const ref = valueFrom.configMapKeyRef;
        guaranteed = ref.optional !== true;
        const map = repo.objects.find(
          (o) => o.object.kind === 'ConfigMap' && o.object.metadata.name === ref.name,
        );
        if (!map || !isRecord(map.object.data) || !(String(ref.key) in map.object.data)) {
          problems.push(
            problem(
              r.file,
              envAt(i, 'valueFrom', 'configMapKeyRef'),
              `ConfigMap ${String(ref.name)} has no key ${String(ref.key)}`,
            ),
          );
        }
      }
      set.set(name, { i, guaranteed });
      if (config && !config.fields.has(name)) {
        problems.push(
          problem(
            r.file,
            envAt(i, 'name'),
            `${name} is not read by ${workspace} (not in ${config.file})`,
          ),
        );
      }
    });
    // Secure session cookies and production logging in the cluster (README.md, "Run on Kubernetes", "Use it").
    const nodeEnv = env.findIndex((e) => e.name === 'NODE_ENV');
    if (env[nodeEnv]?.value !== 'production') {
      problems.push(
        problem(
          r.file,
          nodeEnv >= 0 ? envAt(nodeEnv, 'value') : at(r, [...path, 'env']),
          'NODE_ENV must be production',
        ),
      );
    }
    for (const name of config?.required ?? []) {
      const entry = set.get(name);
      if (!entry) {
        problems.push(
          problem(
            r.file,
            at(r, [...path, 'env']),
            `${name} is required by ${config?.file} but not set`,
          ),
        );
      } else if (!entry.guaranteed) {
        problems.push(
          problem(
            r.file,
            envAt(entry.i, 'valueFrom'),
            `${name} is required by ${config?.file}, so its reference must not be optional`,
          ),
        );
      }
    }
  }
  return problems;
}

/** A URL value (mongodb://, nats://, redis://) names Services and ports that exist. */
function checkServiceUrl(
  repo: Repository,
  r: RenderedObject,
  field: string,
  value: string,
): Problem[] {
  const match = /^(mongodb|nats|redis|rediss|http|https):\/\/(?:[^@/]*@)?([^/?]+)/.exec(value);
  if (!match) return [];
  const problems: Problem[] = [];
  const namespace = r.object.metadata.namespace;
  for (const hostPort of (match[2] as string).split(',')) {
    const [host, portText] = hostPort.split(':') as [string, string | undefined];
    const port = Number(
      portText ??
        { mongodb: 27017, nats: 4222, redis: 6379, rediss: 6379, http: 80, https: 443 }[
          match[1] as string
        ],
    );
    // Inside the namespace: <service> or <pod>.<headless service>. Fully qualified names end in .svc
    // or .svc.cluster.local: <service>.<ns>.svc or <pod>.<service>.<ns>.svc.
    const qualified = /\.svc(\.cluster\.local)?$/.test(host);
    const labels = host.replace(/\.svc(\.cluster\.local)?$/, '').split('.');
    const ns = qualified ? labels.pop() : namespace;
    const [pod, serviceName] = labels.length === 2 ? labels : [undefined, labels[0]];
    if (qualified && ns !== namespace) continue; // a prerequisite's Service (ingress-nginx's controller)
    const found = { service: serviceName, pod };
    if (
      labels.length > 2 ||
      !repo.objects.some(
        (o) =>
          o.object.kind === 'Service' &&
          o.object.metadata.name === serviceName &&
          o.object.metadata.namespace === ns,
      )
    ) {
      problems.push(problem(r.file, field, `${host} is not a Service in ${MANIFESTS_DIR}`));
      continue;
    }
    const service = repo.objects.find(
      (o) => o.object.kind === 'Service' && o.object.metadata.name === found.service,
    ) as RenderedObject;
    const spec = (service.object.spec ?? {}) as {
      ports?: Array<{ port: number }>;
      clusterIP?: string;
    };
    if (!(spec.ports ?? []).some((p) => p.port === port)) {
      problems.push(
        problem(r.file, field, `Service ${found.service} (${service.file}) has no port ${port}`),
      );
    }
    if (found.pod) {
      const set = repo.objects.find(
        (o) =>
          o.object.kind === 'StatefulSet' &&
          isRecord(o.object.spec) &&
          o.object.spec.serviceName === found.service &&
          found.pod?.startsWith(`${o.object.metadata.name}-`),
      );
      const ordinal = set ? Number(found.pod.slice(set.object.metadata.name.length + 1)) : NaN;
      const replicas = set && isRecord(set.object.spec) ? Number(set.object.spec.replicas ?? 1) : 0;
      if (spec.clusterIP !== 'None' || !set || !(ordinal < replicas)) {
        problems.push(
          problem(
            r.file,
            field,
            `${host}: no pod ${found.pod} of a StatefulSet governed by the headless Service ${found.service}`,
          ),
        );
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// 5. Services, Ingress, StatefulSets, autoscalers, network policies reference what exists

export function checkReferences(repo: Repository): Problem[] {
  const problems: Problem[] = [];
  const services = repo.objects.filter((r) => r.object.kind === 'Service');
  for (const r of services) {
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

// ---------------------------------------------------------------------------------------------------
// 6. Probes: every container has them, and every HTTP probe path is one its program serves

export function checkProbes(repo: Repository): Problem[] {
  const problems: Problem[] = [];
  const runServicePaths = pathsServedByRunService(repo.root);
  const apps = new Map(appContainers(repo).map((a) => [a.container, a.workspace]));
  for (const r of repo.objects) {
    const pod = podTemplate(r.object);
    if (!pod) continue;
    for (const { container, at: path } of containersOf(pod)) {
      if (path.includes('initContainers')) continue;
      const workspace = apps.get(container);
      for (const kind of ['livenessProbe', 'readinessProbe'] as const) {
        if (!container[kind])
          problems.push(problem(r.file, at(r, [...path, kind]), 'every container needs one'));
      }
      for (const kind of ['startupProbe', 'livenessProbe', 'readinessProbe'] as const) {
        const probe = container[kind];
        if (!probe) continue;
        const action = ['httpGet', 'tcpSocket', 'grpc'].find((a) => isRecord(probe[a]));
        if (action) {
          const port = (probe[action] as { port?: unknown }).port;
          if (
            !(container.ports ?? []).some((p) =>
              typeof port === 'number' ? p.containerPort === port : p.name === port,
            )
          ) {
            problems.push(
              problem(
                r.file,
                at(r, [...path, kind, action, 'port']),
                `${String(port)} is not a port of container ${container.name}`,
              ),
            );
          }
        }
        if (!isRecord(probe.httpGet) || !workspace) continue; // third-party images: their own endpoints
        const probePath = String(probe.httpGet.path ?? '/').split('?')[0] as string;
        let served: string[];
        let source: string;
        if (startsWithRunService(repo.root, workspace)) {
          served = runServicePaths;
          source = `${workspace}/src/index.ts runs common's runService, which serves ${runServicePaths.join(' and ')} (${RUN_SERVICE_FILE})`;
        } else if (isNextApp(repo.root, workspace)) {
          served = nextRoutes(repo.root, workspace);
          source = `${workspace}'s app/ routes are ${served.join(', ') || 'none'}`;
        } else {
          served = [];
          source = `${workspace}/src/index.ts does not start through runService`;
        }
        if (!served.includes(probePath)) {
          problems.push(
            problem(
              r.file,
              at(r, [...path, kind, 'httpGet', 'path']),
              `${probePath} is not served: ${source}`,
            ),
          );
        }
      }
    }
  }
  return problems;
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

// ---------------------------------------------------------------------------------------------------
// 7. Restricted security context and resources on every workload

export function checkSecurity(repo: Repository): Problem[] {
  const problems: Problem[] = [];
  for (const r of repo.objects) {
    const pod = podTemplate(r.object);
    if (!pod) continue;
    const podSecurity = isRecord(pod.spec.securityContext) ? pod.spec.securityContext : {};
    for (const key of ['hostNetwork', 'hostPID', 'hostIPC']) {
      if (pod.spec[key] === true)
        problems.push(problem(r.file, at(r, [...pod.at, key]), 'not allowed'));
    }
    for (const { container, at: path } of containersOf(pod)) {
      const sc = container.securityContext ?? {};
      const scAt = (key: string) => at(r, [...path, 'securityContext', key]);
      if (sc.runAsNonRoot !== true && podSecurity.runAsNonRoot !== true)
        problems.push(problem(r.file, scAt('runAsNonRoot'), 'must be true (here or on the pod)'));
      for (const uid of [sc.runAsUser, podSecurity.runAsUser]) {
        if (uid === 0) problems.push(problem(r.file, scAt('runAsUser'), 'must not be 0'));
      }
      const seccomp = (
        isRecord(sc.seccompProfile)
          ? sc.seccompProfile
          : isRecord(podSecurity.seccompProfile)
            ? podSecurity.seccompProfile
            : {}
      ) as { type?: string };
      if (seccomp.type !== 'RuntimeDefault' && seccomp.type !== 'Localhost')
        problems.push(
          problem(r.file, scAt('seccompProfile'), 'must be RuntimeDefault (here or on the pod)'),
        );
      if (sc.allowPrivilegeEscalation !== false)
        problems.push(problem(r.file, scAt('allowPrivilegeEscalation'), 'must be false'));
      if (sc.privileged === true)
        problems.push(problem(r.file, scAt('privileged'), 'must not be true'));
      if (sc.readOnlyRootFilesystem !== true)
        problems.push(
          problem(
            r.file,
            scAt('readOnlyRootFilesystem'),
            'must be true (mount an emptyDir where the program writes)',
          ),
        );
      const caps = isRecord(sc.capabilities) ? sc.capabilities : {};
      if (!Array.isArray(caps.drop) || !caps.drop.includes('ALL'))
        problems.push(problem(r.file, `${scAt('capabilities')}.drop`, 'must include ALL'));
      if (Array.isArray(caps.add) && caps.add.length > 0)
        problems.push(problem(r.file, `${scAt('capabilities')}.add`, 'must be empty'));
      for (const kind of ['requests', 'limits'] as const) {
        for (const resource of ['cpu', 'memory']) {
          if (container.resources?.[kind]?.[resource] === undefined) {
            problems.push(
              problem(r.file, at(r, [...path, 'resources', kind, resource]), 'must be set'),
            );
          }
        }
      }
    }
    (Array.isArray(pod.spec.volumes) ? pod.spec.volumes : []).forEach((v: unknown, i) => {
      if (isRecord(v) && v.hostPath !== undefined)
        problems.push(problem(r.file, at(r, [...pod.at, 'volumes', i, 'hostPath']), 'not allowed'));
    });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// 8. Workflows

export function checkGithubWorkflows(repo: Repository): Problem[] {
  const problems = checkWorkflows(repo.root);
  // One pull-request workflow per built workspace, watching that workspace (and common, which it uses).
  for (const artifact of repo.skaffold.artifacts.filter((a) => !a.profile)) {
    const ws = artifactWorkspace(artifact);
    const file = `.github/workflows/${ws.split('/').pop()}.yml`;
    if (!exists(repo.root, file)) {
      problems.push(problem(file, '(file)', `${ws} has an image but no pull-request workflow`));
      continue;
    }
    const text = readText(repo.root, file);
    if (!text.includes(`${ws}/**`)) {
      problems.push(problem(file, 'on.pull_request.paths', `does not watch ${ws}/**`));
    }
  }
  return problems;
}

/** Every check, in the order a reader would fix them. */
export const CHECKS = {
  'manifests render and match the Kubernetes schemas': checkManifests,
  'images, skaffold artifacts and Dockerfiles agree': checkImages,
  'Dockerfiles copy what exists and build a lean non-root image': checkDockerfiles,
  'every variable a service requires is set and valid': checkEnvironment,
  'Services, Ingress, StatefulSets, HPAs and policies name what exists': checkReferences,
  'every probe targets a served path and a real port': checkProbes,
  'every workload runs restricted with requests and limits': checkSecurity,
  'every workflow parses and runs scripts that exist': checkGithubWorkflows,
} satisfies Record<string, (repo: Repository) => Problem[]>;

export function checkRepository(root: string): Problem[] {
  const repo = loadRepository(root);
  return Object.values(CHECKS).flatMap((check) => check(repo));
}
