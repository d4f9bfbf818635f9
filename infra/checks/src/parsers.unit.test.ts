// The parsers the checks read files with (Dockerfile, .dockerignore, kustomize, YAML, npm commands), on small inputs.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  argsDeclared,
  copiesOf,
  envDeclared,
  execForm,
  expandVariables,
  parseDockerfile,
  stageChain,
  variablesIn,
  type Stage,
} from './dockerfile';
import { parseDockerIgnore } from './dockerignore';
import { KustomizeError, parseImage, renderKustomization } from './kustomize';
import { parseYamlDocuments } from './repo';
import { findNpmCommands } from './workflows';

describe('parseDockerfile', () => {
  it('joins continuations, skips here-document bodies and reads COPY sources and stages', () => {
    const text = [
      '# syntax=docker/dockerfile:1.7',
      'FROM node:20 AS build',
      'COPY a.json \\',
      '  b.json ./',
      'COPY <<EOF /app/x.js',
      'COPY not-a-copy /nowhere',
      'EOF',
      'FROM build AS runtime',
      'COPY --from=build --chown=1000:1000 /app/dist dist',
      'CMD ["node", "dist/index.js"]',
    ].join('\n');

    const { stages } = parseDockerfile(text);

    expect(stages.map((s) => [s.name, s.base])).toEqual([
      ['build', 'node:20'],
      ['runtime', 'build'],
    ]);
    expect(copiesOf(stages[0]!)).toEqual([
      {
        keyword: 'COPY',
        line: 3,
        from: undefined,
        sources: ['a.json', 'b.json'],
        destination: './',
      },
      { keyword: 'COPY', line: 5, from: undefined, sources: [], destination: '/app/x.js' },
    ]);
    expect(copiesOf(stages[1]!)[0]).toMatchObject({ from: 'build', sources: ['/app/dist'] });
  });

  it('reads global and stage ARGs, ENV names, and the stages a stage is built FROM', () => {
    const text = [
      'ARG NODE=20',
      'FROM node:${NODE} AS base',
      'ARG SERVICE',
      'ENV A=1 B=2',
      'FROM base AS build',
      'ARG MODE=production LEVEL',
      'FROM node:20 AS other',
    ].join('\n');

    const dockerfile = parseDockerfile(text);
    const [base, build, other] = dockerfile.stages as [Stage, Stage, Stage];

    expect(argsDeclared(dockerfile.globals)).toEqual([{ name: 'NODE', value: '20', line: 1 }]);
    expect(argsDeclared(build.instructions)).toEqual([
      { name: 'MODE', value: 'production', line: 6 },
      { name: 'LEVEL', value: undefined, line: 6 },
    ]);
    expect(envDeclared(base.instructions)).toEqual(['A', 'B']);
    expect(stageChain(dockerfile, build).map((s) => s.name)).toEqual(['build', 'base']);
    expect(stageChain(dockerfile, other).map((s) => s.name)).toEqual(['other']);
  });

  it('finds and expands variables as the builder does, an unset one as empty', () => {
    const values = new Map([['SERVICE', 'auth']]);

    expect(variablesIn('COPY ${SERVICE}/src $OTHER/x \\$ESCAPED ${MODE:-dev}')).toEqual([
      'SERVICE',
      'OTHER',
      'MODE',
    ]);
    expect(expandVariables('${SERVICE}/src $SERVICE ${MISSING}x', values)).toBe('auth/src auth x');
    expect(expandVariables('${MODE:-dev} ${SERVICE:+set} ${MODE:+set}', values)).toBe('dev set ');
  });

  it('tells the exec form from the shell form', () => {
    expect(execForm('["node", "x.js"]')).toEqual(['node', 'x.js']);
    expect(execForm('node x.js')).toBeUndefined();
  });
});

describe('parseDockerIgnore', () => {
  it('matches like Docker: ** across folders, parents exclude children, ! re-includes', () => {
    const ignore = parseDockerIgnore('**/node_modules\ndocs\n*.md\n!README.md\n');

    expect(ignore.isExcluded('auth/node_modules/x/index.js')).toBe(true);
    expect(ignore.isExcluded('node_modules')).toBe(true);
    expect(ignore.isExcluded('docs/a/b.txt')).toBe(true);
    expect(ignore.isExcluded('NOTES.md')).toBe(true);
    expect(ignore.isExcluded('README.md')).toBe(false);
    expect(ignore.isExcluded('auth/NOTES.md')).toBe(false);
    expect(ignore.isExcluded('auth/src/index.ts')).toBe(false);
  });
});

describe('findNpmCommands', () => {
  it('finds scripts, workspaces and binaries in a run block', () => {
    const commands = findNpmCommands(
      'npm ci --no-audit\nnpm run build -w common && npm run build --workspace=auth\nCI=true npm test -w auth -- --runInBand\nnpm run lint --workspaces --if-present; npx eslint auth',
    );

    expect(commands).toEqual([
      { workspaces: [], allWorkspaces: false, ifPresent: false },
      { script: 'build', workspaces: ['common'], allWorkspaces: false, ifPresent: false },
      { script: 'build', workspaces: ['auth'], allWorkspaces: false, ifPresent: false },
      { script: 'test', workspaces: ['auth'], allWorkspaces: false, ifPresent: false },
      { script: 'lint', workspaces: [], allWorkspaces: true, ifPresent: true },
      { bin: 'eslint', workspaces: [], allWorkspaces: false, ifPresent: false },
    ]);
  });
});

describe('parseYamlDocuments', () => {
  it('reads manifests as YAML 1.1, as kubectl does', () => {
    expect(parseYamlDocuments('mode: 0555\nflag: yes\n', 'x.yaml')).toEqual([
      { mode: 365, flag: true },
    ]);
  });

  it('rejects duplicate keys', () => {
    expect(() => parseYamlDocuments('a: 1\na: 2\n', 'x.yaml')).toThrow(/x\.yaml: invalid YAML/);
  });
});

describe('renderKustomization', () => {
  let root: string;
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const pod = (image: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: ${image}\n`;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kustomize-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('sets the namespace and rewrites images by name', () => {
    write(
      'k/kustomization.yaml',
      'namespace: ns\nresources: [pod.yaml]\nimages:\n  - name: mongo\n    newTag: "7.0"\n',
    );
    write('k/pod.yaml', pod('mongo'));

    const [rendered] = renderKustomization(root, 'k');

    expect(rendered?.object.metadata.namespace).toBe('ns');
    expect(JSON.stringify(rendered?.object)).toContain('"image":"mongo:7.0"');
    expect(rendered?.file).toBe('k/pod.yaml');
  });

  it('applies a component’s resources and transformers', () => {
    write('k/kustomization.yaml', 'resources: [pod.yaml]\ncomponents: [c]\n');
    write('k/pod.yaml', pod('redis:7'));
    write(
      'k/c/kustomization.yaml',
      'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nimages:\n  - name: redis\n    newName: example/redis\n',
    );

    const [rendered] = renderKustomization(root, 'k');

    expect(JSON.stringify(rendered?.object)).toContain('"image":"example/redis:7"');
  });

  it('refuses fields outside its subset, overlays inside their base, and files outside the root', () => {
    write('k/kustomization.yaml', 'resources: [pod.yaml]\npatches: []\n');
    write('k/pod.yaml', pod('x:1'));
    expect(() => renderKustomization(root, 'k')).toThrow(KustomizeError);

    write('k/kustomization.yaml', 'resources: [pod.yaml]\n');
    write('k/overlay/kustomization.yaml', 'resources: [..]\n');
    expect(() => renderKustomization(root, 'k/overlay')).toThrow(/cycle/);

    write('k/outside/kustomization.yaml', 'resources: [../pod.yaml]\n');
    expect(() => renderKustomization(root, 'k/outside')).toThrow(/outside/);
  });

  it('parses image references with registries, ports, tags and digests', () => {
    expect(parseImage('localhost:5000/a/b:1.2')).toEqual({
      name: 'localhost:5000/a/b',
      tag: '1.2',
      digest: undefined,
    });
    expect(parseImage('mongo@sha256:abc')).toEqual({ name: 'mongo', digest: 'sha256:abc' });
  });
});
