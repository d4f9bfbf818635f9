/**
 * Dockerfiles: every COPY/ADD source exists in the build context (with the build arguments of each
 * artifact that builds the file, e.g. SERVICE=auth) and is not excluded by .dockerignore; `--from`
 * names an earlier stage; the final image runs a numeric non-root USER, an exec-form CMD, and carries
 * no devDependencies.
 */
import { posix } from 'node:path';
import { dockerfilePath } from '../artifacts';
import {
  argsDeclared,
  copiesOf,
  execForm,
  expandVariables,
  findStage,
  parseDockerfile,
  variablesIn,
  type Dockerfile,
  type Stage,
} from '../dockerfile';
import { parseDockerIgnore, type DockerIgnore } from '../dockerignore';
import { problem, type Problem } from '../problems';
import { exists, matchFiles, readText } from '../repo';
import type { Repository } from '../repository';
import type { Artifact } from '../skaffold';

export function checkDockerfiles(repo: Repository): Problem[] {
  const problems: Problem[] = [];
  const files = new Map<string, Artifact[]>();
  for (const artifact of repo.skaffold.artifacts) {
    const file = dockerfilePath(artifact);
    if (exists(repo.root, file)) files.set(file, [...(files.get(file) ?? []), artifact]);
  }
  for (const [file, artifacts] of files) {
    const dockerfile = parseDockerfile(readText(repo.root, file));
    const builds = buildsOf(repo.root, dockerfile, artifacts);
    problems.push(...checkCopySources(repo.root, file, dockerfile, builds));
    // The final image is what the production profile builds: its target, or the last stage.
    const production =
      artifacts.find((a) => a.profile === 'production') ?? (artifacts[0] as Artifact);
    const final = production.target
      ? dockerfile.stages.find((s) => s.name === production.target)
      : dockerfile.stages.at(-1);
    if (final) problems.push(...checkFinalStage(file, dockerfile, final));
  }
  return problems;
}

/** One way a Dockerfile is built: a context and the values of its build arguments. */
interface Build {
  context: string;
  ignore: DockerIgnore;
  args: Map<string, string>;
  /** `SERVICE=auth`, or `no build arguments`. */
  label: string;
}

/** The distinct builds of a Dockerfile among its artifacts (a dev and a production one share one). */
function buildsOf(root: string, dockerfile: Dockerfile, artifacts: Artifact[]): Build[] {
  const all = [...dockerfile.globals, ...dockerfile.stages.flatMap((s) => s.instructions)];
  const defaults = argsDeclared(all).filter((a) => a.value !== undefined);
  const builds = new Map<string, Build>();
  for (const artifact of artifacts) {
    const label =
      [...artifact.buildArgs].map(([name, value]) => `${name}=${value}`).join(' ') ||
      'no build arguments';
    const key = `${artifact.context} ${label}`;
    if (builds.has(key)) continue;
    const args = new Map(defaults.map((a) => [a.name, a.value as string]));
    for (const [name, value] of artifact.buildArgs) args.set(name, value);
    const ignoreFile = posix.join(artifact.context, '.dockerignore');
    const ignore = parseDockerIgnore(exists(root, ignoreFile) ? readText(root, ignoreFile) : '');
    builds.set(key, { context: artifact.context, ignore, args, label });
  }
  return [...builds.values()];
}

function checkCopySources(
  root: string,
  file: string,
  dockerfile: Dockerfile,
  builds: Build[],
): Problem[] {
  const problems = new Map<string, Problem>();
  const add = (p: Problem) => problems.set(`${p.field} ${p.message}`, p);
  dockerfile.stages.forEach((stage, index) => {
    for (const copy of copiesOf(stage)) {
      const field = `line ${copy.line} (${copy.keyword})`;
      if (copy.from !== undefined) {
        const known = findStage(dockerfile, copy.from, index);
        if (!known && !/[:/]/.test(copy.from)) {
          add(problem(file, field, `--from=${copy.from} names no earlier stage`));
        }
        continue;
      }
      for (const source of copy.sources) {
        if (/^https?:\/\//.test(source)) continue; // ADD <url>
        for (const build of builds) {
          const why = copySourceProblem(root, source, build);
          if (why) add(problem(file, field, why));
        }
      }
    }
  });
  return [...problems.values()];
}

/** What is wrong with one COPY source in one build, if anything. */
function copySourceProblem(root: string, source: string, build: Build): string | undefined {
  const expanded = expandVariables(source, build.args);
  const shown =
    variablesIn(source).length > 0 ? `${source} (${expanded} with ${build.label})` : source;
  const clean = posix.normalize(expanded).replace(/\/$/, '');
  if (clean.startsWith('..')) return `${shown} is outside the build context`;
  const matches = /[*?[]/.test(clean)
    ? matchFiles(root, build.context, clean)
    : exists(root, posix.join(build.context, clean))
      ? [clean]
      : [];
  if (matches.length === 0)
    return `COPY source ${shown} does not exist in the build context (${build.context})`;
  if (clean !== '.' && matches.every((m) => build.ignore.isExcluded(m)))
    return `COPY source ${shown} is excluded by .dockerignore`;
  return undefined;
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
