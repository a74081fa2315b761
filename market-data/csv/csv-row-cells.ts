/**
 * Strict, row-by-row reading of an import file (prices, profiles): header checks, per-row
 * cell conversion that remembers the leftmost bad column, and the all-or-nothing result type.
 */
import { shownValue } from '../../core/api/ascii-json';
import type { CellResult } from './csv-cells';
import type { CsvProblem } from './csv-problem';
import { columnIndex, duplicateHeader, type CsvRecord } from './csv-table';

export interface CsvParseOptions {
  /** Skip bad rows (each reported) instead of stopping at the first. */
  readonly skipBadRows?: boolean;
  /** Named in problems. */
  readonly file?: string | null;
}

export type CsvParse<Row> =
  | { readonly ok: true; readonly rows: readonly Row[]; readonly skipped: readonly CsvProblem[] }
  | { readonly ok: false; readonly problem: CsvProblem };

/**
 * A header problem: a required column absent, a column named twice, or, when `accepted` is
 * given (the file has a closed set of columns), a column not in it; all the unknown ones are
 * named, with the accepted ones. Without `accepted`, other columns are allowed (callers ignore
 * them).
 */
export function checkHeader(
  header: readonly string[],
  required: readonly string[],
  line: number,
  file: string | null,
  accepted?: readonly string[],
): CsvProblem | null {
  for (const name of required) {
    if (columnIndex(header, name) < 0) {
      return { file, line, column: name, columnNumber: null, kind: 'missing_column', message: `the header has no "${name}" column (found: ${header.join(', ')})` };
    }
  }
  const twice = duplicateHeader(header);
  if (twice) return { file, line, column: twice.name, columnNumber: twice.columnNumber, kind: 'duplicate_header', message: `the column "${twice.name}" is named twice` };
  if (accepted) {
    const unknown = header.map((name, i) => ({ name, columnNumber: i + 1 })).filter((h) => columnIndex(accepted, h.name) < 0);
    const first = unknown[0];
    if (first) {
      const named = unknown.map((h) => JSON.stringify(h.name)).join(', ');
      const message = `unknown column${unknown.length > 1 ? 's' : ''} ${named} (accepted: ${accepted.join(', ')})`;
      return { file, line, column: first.name, columnNumber: first.columnNumber, kind: 'unknown_column', message };
    }
  }
  return null;
}

/**
 * The cells of one record, converted in the caller's order; remembers the first problem
 * (the leftmost bad column the caller asked about).
 */
export class RowCells {
  problem: CsvProblem | null = null;

  constructor(
    private readonly record: CsvRecord,
    private readonly header: readonly string[],
    private readonly file: string | null,
  ) {}

  get<T>(index: number, convert: (text: string) => CellResult<T>): T | undefined {
    if (index < 0) return undefined;
    const name = this.header[index]!;
    if (index >= this.record.cells.length) {
      this.report(index, 'missing_column', `the row has ${this.record.cells.length} of the header's ${this.header.length} columns; "${name}" is missing`);
      return undefined;
    }
    const text = this.record.cells[index]!;
    // Said before any conversion's verdict: "expected a symbol ..., got "ZZ\ufffd"" blames the
    // value for what the file's encoding did (a Latin-1 "é" is one byte that is not UTF-8).
    if (this.record.notUtf8 && text.includes(REPLACEMENT_CHARACTER)) {
      this.report(index, 'not_utf8', `not valid UTF-8: got ${shownValue(text)}, where \\ufffd stands for bytes that are no UTF-8 character (save the file as UTF-8)`);
      return undefined;
    }
    const result = convert(text);
    if (!result.ok) {
      this.report(index, result.kind, result.message);
      return undefined;
    }
    return result.value;
  }

  /** Reports a row with more cells than the header has columns. */
  checkLength(): void {
    if (this.record.cells.length > this.header.length) {
      this.report(this.header.length, 'extra_column', `the row has ${this.record.cells.length} columns, the header ${this.header.length}`);
    }
  }

  private report(index: number, kind: CsvProblem['kind'], message: string): void {
    const candidate: CsvProblem = { file: this.file, line: this.record.line, column: this.header[index] ?? null, columnNumber: index + 1, kind, message };
    if (!this.problem || (this.problem.columnNumber ?? 0) > index + 1) this.problem = candidate;
  }
}

/** What a decoder puts for bytes that are not UTF-8. */
const REPLACEMENT_CHARACTER = '\ufffd';
