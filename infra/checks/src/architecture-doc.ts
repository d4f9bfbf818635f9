/**
 * docs/architecture.md against the code (issue 11): its route table lists exactly the routes the
 * services register (method, path, service, whether sign-in is required), its event table exactly
 * common's subjects with their producers, consumers and payload fields, and its configuration table
 * exactly the variables of each service's config schema. The code side is read by code-contract.ts.
 */
import type { CodeContract, RouteFact } from './code-contract';
import { findTable, names, plain, type MarkdownTable, type TableRow } from './markdown-table';
import { problem, type Problem } from './problems';

export const ARCHITECTURE_DOC = 'docs/architecture.md';

/** The sections whose first table is compared, and the columns each must have. */
const TABLES = {
  routes: { heading: 'HTTP API', columns: ['method', 'path', 'service', 'signed in'] },
  events: { heading: 'Events', columns: ['subject', 'producer', 'consumers', 'payload'] },
  config: { heading: 'Configuration', columns: ['variable', 'read by'] },
} as const;

/** How the configuration table says "all five". */
const EVERY_SERVICE = 'every service';

export function checkArchitectureDoc(markdown: string, code: CodeContract): Problem[] {
  const problems: Problem[] = [...code.problems];
  const table = (which: keyof typeof TABLES): MarkdownTable | undefined => {
    const { heading, columns } = TABLES[which];
    const found = findTable(markdown, heading);
    const missing = columns.filter((c) => !found?.headers.includes(c));
    if (found && missing.length === 0) return found;
    problems.push(
      problem(
        ARCHITECTURE_DOC,
        found ? `line ${found.line}` : `## ${heading}`,
        found
          ? `the ${heading} table has no column ${missing.join(', ')}`
          : `no table under a heading "${heading}"`,
      ),
    );
    return undefined;
  };
  const routes = table('routes');
  if (routes) problems.push(...compareRoutes(routes, code));
  const events = table('events');
  if (events) problems.push(...compareEvents(events, code));
  const config = table('config');
  if (config) problems.push(...compareConfig(config, code));
  return problems;
}

const at = (row: TableRow) => `line ${row.line}`;
const cell = (row: TableRow, column: string) => row.cells.get(column) ?? '';
const list = (items: readonly string[]) => (items.length ? items.join(', ') : '–');
const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

function compareRoutes(table: MarkdownTable, code: CodeContract): Problem[] {
  const problems: Problem[] = [];
  const report = (field: string, message: string) =>
    problems.push(problem(ARCHITECTURE_DOC, field, message));
  const key = (r: Pick<RouteFact, 'method' | 'path'>) => `${r.method} ${r.path}`;
  const inCode = new Map(code.routes.map((r) => [key(r), r]));
  const inDoc = new Set<string>();
  for (const row of table.rows) {
    const route = {
      method: plain(cell(row, 'method')).toUpperCase(),
      path: plain(cell(row, 'path')),
      service: plain(cell(row, 'service')),
    };
    const signedIn = plain(cell(row, 'signed in'));
    if (inDoc.has(key(route))) report(at(row), `${key(route)} has a second row`);
    inDoc.add(key(route));
    const registered = inCode.get(key(route));
    if (!registered) {
      report(at(row), `${key(route)} is not a route of any service (none registers it)`);
      continue;
    }
    if (registered.service !== route.service)
      report(at(row), `${key(route)} is served by ${registered.service}, not ${route.service}`);
    if (!['required', '–', '-', ''].includes(signedIn))
      report(at(row), `signed in is "${signedIn}"; write required or –`);
    else if (registered.signedIn !== (signedIn === 'required'))
      report(
        at(row),
        registered.signedIn
          ? `${key(route)} requires sign-in (requireAuth): write required`
          : `${key(route)} does not require sign-in (no requireAuth): write –`,
      );
  }
  for (const route of code.routes) {
    if (!inDoc.has(key(route)))
      report(
        `line ${table.line}`,
        `${key(route)} (${route.service}, ${route.signedIn ? 'signed in' : 'open'}) is a route of ${route.service} but has no row`,
      );
  }
  return problems;
}

function compareEvents(table: MarkdownTable, code: CodeContract): Problem[] {
  const problems: Problem[] = [];
  const report = (field: string, message: string) =>
    problems.push(problem(ARCHITECTURE_DOC, field, message));
  const inDoc = new Set<string>();
  for (const row of table.rows) {
    const subject = plain(cell(row, 'subject'));
    if (inDoc.has(subject)) report(at(row), `${subject} has a second row`);
    inDoc.add(subject);
    if (!code.subjects.includes(subject)) {
      report(at(row), `${subject} is not one of common's Subjects (common/src/events/subjects.ts)`);
      continue;
    }
    const producers = code.producers.get(subject) ?? [];
    const consumers = code.consumers.get(subject) ?? [];
    if (!sameSet(names(cell(row, 'producer')), producers))
      report(
        at(row),
        `${subject} is produced by ${list(producers)} (event(Subjects…) or .publish(Subjects…) in their src), not ${list(names(cell(row, 'producer')))}`,
      );
    if (!sameSet(names(cell(row, 'consumers')), consumers))
      report(
        at(row),
        `${subject} is consumed by ${list(consumers)} (their createListeners), not ${list(names(cell(row, 'consumers')))}`,
      );
    problems.push(...comparePayload(row, subject, code.payloads.get(subject) ?? []));
  }
  for (const subject of code.subjects) {
    if (!inDoc.has(subject))
      report(`line ${table.line}`, `${subject} is one of common's Subjects but has no row`);
  }
  return problems;
}

function comparePayload(row: TableRow, subject: string, schema: readonly string[]): Problem[] {
  let documented: string[];
  try {
    documented = parsePayload(cell(row, 'payload'));
  } catch (err) {
    return [problem(ARCHITECTURE_DOC, at(row), `payload of ${subject}: ${(err as Error).message}`)];
  }
  const missing = schema.filter((f) => !documented.includes(f));
  const extra = documented.filter((f) => !schema.includes(f));
  if (missing.length === 0 && extra.length === 0) return [];
  const parts = [
    ...(missing.length ? [`the schema has ${missing.join(', ')}, the table does not`] : []),
    ...(extra.length ? [`the table has ${extra.join(', ')}, the schema does not`] : []),
  ];
  return [
    problem(
      ARCHITECTURE_DOC,
      at(row),
      `payload of ${subject} differs from EVENT_SCHEMAS (common/src/events/schemas.ts): ${parts.join('; ')}`,
    ),
  ];
}

/**
 * `{id, version, ticket: {id, price}, orderId?}` → `id, version, ticket.id, ticket.price, orderId?`: the
 * notation the document uses for JSON shapes, flattened to the paths code-contract.ts reads from zod.
 */
export function parsePayload(text: string): string[] {
  const s = plain(text);
  let i = 0;
  const skipSpace = () => {
    while (s[i] === ' ') i++;
  };
  const expect = (ch: string) => {
    skipSpace();
    if (s[i] !== ch) throw new Error(`expected "${ch}" at "${s.slice(i)}" in ${s}`);
    i++;
  };
  const fields = (prefix: string): string[] => {
    const found: string[] = [];
    expect('{');
    for (;;) {
      skipSpace();
      const name = /^[A-Za-z_$][\w$]*\??/.exec(s.slice(i))?.[0];
      if (!name) throw new Error(`expected a field name at "${s.slice(i)}" in ${s}`);
      i += name.length;
      skipSpace();
      if (s[i] === ':') {
        i++;
        found.push(...fields(`${prefix}${name}.`));
      } else found.push(`${prefix}${name}`);
      skipSpace();
      if (s[i] !== ',') break;
      i++;
    }
    expect('}');
    return found;
  };
  const all = fields('');
  skipSpace();
  if (i < s.length) throw new Error(`unexpected "${s.slice(i)}" after the shape in ${s}`);
  return all;
}

function compareConfig(table: MarkdownTable, code: CodeContract): Problem[] {
  const problems: Problem[] = [];
  const report = (field: string, message: string) =>
    problems.push(problem(ARCHITECTURE_DOC, field, message));
  /** service → variable → the row that says the service reads it. */
  const documented = new Map(code.services.map((s) => [s, new Map<string, TableRow>()]));
  const rowOf = new Map<string, TableRow>();
  for (const row of table.rows) {
    const readers = plain(cell(row, 'read by'));
    const services = readers === EVERY_SERVICE ? code.services : names(readers);
    for (const unknown of services.filter((s) => !documented.has(s)))
      report(at(row), `read by names ${unknown}, which is no service (${list(code.services)})`);
    for (const variable of names(cell(row, 'variable'))) {
      if (rowOf.has(variable)) report(at(row), `${variable} has a second row`);
      rowOf.set(variable, row);
      for (const service of services) documented.get(service)?.set(variable, row);
    }
  }
  for (const service of code.services) {
    const read = code.config.get(service) ?? [];
    const said = documented.get(service) ?? new Map<string, TableRow>();
    for (const variable of read.filter((v) => !said.has(v))) {
      const row = rowOf.get(variable);
      report(
        row ? at(row) : `line ${table.line}`,
        `${service} reads ${variable} (${service}/src/config.ts) but the table ${row ? `does not list ${service} for it` : 'has no row for it'}`,
      );
    }
    for (const [variable, row] of said) {
      if (!read.includes(variable))
        report(
          at(row),
          `the table says ${service} reads ${variable}, but ${service}/src/config.ts has no ${variable}`,
        );
    }
  }
  return problems;
}
