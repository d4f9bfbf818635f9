/**
 * A Dockerfile read the way BuildKit reads it, for the parts the checks need: instructions with their
 * line numbers (continuations joined, comments and parser directives skipped), here-documents (whose
 * body is content, not a path), build stages, and COPY/ADD with their flags and sources.
 */

export interface Instruction {
  keyword: string;
  /** The arguments, continuation lines joined, here-document bodies removed. */
  args: string;
  line: number;
  /** Here-document delimiters opened by this instruction (`COPY <<EOF /dest`). */
  heredocs: string[];
}

export interface CopyInstruction {
  keyword: 'COPY' | 'ADD';
  line: number;
  from?: string;
  sources: string[];
  destination: string;
}

export interface Stage {
  name?: string;
  base: string;
  line: number;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** Instructions before the first FROM (only ARG may stand there): the global build arguments. */
  globals: Instruction[];
  stages: Stage[];
}

export function parseDockerfile(text: string): Dockerfile {
  const lines = text.split(/\r?\n/);
  const instructions: Instruction[] = [];
  let i = 0;
  while (i < lines.length) {
    const raw = lines[i] as string;
    const startLine = i + 1;
    i += 1;
    if (/^\s*(#.*)?$/.test(raw)) continue;
    let logical = raw;
    // Line continuations; comment lines inside a continued instruction are dropped, as BuildKit does.
    while (/\\\s*$/.test(logical) && i < lines.length) {
      logical = logical.replace(/\\\s*$/, ' ');
      const next = lines[i] as string;
      i += 1;
      if (/^\s*#/.test(next)) continue;
      logical += next;
    }
    const match = /^\s*([A-Za-z]+)\s*(.*)$/.exec(logical);
    if (!match) continue;
    const keyword = (match[1] as string).toUpperCase();
    const args = (match[2] as string).trim();
    const heredocs = [...args.matchAll(/<<-?(["']?)([A-Za-z_][A-Za-z0-9_]*)\1/g)].map(
      (m) => m[2] as string,
    );
    // Skip each here-document body up to its delimiter line.
    for (const delimiter of heredocs) {
      while (i < lines.length && (lines[i] as string).trim() !== delimiter) i += 1;
      i += 1;
    }
    instructions.push({ keyword, args, line: startLine, heredocs });
  }

  const globals: Instruction[] = [];
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const words = splitWords(instruction.args).filter((w) => !w.startsWith('--'));
      const asIndex = words.findIndex((w) => w.toLowerCase() === 'as');
      stages.push({
        base: words[0] ?? '',
        name: asIndex >= 0 ? words[asIndex + 1] : undefined,
        line: instruction.line,
        instructions: [],
      });
    } else {
      (stages.at(-1)?.instructions ?? globals).push(instruction);
    }
  }
  return { globals, stages };
}

/** COPY and ADD of a stage; here-document sources are left out (their content is inline). */
export function copiesOf(stage: Stage): CopyInstruction[] {
  const copies: CopyInstruction[] = [];
  for (const instruction of stage.instructions) {
    if (instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') continue;
    const words = execFormOrWords(instruction.args);
    const flags = words.filter((w) => w.startsWith('--'));
    const paths = words.filter((w) => !w.startsWith('--'));
    const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
    const destination = paths.pop() ?? '';
    copies.push({
      keyword: instruction.keyword,
      line: instruction.line,
      from,
      sources: paths.filter((p) => !p.startsWith('<<')),
      destination,
    });
  }
  return copies;
}

/** `["node", "x"]` (exec form) or undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const parsed = JSON.parse(args) as unknown;
    return Array.isArray(parsed) && parsed.every((p) => typeof p === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function execFormOrWords(args: string): string[] {
  // COPY ["a b", "dest"] is allowed too (for paths with spaces), after any flags.
  const flags = splitWords(args.replace(/\[.*$/, '')).filter((w) => w.startsWith('--'));
  const json = /\[.*\]$/.exec(args);
  const exec = json ? execForm(json[0]) : undefined;
  return exec ? [...flags, ...exec] : splitWords(args);
}

function splitWords(text: string): string[] {
  return text.split(/\s+/).filter((w) => w.length > 0);
}

/** The stage a `--from=` or `FROM x` refers to: by name, or by index. */
export function findStage(dockerfile: Dockerfile, ref: string, before: number): Stage | undefined {
  const earlier = dockerfile.stages.slice(0, before);
  if (/^\d+$/.test(ref)) return earlier[Number(ref)];
  return earlier.find((s) => s.name === ref);
}

export interface ArgDeclaration {
  name: string;
  /** The default (`ARG NAME=value`), or undefined when the build must pass it. */
  value?: string;
  line: number;
}

/** The build arguments ARG instructions declare: `ARG A`, `ARG B=1`, `ARG A B=1`. */
export function argsDeclared(instructions: Instruction[]): ArgDeclaration[] {
  return instructions
    .filter((i) => i.keyword === 'ARG')
    .flatMap((i) =>
      splitWords(i.args).map((word) => {
        const [name, ...value] = word.split('=');
        return {
          name: name as string,
          value: value.length > 0 ? value.join('=').replace(/^(["'])(.*)\1$/, '$2') : undefined,
          line: i.line,
        };
      }),
    );
}

/** The names ENV instructions set (`ENV A=1 B=2`, or the old `ENV A 1`). */
export function envDeclared(instructions: Instruction[]): string[] {
  return instructions
    .filter((i) => i.keyword === 'ENV')
    .flatMap((i) =>
      i.args.includes('=')
        ? [...i.args.matchAll(/(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=/g)].map((m) => m[1] as string)
        : splitWords(i.args).slice(0, 1),
    );
}

const VARIABLE =
  /(?<!\\)\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** The variables (`$X`, `${X}`, `${X:-word}`, `${X:+word}`) a piece of an instruction references. */
export function variablesIn(text: string): string[] {
  return [...text.matchAll(VARIABLE)].map((m) => (m[1] ?? m[4]) as string);
}

/** `text` with its variables replaced as the builder replaces them; an unset variable is empty. */
export function expandVariables(text: string, values: ReadonlyMap<string, string>): string {
  return text.replace(
    VARIABLE,
    (
      _all,
      braced: string | undefined,
      modifier: string | undefined,
      word: string,
      bare: string,
    ) => {
      const value = values.get(braced ?? bare) ?? '';
      if (modifier === '-') return value === '' ? word : value;
      if (modifier === '+') return value === '' ? '' : word;
      return value;
    },
  );
}

/** A stage and the earlier stages it is built FROM, the stage itself first. */
export function stageChain(dockerfile: Dockerfile, stage: Stage): Stage[] {
  const index = dockerfile.stages.indexOf(stage);
  const parent = findStage(dockerfile, stage.base, index);
  return parent ? [stage, ...stageChain(dockerfile, parent)] : [stage];
}
