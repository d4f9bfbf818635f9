/**
 * The checks bite: each case copies the repository to a scratch directory, makes one mistake, and
 * expects a problem naming the file and the field (and a recognisable message).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { checkRepository } from './checks';
import { formatProblem, formatProblems, type Problem } from './problems';
import { REPO_ROOT } from './repo';

interface Mutation {
  mistake: string;
  file: string;
  /** Replaced exactly once in `file`. */
  from: string | RegExp;
  to: string;
  expected: { file: string; field: RegExp; message: RegExp };
}

const SKIPPED =
  /(^|\/)(node_modules|\.git|dist|\.next|coverage|test-results|playwright-report|\.local)(\/|$)/;

function scratchCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ticketing-checks-'));
  cpSync(REPO_ROOT, dir, {
    recursive: true,
    filter: (src) => !SKIPPED.test(relative(REPO_ROOT, src)),
  });
  // The services' config modules import zod and @ticketing/common's dependencies.
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

function mutate(root: string, m: Mutation): void {
  const path = join(root, m.file);
  const text = readFileSync(path, 'utf8');
  const count =
    typeof m.from === 'string'
      ? text.split(m.from).length - 1
      : (text.match(new RegExp(m.from, 'g')) ?? []).length;
  if (count !== 1) throw new Error(`${m.file}: expected one ${String(m.from)}, found ${count}`);
  writeFileSync(path, text.replace(m.from, m.to));
}

const MUTATIONS: Mutation[] = [
  {
    mistake: 'a Service port the Ingress no longer finds',
    file: 'infra/k8s/auth.yaml',
    from: '      port: 3000\n      targetPort: http',
    to: '      port: 3001\n      targetPort: http',
    expected: {
      file: 'infra/k8s/ingress.yaml',
      field:
        /^Ingress ingress-service: spec\.rules\[0\]\.http\.paths\[0\]\.backend\.service\.port\.number$/,
      message: /Service auth \(infra\/k8s\/auth\.yaml\) has no port 3000; it has 3001\/http/,
    },
  },
  {
    mistake: 'a Service targetPort that is no container port',
    file: 'infra/k8s/tickets.yaml',
    from: '      port: 3000\n      targetPort: http',
    to: '      port: 3000\n      targetPort: htp',
    expected: {
      file: 'infra/k8s/tickets.yaml',
      field: /^Service tickets: spec\.ports\[0\]\.targetPort$/,
      message: /htp is not a container port of Deployment tickets/,
    },
  },
  {
    mistake: 'an unknown field',
    file: 'infra/k8s/tickets.yaml',
    from: /( {12})readOnlyRootFilesystem: true\n( {12}capabilities:\n {14}drop:\n {16}- ALL\n {10}volumeMounts:\n {12}- name: tmp)/,
    to: '$1readOnlyRootFilesytem: true\n$1readOnlyRootFilesystem: true\n$2',
    expected: {
      file: 'infra/k8s/tickets.yaml',
      field:
        /^Deployment tickets: spec\.template\.spec\.containers\[0\]\.securityContext\.readOnlyRootFilesytem$/,
      message: /unknown field/,
    },
  },
  {
    mistake: 'a required variable left out',
    file: 'infra/k8s/orders.yaml',
    from: '            - name: JWT_KEY\n              valueFrom:\n                secretKeyRef:\n                  name: jwt-secret\n                  key: JWT_KEY\n',
    to: '',
    expected: {
      file: 'infra/k8s/orders.yaml',
      field: /^Deployment orders: spec\.template\.spec\.containers\[0\]\.env$/,
      message: /JWT_KEY is required by orders\/src\/config\.ts but not set/,
    },
  },
  {
    mistake: 'a value the service would refuse at start-up',
    file: 'infra/k8s/auth.yaml',
    from: 'value: mongodb://auth-mongo-0.auth-mongo:27017/auth?replicaSet=rs0',
    to: 'value: mongo://auth-mongo-0.auth-mongo:27017/auth?replicaSet=rs0',
    expected: {
      file: 'infra/k8s/auth.yaml',
      field: /^Deployment auth: spec\.template\.spec\.containers\[0\]\.env\[2\]\.value$/,
      message: /would stop auth at start-up: must be a mongodb:\/\/ URI/,
    },
  },
  {
    mistake: 'a database host that is not the service’s StatefulSet pod',
    file: 'infra/k8s/payments.yaml',
    from: 'mongodb://payments-mongo-0.payments-mongo:27017',
    to: 'mongodb://payments-mongo-1.payments-mongo:27017',
    expected: {
      file: 'infra/k8s/payments.yaml',
      field: /^Deployment payments: spec\.template\.spec\.containers\[0\]\.env\[2\]\.value$/,
      message: /no pod payments-mongo-1 of a StatefulSet/,
    },
  },
  {
    mistake: 'a wrong image',
    file: 'infra/k8s/payments.yaml',
    from: 'image: ticketing/payments',
    to: 'image: ticketing/payment',
    expected: {
      file: 'infra/k8s/payments.yaml',
      field: /^Deployment payments: spec\.template\.spec\.containers\[0\]\.image$/,
      message: /ticketing\/payment is not built by any skaffold artifact/,
    },
  },
  {
    mistake: 'a missing COPY source',
    file: 'Dockerfile',
    from: 'COPY ${SERVICE}/src ${SERVICE}/src',
    to: 'COPY ${SERVICE}/source ${SERVICE}/src',
    expected: {
      file: 'Dockerfile',
      field: /^line \d+ \(COPY\)$/,
      message:
        /COPY source \$\{SERVICE\}\/source \(expiration\/source with SERVICE=expiration\) does not exist/,
    },
  },
  {
    mistake: 'a COPY source the .dockerignore excludes',
    file: '.dockerignore',
    from: '**/*.log\n',
    to: '**/*.log\n**/tsconfig.build.json\n',
    expected: {
      file: 'Dockerfile',
      field: /^line \d+ \(COPY\)$/,
      message:
        /\$\{SERVICE\}\/tsconfig\.build\.json \(auth\/tsconfig\.build\.json with SERVICE=auth\) is excluded by \.dockerignore/,
    },
  },
  {
    mistake: 'a probe path the service does not serve',
    file: 'infra/k8s/auth.yaml',
    from: 'path: /readyz',
    to: 'path: /ready',
    expected: {
      file: 'infra/k8s/auth.yaml',
      field:
        /^Deployment auth: spec\.template\.spec\.containers\[0\]\.readinessProbe\.httpGet\.path$/,
      message:
        /\/ready is not served: auth\/src\/index\.ts runs common's runService, which serves \/healthz and \/readyz/,
    },
  },
  {
    mistake: 'a readiness probe on the liveness path',
    file: 'infra/k8s/tickets.yaml',
    from: 'path: /readyz',
    to: 'path: /healthz',
    expected: {
      file: 'infra/k8s/tickets.yaml',
      field:
        /^Deployment tickets: spec\.template\.spec\.containers\[0\]\.readinessProbe\.httpGet\.path$/,
      message: /readinessProbe on \/healthz: use \/readyz/,
    },
  },
  {
    mistake: 'a probe on a port the container does not have',
    file: 'infra/k8s/client.yaml',
    from: /(livenessProbe:\n {12}httpGet:\n {14}path: \/healthz\n {14})port: http/,
    to: '$1port: 8080',
    expected: {
      file: 'infra/k8s/client.yaml',
      field:
        /^Deployment client: spec\.template\.spec\.containers\[0\]\.livenessProbe\.httpGet\.port$/,
      message: /8080 is not a port of container client/,
    },
  },
  {
    mistake: 'a workflow calling a missing script',
    file: '.github/workflows/orders.yml',
    from: 'npm test -w orders',
    to: 'npm run test:unit -w orders',
    expected: {
      file: '.github/workflows/orders.yml',
      field: /^jobs\.test\.steps\[\d+\]\.run$/,
      message: /runs script "test:unit", which orders\/package\.json does not define/,
    },
  },
  {
    mistake: 'a workflow that does not parse',
    file: '.github/workflows/infra.yml',
    from: 'name: infra\n',
    to: 'name: infra\nname: twice\n',
    expected: {
      file: '.github/workflows/infra.yml',
      field: /^\(document\)$/,
      message: /invalid YAML/,
    },
  },
  {
    mistake: 'a skaffold artifact pointing at a missing Dockerfile',
    file: 'skaffold.yaml',
    from: /(- image: ticketing\/tickets\n {6}context: \.\n {6}docker:\n {8})dockerfile: Dockerfile/,
    to: '$1dockerfile: tickets/Dockerfile',
    expected: {
      file: 'skaffold.yaml',
      field: /^build\.artifacts\[1\]\.docker\.dockerfile$/,
      message: /tickets\/Dockerfile does not exist/,
    },
  },
  {
    mistake: 'an artifact that does not say which service it builds',
    file: 'skaffold.yaml',
    from: /\n {8}buildArgs:\n {10}SERVICE: orders\n/,
    to: '\n',
    expected: {
      file: 'skaffold.yaml',
      field: /^build\.artifacts\[2\]\.docker\.buildArgs$/,
      message: /Dockerfile declares ARG SERVICE without a default \(line \d+\): pass SERVICE/,
    },
  },
  {
    mistake: 'a misspelt build argument',
    file: 'skaffold.yaml',
    from: '  SERVICE: payments\n      sync:',
    to: '  SERIVCE: payments\n      sync:',
    expected: {
      file: 'skaffold.yaml',
      field: /^build\.artifacts\[3\]\.docker\.buildArgs\.SERIVCE$/,
      message: /SERIVCE is not an ARG of Dockerfile \(it declares SERVICE\)/,
    },
  },
  {
    mistake: 'a build argument naming no workspace',
    file: 'skaffold.yaml',
    from: /\n {10}SERVICE: tickets\n/,
    to: '\n          SERVICE: ticket\n',
    expected: {
      file: 'skaffold.yaml',
      field: /^build\.artifacts\[1\]\.docker\.buildArgs\.SERVICE$/,
      message: /SERVICE=ticket names no workspace of package\.json/,
    },
  },
  {
    mistake: 'a production image built from another service',
    file: 'skaffold.yaml',
    from: /\n {14}SERVICE: auth\n/,
    to: '\n              SERVICE: tickets\n',
    expected: {
      file: 'skaffold.yaml',
      field: /^profiles\[0\]\.build\.artifacts\[0\]\.docker\.buildArgs\.SERVICE$/,
      message:
        /builds tickets into ticketing\/auth: an image is named after the workspace it builds/,
    },
  },
  {
    mistake: 'a service no artifact builds',
    file: 'skaffold.yaml',
    from: /\n {4}- image: ticketing\/expiration\n(?: {6}.*\n)+/,
    to: '\n',
    expected: {
      file: 'skaffold.yaml',
      field: /^build\.artifacts$/,
      message: /no artifact builds expiration, which runs as a service/,
    },
  },
  {
    mistake: 'a stage that uses the build argument without inheriting it',
    file: 'Dockerfile',
    from: 'FROM base AS runtime',
    to: 'FROM node:20-bookworm-slim AS runtime',
    expected: {
      file: 'Dockerfile',
      field: /^line \d+ \(COPY\)$/,
      message:
        /uses \$SERVICE, but no ARG or ENV SERVICE is declared in stage runtime or a stage it is built FROM/,
    },
  },
  {
    mistake: 'a sync destination on the read-only root file system',
    file: 'skaffold.yaml',
    from: "          - src: 'orders/src/**/*.ts'\n            dest: /tmp/dev",
    to: "          - src: 'orders/src/**/*.ts'\n            dest: /app",
    expected: {
      file: 'skaffold.yaml',
      field: /^build\.artifacts\[2\]\.sync\.manual\[0\]\.dest$/,
      message: /\/app is on the read-only root file system of Deployment orders/,
    },
  },
  {
    mistake: 'a development NODE_ENV (cookies would not be Secure)',
    file: 'infra/k8s/client.yaml',
    from: 'value: production',
    to: 'value: development',
    expected: {
      file: 'infra/k8s/client.yaml',
      field: /^Deployment client: spec\.template\.spec\.containers\[0\]\.env\[0\]\.value$/,
      message: /NODE_ENV must be production/,
    },
  },
  {
    mistake: 'an insecure container',
    file: 'infra/k8s/redis.yaml',
    from: 'allowPrivilegeEscalation: false',
    to: 'allowPrivilegeEscalation: true',
    expected: {
      file: 'infra/k8s/redis.yaml',
      field:
        /^StatefulSet redis: spec\.template\.spec\.containers\[0\]\.securityContext\.allowPrivilegeEscalation$/,
      message: /must be false/,
    },
  },
  {
    mistake: 'a kustomization naming a missing file',
    file: 'infra/k8s/kustomization.yaml',
    from: '  - redis.yaml\n',
    to: '  - redis.yml\n',
    expected: {
      file: 'infra/k8s/kustomization.yaml',
      field: /^resources\[2\]$/,
      message: /redis\.yml does not exist/,
    },
  },
  {
    mistake: 'a stream served with buffering on',
    file: 'infra/k8s/ingress.yaml',
    from: "nginx.ingress.kubernetes.io/proxy-buffering: 'off'",
    to: "nginx.ingress.kubernetes.io/proxy-buffering: 'on'",
    expected: {
      file: 'infra/k8s/ingress.yaml',
      field:
        /^Ingress ingress-streams: metadata\.annotations\.nginx\.ingress\.kubernetes\.io\/proxy-buffering$/,
      message:
        /^GET \/api\/orders\/:id\/stream \(docs\/architecture\.md line \d+\) streams; path \/api\/orders\/\[\^\/\]\+\/stream\$ of host ticketing\.dev buffers responses \(proxy-buffering is "on"\)/,
    },
  },
  {
    mistake: 'a stream read timeout ingress-nginx cannot read',
    file: 'infra/k8s/ingress.yaml',
    from: "proxy-read-timeout: '3600'",
    to: "proxy-read-timeout: '3600s'",
    expected: {
      file: 'infra/k8s/ingress.yaml',
      field:
        /^Ingress ingress-streams: metadata\.annotations\.nginx\.ingress\.kubernetes\.io\/proxy-read-timeout$/,
      message:
        /proxy-read-timeout is "3600s", which ingress-nginx does not read \(whole seconds only\)/,
    },
  },
  {
    mistake: 'stream paths written as regexes without use-regex',
    file: 'infra/k8s/ingress.yaml',
    from: "    nginx.ingress.kubernetes.io/use-regex: 'true'\n",
    to: '',
    expected: {
      file: 'infra/k8s/ingress.yaml',
      field:
        /^Ingress ingress-service: metadata\.annotations\.nginx\.ingress\.kubernetes\.io\/proxy-read-timeout$/,
      message:
        /^GET \/api\/events\/:id\/stream .* streams; path \/api\/events of host ticketing\.dev: proxy-read-timeout is not set/,
    },
  },
  {
    mistake: 'a stream sent to another service',
    file: 'infra/k8s/ingress.yaml',
    from: /(- path: \/api\/orders\/\[\^\/\]\+\/stream\$\n(?: {12}.*\n){3} {16}name: )orders/,
    to: '$1tickets',
    expected: {
      file: 'infra/k8s/ingress.yaml',
      field:
        /^Ingress ingress-streams: spec\.rules\[0\]\.http\.paths\[0\]\.backend\.service\.name$/,
      message:
        /^GET \/api\/orders\/:id\/stream .* belongs to orders, but path .* sends \/api\/orders\/0123456789abcdef01234567\/stream to tickets/,
    },
  },
  {
    mistake: 'a stream the route table adds that no unbuffered Ingress path serves',
    file: 'docs/architecture.md',
    from: '| GET | /api/payments/payouts |',
    to: '| GET | /api/payments/:id/stream | payments | required | – | – |\n| GET | /api/payments/payouts |',
    expected: {
      file: 'infra/k8s/ingress.yaml',
      field:
        /^Ingress ingress-service: metadata\.annotations\.nginx\.ingress\.kubernetes\.io\/proxy-buffering$/,
      message:
        /^GET \/api\/payments\/:id\/stream .* streams; path \/api\/payments of host ticketing\.dev buffers/,
    },
  },
  {
    mistake: 'an autoscaler for a Deployment that does not exist',
    file: 'infra/k8s/components/hpa/hpa.yaml',
    from: '    kind: Deployment\n    name: expiration',
    to: '    kind: Deployment\n    name: expirations',
    expected: {
      file: 'infra/k8s/components/hpa/hpa.yaml',
      field: /^HorizontalPodAutoscaler expiration: spec\.scaleTargetRef$/,
      message: /no Deployment expirations/,
    },
  },
];

describe('the checks find a deliberate mistake', () => {
  const roots: string[] = [];
  afterAll(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  it('and nothing in an unchanged copy', () => {
    const root = scratchCopy();
    roots.push(root);

    const problems = checkRepository(root);

    expect(formatProblems(problems)).toBe('');
  });

  it.each(MUTATIONS)('$mistake ($file)', (m) => {
    const root = scratchCopy();
    roots.push(root);
    mutate(root, m);

    const problems = checkRepository(root);

    const hit = problems.find(
      (p: Problem) =>
        p.file === m.expected.file &&
        m.expected.field.test(p.field) &&
        m.expected.message.test(p.message),
    );
    expect(hit ? formatProblem(hit) : formatProblems(problems)).toEqual(expect.stringMatching(/./));
    if (!hit)
      throw new Error(
        `no problem for ${m.expected.file} matched; the checks said:\n${formatProblems(problems)}`,
      );
  });
});
