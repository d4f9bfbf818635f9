/**
 * Which subjects a service produces, read from its source: an event is created either with common's
 * `event(Subjects.X, data)` (stored with its entity, published by the relay) or published directly with
 * `publisher.publish(Subjects.X, data, id)` (a reply that changes nothing, an expiry). Nothing else in a
 * service creates an event, and neither runs without NATS and Mongo, so the calls are read, not made.
 * Tests (`*.test.ts`, `src/test/`) are not the service.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { problem, type Problem } from './problems';
import { readText } from './repo';

/** Subjects a service creates events of, and the calls this could not read. */
export interface ProducedSubjects {
  subjects: Set<string>;
  problems: Problem[];
}

/** `subjectValues`: common's `Subjects` (`TicketCreated` → `ticket.created`). */
export function findProducedSubjects(
  root: string,
  workspace: string,
  subjectValues: Readonly<Record<string, string>>,
): ProducedSubjects {
  const found: ProducedSubjects = { subjects: new Set(), problems: [] };
  for (const file of sourceFiles(root, `${workspace}/src`)) {
    const source = ts.createSourceFile(file, readText(root, file), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node) && createsEvent(node.expression)) {
        const at = `line ${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        const subject = subjectOf(node.arguments[0]);
        const value = subject === undefined ? undefined : subjectValues[subject];
        if (value !== undefined) found.subjects.add(value);
        else
          found.problems.push(
            problem(
              file,
              at,
              subject === undefined
                ? 'cannot tell which event this creates: its first argument is not Subjects.<Name>'
                : `Subjects.${subject} is not in common's Subjects`,
            ),
          );
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/** `event(...)` or `<anything>.publish(...)`. */
function createsEvent(callee: ts.Expression): boolean {
  return (
    (ts.isIdentifier(callee) && callee.text === 'event') ||
    (ts.isPropertyAccessExpression(callee) && callee.name.text === 'publish')
  );
}

/** `Subjects.TicketCreated` → `TicketCreated`; anything else → undefined. */
function subjectOf(arg: ts.Expression | undefined): string | undefined {
  return arg &&
    ts.isPropertyAccessExpression(arg) &&
    ts.isIdentifier(arg.expression) &&
    arg.expression.text === 'Subjects'
    ? arg.name.text
    : undefined;
}

/** The service's own TypeScript files under `dir`, tests left out; paths relative to `root`. */
function sourceFiles(root: string, dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== 'test') files.push(...sourceFiles(root, path));
    } else if (
      entry.name.endsWith('.ts') &&
      !entry.name.endsWith('.test.ts') &&
      !entry.name.endsWith('.d.ts')
    ) {
      files.push(path);
    }
  }
  return files.sort();
}
