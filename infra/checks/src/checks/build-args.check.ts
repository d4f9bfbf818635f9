/**
 * Build arguments: each Dockerfile uses every ARG it declares, and only where it is in scope (declared
 * in that stage or a stage it is built FROM; elsewhere the builder silently substitutes ''); each
 * artifact passes (docker.buildArgs) every ARG that has no default, and no ARG the file does not
 * declare. This is what keeps the services' one Dockerfile honest: SERVICE is set for every image.
 */
import { dockerfilePath } from '../artifacts';
import {
  argsDeclared,
  envDeclared,
  parseDockerfile,
  stageChain,
  variablesIn,
  type ArgDeclaration,
  type Dockerfile,
  type Instruction,
} from '../dockerfile';
import { fieldPath, problem, type Problem } from '../problems';
import { exists, readText } from '../repo';
import type { Repository } from '../repository';

/** The instructions whose variables the builder replaces itself (RUN's are left to the shell). */
const EXPANDED_BY_BUILDER = new Set([
  'ADD',
  'ARG',
  'COPY',
  'ENV',
  'EXPOSE',
  'LABEL',
  'ONBUILD',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

/** Arguments the builder fills in or treats as optional itself (platforms, proxies). */
const PREDEFINED = new Set([
  ...['TARGET', 'BUILD'].flatMap((p) =>
    ['PLATFORM', 'OS', 'ARCH', 'VARIANT'].map((s) => `${p}${s}`),
  ),
  ...['HTTP_PROXY', 'HTTPS_PROXY', 'FTP_PROXY', 'NO_PROXY', 'ALL_PROXY'].flatMap((n) => [
    n,
    n.toLowerCase(),
  ]),
]);

export function checkBuildArgs(repo: Repository): Problem[] {
  const problems: Problem[] = [];
  const files = new Map<string, Dockerfile>();
  for (const artifact of repo.skaffold.artifacts) {
    const file = dockerfilePath(artifact);
    if (!exists(repo.root, file)) continue; // the images check reports it
    if (!files.has(file)) {
      files.set(file, parseDockerfile(readText(repo.root, file)));
      problems.push(...checkArgScopes(file, files.get(file) as Dockerfile));
    }
    const declared = allArgs(files.get(file) as Dockerfile);
    const names = new Set(declared.map((a) => a.name));
    for (const name of artifact.buildArgs.keys()) {
      if (!names.has(name)) {
        problems.push(
          problem(
            'skaffold.yaml',
            fieldPath([artifact.field, 'docker', 'buildArgs', name]),
            `${name} is not an ARG of ${file}${names.size > 0 ? ` (it declares ${[...names].join(', ')})` : ''}`,
          ),
        );
      }
    }
    for (const arg of requiredArgs(declared)) {
      if (artifact.buildArgs.has(arg.name)) continue;
      problems.push(
        problem(
          'skaffold.yaml',
          `${artifact.field}.docker.buildArgs`,
          `${file} declares ARG ${arg.name} without a default (line ${arg.line}): pass ${arg.name}, or it is empty`,
        ),
      );
    }
  }
  return problems;
}

/** Every ARG of a Dockerfile, global ones (before the first FROM) included. */
function allArgs(dockerfile: Dockerfile): ArgDeclaration[] {
  return argsDeclared([...dockerfile.globals, ...dockerfile.stages.flatMap((s) => s.instructions)]);
}

/** The ARGs a build must pass: declared without a default anywhere, and not filled in by the builder. */
function requiredArgs(declared: ArgDeclaration[]): ArgDeclaration[] {
  const withDefault = new Set(declared.filter((a) => a.value !== undefined).map((a) => a.name));
  const required = new Map<string, ArgDeclaration>();
  for (const arg of declared) {
    if (!withDefault.has(arg.name) && !PREDEFINED.has(arg.name) && !required.has(arg.name))
      required.set(arg.name, arg);
  }
  return [...required.values()];
}

/** ARGs that are never used, and uses of an ARG where it is out of scope. */
function checkArgScopes(file: string, dockerfile: Dockerfile): Problem[] {
  const problems: Problem[] = [];
  const declared = allArgs(dockerfile);
  const argNames = new Set(declared.map((a) => a.name));
  const globals = new Set(argsDeclared(dockerfile.globals).map((a) => a.name));
  const used = new Set<string>();
  const outOfScope = (line: number, keyword: string, name: string, where: string) =>
    problem(
      file,
      `line ${line} (${keyword})`,
      `uses $${name}, but no ARG or ENV ${name} is declared ${where}, so it is empty here`,
    );
  for (const stage of dockerfile.stages) {
    for (const name of new Set(variablesIn(stage.base))) {
      used.add(name);
      if (!globals.has(name))
        problems.push(outOfScope(stage.line, 'FROM', name, 'before the first FROM'));
    }
    // What the stages it is built FROM declared is in scope from its first line; its own, from theirs.
    const inherited = stageChain(dockerfile, stage).slice(1);
    const inScope = new Set(inherited.flatMap((s) => declaredNames(s.instructions)));
    const where = `in stage ${stage.name ?? `at line ${stage.line}`} or a stage it is built FROM`;
    for (const instruction of stage.instructions) {
      for (const name of new Set(variablesIn(instruction.args))) {
        used.add(name);
        // A shell expands RUN's variables, which may be its own; the builder expands the others.
        const checked = argNames.has(name) || EXPANDED_BY_BUILDER.has(instruction.keyword);
        if (checked && !inScope.has(name))
          problems.push(outOfScope(instruction.line, instruction.keyword, name, where));
      }
      for (const name of declaredNames([instruction])) inScope.add(name);
    }
  }
  for (const arg of declared) {
    if (!used.has(arg.name))
      problems.push(
        problem(file, `line ${arg.line} (ARG)`, `${arg.name} is declared but never used`),
      );
  }
  return problems;
}

function declaredNames(instructions: Instruction[]): string[] {
  return [...argsDeclared(instructions).map((a) => a.name), ...envDeclared(instructions)];
}
