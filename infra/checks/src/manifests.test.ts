// The Kubernetes manifests render, match the schemas, and render as `kubectl kustomize` does.
import { execFileSync } from 'node:child_process';
import { MANIFESTS_DIR } from './repository';
import { findKustomizations, renderKustomization, type KubeObject } from './kustomize';
import { formatProblems } from './problems';
import { parseYamlDocuments, REPO_ROOT } from './repo';
import { validateObjects } from './schema';

const kustomizations = findKustomizations(REPO_ROOT, MANIFESTS_DIR);

const id = (o: KubeObject) =>
  `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const byId = (objects: KubeObject[]) => [...objects].sort((a, b) => id(a).localeCompare(id(b)));

describe('the Kubernetes manifests', () => {
  it('are the base and its optional components', () => {
    expect(kustomizations).toEqual([
      'infra/k8s',
      'infra/k8s/components/hpa',
      'infra/k8s/components/network-policies',
    ]);
  });

  it.each(kustomizations)('%s renders objects that match the Kubernetes schemas exactly', (dir) => {
    const objects = renderKustomization(REPO_ROOT, dir);

    const problems = validateObjects(objects);

    expect(objects.length).toBeGreaterThan(0);
    expect(formatProblems(problems)).toBe('');
  });

  it('puts every base object in the ticketing namespace and pins third-party images', () => {
    const objects = renderKustomization(REPO_ROOT, MANIFESTS_DIR).map((r) => r.object);

    expect(new Set(objects.map((o) => o.metadata.namespace))).toEqual(new Set(['ticketing']));
    const images = JSON.stringify(objects).match(/"image":"[^"]+"/g) ?? [];
    expect(new Set(images)).toEqual(
      new Set([
        '"image":"ticketing/auth"',
        '"image":"ticketing/tickets"',
        '"image":"ticketing/orders"',
        '"image":"ticketing/payments"',
        '"image":"ticketing/expiration"',
        '"image":"ticketing/client"',
        '"image":"mongo:7.0"',
        '"image":"nats:2.10-alpine"',
        '"image":"redis:7.4-alpine"',
      ]),
    );
  });

  // Proves the renderer is faithful; needs kubectl (its `kustomize` renders offline).
  it.each(kustomizations)('%s renders exactly what `kubectl kustomize` renders', (dir) => {
    const ours = renderKustomization(REPO_ROOT, dir).map((r) => r.object);
    const output = execFileSync('kubectl', ['kustomize', dir], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });

    const theirs = parseYamlDocuments(output, `kubectl kustomize ${dir}`) as KubeObject[];

    expect(byId(ours)).toEqual(byId(theirs));
  });
});
