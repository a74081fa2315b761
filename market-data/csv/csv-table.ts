/**
 * Reads CSV text into a header and records of text cells, each with its line number.
 * Every cell stays text (no auto-typing: "00123" must not become 123); callers convert cells
 * with the zod rules of csv-cells.ts.
 *
 * Accepted: a UTF-8 BOM, LF / CRLF / CR line ends, quoted fields (RFC 4180) including
 * line breaks inside quotes, blank lines (skipped), spaces around unquoted fields (trimmed).
 * A row may have fewer or more cells than the header; callers report that per row.
 * A syntax error (an unclosed quote ...) is a `malformed_csv` problem: fatal, or with
 * `skipMalformed` skipped and reported.
 */
import { CsvError, parse, type InfoRecord, type Options } from 'csv-parse/sync';
import type { CsvProblem } from './csv-problem';

export interface CsvRecord {
  /** Line where the record starts (1-based). */
  readonly line: number;
  readonly cells: readonly string[];
}

export interface CsvTable {
  /** Header cells as written (trimmed). */
  readonly header: readonly string[];
  readonly headerLine: number;
  readonly records: readonly CsvRecord[];
}

export type CsvTableRead =
  | { readonly ok: true; readonly table: CsvTable; readonly skipped: readonly CsvProblem[] }
  | { readonly ok: false; readonly problem: CsvProblem };

export interface ReadCsvOptions {
  readonly file?: string | null;
  readonly skipMalformed?: boolean;
}

const LINE_BREAK = /\r\n|\n|\r/g;
const LEADING_BLANK_LINES = /^(?:[ \t]*(?:\r\n|\n|\r))*/;

export function readCsvTable(text: string, options: ReadCsvOptions = {}): CsvTableRead {
  const file = options.file ?? null;
  const lines = lineIndex(text);
  const records: CsvRecord[] = [];
  const skipped: CsvProblem[] = [];
  // Byte offset just past the last record read, to place an unterminated quote.
  let lastEnd = 0;
  const malformed = (error: CsvError | undefined): CsvProblem => {
    const unclosed = error?.code === 'CSV_QUOTE_NOT_CLOSED';
    const line = unclosed ? lines.lineAfter(lastEnd) : typeof error?.lines === 'number' ? error.lines : lines.lineAfter(lastEnd);
    const message = unclosed ? 'not valid CSV: a quote opened on this line is never closed' : `not valid CSV: ${error?.message ?? 'unreadable record'}`;
    return { file, line, column: null, columnNumber: null, kind: 'malformed_csv', message };
  };
  try {
    parse(text, {
      bom: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      skip_records_with_error: options.skipMalformed === true,
      // With `raw`, csv-parse hands over { record, raw }; bytes counts through the record's end.
      on_record: ((entry: { record: string[]; raw: string }, context: InfoRecord) => {
        const start = context.bytes - Buffer.byteLength(entry.raw);
        lastEnd = context.bytes;
        records.push({ line: lines.lineAt(start) + countBreaks(LEADING_BLANK_LINES.exec(entry.raw)?.[0] ?? ''), cells: entry.record });
        return entry;
      }) as unknown as Options['on_record'],
      on_skip: (error: CsvError | undefined): undefined => {
        const problem = malformed(error);
        // csv-parse may report one skipped record twice.
        if (!skipped.some((p) => p.line === problem.line)) skipped.push(problem);
      },
    });
  } catch (error) {
    if (error instanceof CsvError) return { ok: false, problem: malformed(error) };
    throw error;
  }
  const [head, ...body] = records;
  if (!head || head.cells.every((c) => c === '')) {
    return { ok: false, problem: { file, line: head?.line ?? 1, column: null, columnNumber: null, kind: 'missing_header', message: 'the file has no header row' } };
  }
  return { ok: true, table: { header: head.cells, headerLine: head.line, records: body }, skipped };
}

/** Line numbers of byte offsets in the UTF-8 form of `text` (csv-parse counts bytes, BOM included). */
function lineIndex(text: string): { lineAt(offset: number): number; lineAfter(offset: number): number } {
  const bytes = Buffer.from(text, 'utf8');
  const breaks: number[] = []; // offset of the last byte of each line break
  for (let i = 0; i < bytes.length; i += 1) {
    if (bytes[i] === 0x0a) breaks.push(i);
    else if (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a) breaks.push(i);
  }
  const lineAt = (offset: number): number => {
    let lo = 0;
    let hi = breaks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (breaks[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
  return {
    lineAt,
    /** The first non-blank line at or after `offset`. */
    lineAfter(offset: number): number {
      const rest = bytes.subarray(offset).toString('utf8');
      return lineAt(offset) + countBreaks(LEADING_BLANK_LINES.exec(rest)?.[0] ?? '');
    },
  };
}

function countBreaks(s: string): number {
  return s.match(LINE_BREAK)?.length ?? 0;
}

/** Position of a column by name: trimmed, case-insensitive; -1 when absent. */
export function columnIndex(header: readonly string[], name: string): number {
  const wanted = name.trim().toLowerCase();
  return header.findIndex((h) => h.trim().toLowerCase() === wanted);
}

/** The first header name that appears twice (case-insensitive), or null. */
export function duplicateHeader(header: readonly string[]): { name: string; columnNumber: number } | null {
  const seen = new Set<string>();
  for (let i = 0; i < header.length; i += 1) {
    const key = header[i]!.trim().toLowerCase();
    if (key !== '' && seen.has(key)) return { name: header[i]!, columnNumber: i + 1 };
    seen.add(key);
  }
  return null;
}
