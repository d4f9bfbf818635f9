/**
 * One thing wrong, located the way a reader fixes it: the repository file, then the field inside it
 * (a dotted path such as `spec.ports[0].targetPort`, or `line 12` in a Dockerfile).
 */
export interface Problem {
  file: string;
  field: string;
  message: string;
}

export function problem(file: string, field: string, message: string): Problem {
  return { file, field, message };
}

export function formatProblem(p: Problem): string {
  return `${p.file}: ${p.field}: ${p.message}`;
}

export function formatProblems(problems: Problem[]): string {
  return problems.map(formatProblem).join('\n');
}

/** `["spec", "ports", 0, "targetPort"]` → `spec.ports[0].targetPort`. */
export function fieldPath(parts: ReadonlyArray<string | number>): string {
  return parts
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
