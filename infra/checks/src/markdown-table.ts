/**
 * Markdown tables as the docs write them (`| a | b |` rows under a header and a `|---|` line), read so a
 * check can compare a document's tables with the code. Each row keeps its line number, so a problem
 * points at the line a reader fixes.
 */

export interface TableRow {
  /** 1-based line in the document. */
  line: number;
  /** Cell text by column header (trimmed); a missing cell is ''. */
  cells: Map<string, string>;
}

export interface MarkdownTable {
  /** 1-based line of the header row. */
  line: number;
  headers: string[];
  rows: TableRow[];
}

/**
 * The cells of one `| ... |` line. A `|` inside backticks or escaped as `\|` belongs to the cell, as in
 * GitHub's rendering of `created | complete` in code.
 */
export function splitRow(line: string): string[] {
  const body = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  const cells: string[] = [];
  let cell = '';
  let inCode = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (ch === '\\' && body[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (ch === '`') {
      inCode = !inCode;
      cell += ch;
    } else if (ch === '|' && !inCode) {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += ch;
    }
  }
  cells.push(cell.trim());
  return cells;
}

const DELIMITER = /^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$/;

/**
 * The first table of the section whose heading (any level) starts with `heading`, or undefined when
 * the section or its table is missing. The section ends at the next heading of the same or a higher level.
 */
export function findTable(markdown: string, heading: string): MarkdownTable | undefined {
  const lines = markdown.split('\n');
  const start = lines.findIndex(
    (l) => /^#{1,6} /.test(l) && l.replace(/^#+ /, '').startsWith(heading),
  );
  if (start < 0) return undefined;
  const level = (/^#+/.exec(lines[start] as string) as RegExpExecArray)[0].length;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const sub = /^(#+) /.exec(line);
    if (sub && (sub[1] as string).length <= level) return undefined;
    if (line.trim().startsWith('|') && DELIMITER.test((lines[i + 1] ?? '').trim())) {
      return readTable(lines, i);
    }
  }
  return undefined;
}

function readTable(lines: string[], headerIndex: number): MarkdownTable {
  const headers = splitRow(lines[headerIndex] as string);
  const rows: TableRow[] = [];
  for (
    let i = headerIndex + 2;
    i < lines.length && (lines[i] as string).trim().startsWith('|');
    i++
  ) {
    const values = splitRow(lines[i] as string);
    rows.push({ line: i + 1, cells: new Map(headers.map((h, j) => [h, values[j] ?? ''])) });
  }
  return { line: headerIndex + 1, headers, rows };
}

/** A cell's text without its code marks: `` `user.created` `` → user.created. */
export function plain(cell: string): string {
  return cell.replace(/`/g, '').trim();
}

/** A cell listing names (`tickets, expiration`); `–`, `-` or empty is none. */
export function names(cell: string): string[] {
  return plain(cell)
    .split(/\s*,\s*/)
    .map((n) => n.trim())
    .filter((n) => n !== '' && n !== '–' && n !== '-');
}
