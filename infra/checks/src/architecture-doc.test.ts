/**
 * docs/architecture.md states the contract the code has (issue 11), and the comparison bites: each case
 * makes one mistake in the document, or one change in the code's facts the document does not follow, and
 * expects a problem naming the line and the difference.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ARCHITECTURE_DOC, checkArchitectureDoc, parsePayload } from './architecture-doc';
import { loadCodeContract, type CodeContract } from './code-contract';
import { findProducedSubjects } from './event-producers';
import { findTable, splitRow } from './markdown-table';
import { formatProblems, type Problem } from './problems';
import { REPO_ROOT } from './repo';

/** One mistake and the problem it must cause. */
interface Mistake {
  mistake: string;
  /** A change to the document: `from` replaced exactly once. */
  doc?: { from: string | RegExp; to: string };
  /** A change to the code's facts, as if a service had changed. */
  code?: (code: CodeContract) => void;
  expected: { field: RegExp; message: RegExp };
}

const MISTAKES: Mistake[] = [
  {
    mistake: 'a route row removed',
    doc: { from: /^\| PUT \| \/api\/users\/password \|.*\n/m, to: '' },
    expected: {
      field: /^line \d+$/,
      message: /^PUT \/api\/users\/password \(auth, signed in\) is a route of auth but has no row$/,
    },
  },
  {
    mistake: 'a route no service registers',
    doc: { from: '| GET | /api/tickets/mine |', to: '| GET | /api/tickets/own |' },
    expected: { field: /^line \d+$/, message: /^GET \/api\/tickets\/own is not a route of any/ },
  },
  {
    mistake: 'a route said to be open that requires sign-in',
    doc: {
      from: '| DELETE | /api/orders/:id | orders | required |',
      to: '| DELETE | /api/orders/:id | orders | – |',
    },
    expected: { field: /^line \d+$/, message: /DELETE \/api\/orders\/:id requires sign-in/ },
  },
  {
    mistake: 'a route on the wrong service',
    doc: { from: '| POST | /api/payments | payments |', to: '| POST | /api/payments | orders |' },
    expected: { field: /^line \d+$/, message: /is served by payments, not orders/ },
  },
  {
    mistake: 'a bogus subject',
    doc: {
      from: '| charge.refunded | payments |',
      to: '| ticket.reserved | tickets | orders | `{id, version}` | – |\n| charge.refunded | payments |',
    },
    expected: { field: /^line \d+$/, message: /^ticket\.reserved is not one of common's Subjects/ },
  },
  {
    mistake: 'a consumer left out',
    doc: {
      from: '| order.cancelled | orders | tickets, expiration, payments |',
      to: '| order.cancelled | orders | tickets, payments |',
    },
    expected: {
      field: /^line \d+$/,
      message:
        /^order\.cancelled is consumed by expiration, payments, tickets .*, not tickets, payments$/,
    },
  },
  {
    mistake: 'the wrong producer',
    doc: { from: '| order.expired | expiration |', to: '| order.expired | orders |' },
    expected: { field: /^line \d+$/, message: /^order\.expired is produced by expiration / },
  },
  {
    mistake: 'a payload field renamed',
    doc: {
      from: '`{id, version, orderId, amount, stripeRefundId}`',
      to: '`{id, version, orderId, amount, refundId}`',
    },
    expected: {
      field: /^line \d+$/,
      message: /^payload of charge\.refunded .*schema has stripeRefundId.*table has refundId/,
    },
  },
  {
    mistake: 'a config variable renamed',
    doc: { from: '| `LISTING_CACHE_MS` | tickets |', to: '| `LISTING_CACHE_SECONDS` | tickets |' },
    expected: {
      field: /^line \d+$/,
      message:
        /^tickets reads LISTING_CACHE_MS \(tickets\/src\/config\.ts\) but the table has no row/,
    },
  },
  {
    mistake: 'a config variable given to a service that does not read it',
    doc: {
      from: '| `JWT_KEY` | auth, tickets, orders, payments |',
      to: '| `JWT_KEY` | every service |',
    },
    expected: {
      field: /^line \d+$/,
      message: /^the table says expiration reads JWT_KEY, but expiration\/src\/config\.ts has no/,
    },
  },
  {
    mistake: 'a new route in the code',
    code: (c) =>
      c.routes.push({
        method: 'DELETE',
        path: '/api/tickets/:id',
        service: 'tickets',
        signedIn: true,
      }),
    expected: { field: /^line \d+$/, message: /^DELETE \/api\/tickets\/:id .* has no row$/ },
  },
  {
    mistake: 'a new subject in the code',
    code: (c) => c.subjects.push('ticket.deleted'),
    expected: { field: /^line \d+$/, message: /^ticket\.deleted is one of common's Subjects but/ },
  },
  {
    mistake: 'a new listener in the code',
    code: (c) => c.consumers.set('user.created', ['orders']),
    expected: { field: /^line \d+$/, message: /^user\.created is consumed by orders/ },
  },
  {
    mistake: 'a new config variable in the code',
    code: (c) => c.config.get('orders')?.push('ORDER_HOLD_CAP'),
    expected: { field: /^line \d+$/, message: /^orders reads ORDER_HOLD_CAP/ },
  },
];

function replaceOnce(text: string, from: string | RegExp, to: string): string {
  const found =
    typeof from === 'string'
      ? text.split(from).length - 1
      : (text.match(new RegExp(from.source, `${from.flags}g`)) ?? []).length;
  if (found !== 1) throw new Error(`${ARCHITECTURE_DOC}: ${found} × ${String(from)}`);
  return text.replace(from, to);
}

/** The loaded facts, copied so a case's change stays in its case. */
function copyOf(code: CodeContract): CodeContract {
  const copyMap = (m: Map<string, string[]>) => new Map([...m].map(([k, v]) => [k, [...v]]));
  return {
    ...code,
    routes: code.routes.map((r) => ({ ...r })),
    subjects: [...code.subjects],
    producers: copyMap(code.producers),
    consumers: copyMap(code.consumers),
    payloads: copyMap(code.payloads),
    config: copyMap(code.config),
  };
}

describe(ARCHITECTURE_DOC, () => {
  let code: CodeContract;
  let doc: string;
  beforeAll(() => {
    code = loadCodeContract(REPO_ROOT);
    doc = readFileSync(join(REPO_ROOT, ARCHITECTURE_DOC), 'utf8');
  }, 120_000);

  it("states exactly the code's routes, events and configuration", () => {
    const problems = checkArchitectureDoc(doc, code);

    expect(formatProblems(problems)).toBe('');
  });

  it('is compared with every service, as the code registers it', () => {
    expect(code.services).toEqual(['auth', 'tickets', 'orders', 'expiration', 'payments']);
    expect(code.routes).toContainEqual({
      method: 'PUT',
      path: '/api/users/password',
      service: 'auth',
      signedIn: true,
    });
    expect(code.consumers.get('order.completed')).toEqual(['expiration', 'payments', 'tickets']);
    expect(code.producers.get('ticket.hold-refused')).toEqual(['tickets']);
    expect(code.payloads.get('ticket.created')).toContain('orderId?');
  });

  it.each(MISTAKES)('reports $mistake', (m) => {
    const mutated = m.doc ? replaceOnce(doc, m.doc.from, m.doc.to) : doc;
    const facts = copyOf(code);
    m.code?.(facts);

    const problems = checkArchitectureDoc(mutated, facts);

    const hit = problems.find(
      (p: Problem) =>
        p.file === ARCHITECTURE_DOC &&
        m.expected.field.test(p.field) &&
        m.expected.message.test(p.message),
    );
    if (!hit) throw new Error(`nothing matched; the check said:\n${formatProblems(problems)}`);
  });
});

describe('the readers under the comparison', () => {
  it('split table rows outside code spans only', () => {
    expect(splitRow('| a | `x | y` | b\\|c |')).toEqual(['a', '`x | y`', 'b|c']);
    expect(findTable('## A\ntext\n\n| h |\n|---|\n| 1 |\n## B\n', 'A')?.rows[0]?.line).toBe(6);
    expect(findTable('## A\n## B\n| h |\n|---|\n', 'A')).toBeUndefined();
  });

  it('flattens a documented payload and refuses one it cannot read', () => {
    expect(parsePayload('`{id, ticket: {id, price}, orderId?}`')).toEqual([
      'id',
      'ticket.id',
      'ticket.price',
      'orderId?',
    ]);
    expect(() => parsePayload('id, version')).toThrow(/expected "\{"/);
  });

  it("finds the subjects a service's source creates, and none from its tests", () => {
    const root = mkdtempSync(join(tmpdir(), 'architecture-doc-'));
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    write('svc/src/domain/a.ts', 'save(x, (v) => [event(Subjects.TicketCreated, {})]);');
    write('svc/src/jobs/b.ts', 'await this.publisher.publish(Subjects.OrderExpired, {}, id);');
    write('svc/src/c.ts', 'event(subjectOf(x), {});');
    write('svc/src/a.test.ts', 'event(Subjects.OrderCreated, {});');
    write('svc/src/test/d.ts', 'event(Subjects.OrderCreated, {});');
    const values = {
      TicketCreated: 'ticket.created',
      OrderExpired: 'order.expired',
      OrderCreated: 'order.created',
    };

    const found = findProducedSubjects(root, 'svc', values);

    rmSync(root, { recursive: true, force: true });
    expect([...found.subjects].sort()).toEqual(['order.expired', 'ticket.created']);
    expect(formatProblems(found.problems)).toMatch(/^svc\/src\/c\.ts: line 1: cannot tell which/);
  });
});
