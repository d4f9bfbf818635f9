/**
 * Environment: every variable a service's configSchema requires is set (never from an optional
 * reference), each literal value passes the schema, no variable is set that the service does not read,
 * PORT is a container port, URLs name Services, ports and StatefulSet pods that exist, each Secret is
 * created in README.md, and NODE_ENV is production.
 */
import { appContainers, isNextApp, type AppContainer } from '../artifacts';
import type { RenderedObject } from '../kustomize';
import { isRecord, problem, type Problem } from '../problems';
import { exists, readText } from '../repo';
import { KUBERNETES_DOC, MANIFESTS_DIR, type Repository } from '../repository';
import { configFile, loadServiceConfig, rejectValue, type ServiceConfig } from '../service-config';
import { at } from '../workloads';

export function checkEnvironment(repo: Repository): Problem[] {
  const configs = new Map<string, ServiceConfig | undefined>();
  const doc = exists(repo.root, KUBERNETES_DOC) ? readText(repo.root, KUBERNETES_DOC) : '';
  return appContainers(repo).flatMap((app) => {
    if (!configs.has(app.workspace))
      configs.set(app.workspace, loadServiceConfig(repo.root, app.workspace));
    return checkContainerEnv(repo, app, configs.get(app.workspace), doc);
  });
}

/** One container's environment against its service's config. */
function checkContainerEnv(
  repo: Repository,
  app: AppContainer,
  config: ServiceConfig | undefined,
  doc: string,
): Problem[] {
  const { rendered: r, container, path, workspace } = app;
  const problems: Problem[] = [];
  const env = container.env ?? [];
  const envAt = (i: number, ...rest: string[]) => at(r, [...path, 'env', i, ...rest]);
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
    const value = checkEnvValue(repo, app, config, doc, entry, i);
    problems.push(...value.problems);
    set.set(name, { i, guaranteed: value.guaranteed });
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
  return problems;
}

/**
 * One variable's value: a literal the schema accepts (and, for a URL, names what exists), or a
 * reference to a Secret created in the docs or a ConfigMap key that exists. `guaranteed` is false when
 * the reference is optional, so the variable may end up unset.
 */
function checkEnvValue(
  repo: Repository,
  { rendered: r, container, path, workspace }: AppContainer,
  config: ServiceConfig | undefined,
  doc: string,
  entry: Record<string, unknown>,
  i: number,
): { problems: Problem[]; guaranteed: boolean } {
  const problems: Problem[] = [];
  const envAt = (...rest: string[]) => at(r, [...path, 'env', i, ...rest]);
  const name = String(entry.name);
  const valueFrom = isRecord(entry.valueFrom) ? entry.valueFrom : undefined;
  if (typeof entry.value === 'string') {
    const why = config && rejectValue(config, name, entry.value);
    if (why)
      problems.push(
        problem(
          r.file,
          envAt('value'),
          `${name}=${entry.value} would stop ${workspace} at start-up: ${why}`,
        ),
      );
    problems.push(...checkServiceUrl(repo, r, envAt('value'), entry.value));
    if (
      name === 'PORT' &&
      !(container.ports ?? []).some((p) => String(p.containerPort) === entry.value)
    ) {
      problems.push(
        problem(r.file, envAt('value'), `PORT ${entry.value} is not one of the container's ports`),
      );
    }
    return { problems, guaranteed: true };
  }
  if (valueFrom && isRecord(valueFrom.secretKeyRef)) {
    const ref = valueFrom.secretKeyRef;
    const documented =
      doc.includes(`kubectl create secret generic ${String(ref.name)}`) &&
      doc.includes(`${String(ref.key)}=`);
    if (!documented) {
      problems.push(
        problem(
          r.file,
          envAt('valueFrom', 'secretKeyRef'),
          `secret ${String(ref.name)}/${String(ref.key)} is not created in ${KUBERNETES_DOC} (kubectl create secret generic ${String(ref.name)} --from-literal=${String(ref.key)}=...)`,
        ),
      );
    }
    return { problems, guaranteed: ref.optional !== true };
  }
  if (valueFrom && isRecord(valueFrom.configMapKeyRef)) {
    const ref = valueFrom.configMapKeyRef;
    const map = repo.objects.find(
      (o) => o.object.kind === 'ConfigMap' && o.object.metadata.name === ref.name,
    );
    if (!map || !isRecord(map.object.data) || !(String(ref.key) in map.object.data)) {
      problems.push(
        problem(
          r.file,
          envAt('valueFrom', 'configMapKeyRef'),
          `ConfigMap ${String(ref.name)} has no key ${String(ref.key)}`,
        ),
      );
    }
    return { problems, guaranteed: ref.optional !== true };
  }
  return { problems, guaranteed: true };
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
