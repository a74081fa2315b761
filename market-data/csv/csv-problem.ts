/**
 * A problem found in a CSV file, with where it is: the file, the line (1-based, where the
 * record starts; the header is line 1 unless blank lines precede it) and the column (its
 * header name and 1-based position). Import commands print these (SPEC.md k.2: "the first bad
 * row ... stops it with its line and column"); the CSV directory source returns them.
 */
export type CsvProblemKind =
  | 'malformed_csv'
  | 'not_utf8'
  | 'unclosed_quote'
  | 'bad_closing_quote'
  | 'missing_header'
  | 'duplicate_header'
  | 'missing_column'
  | 'extra_column'
  | 'unknown_column'
  | 'missing_value'
  | 'bad_symbol'
  | 'bad_date'
  | 'not_trading_day'
  | 'bad_number'
  | 'non_positive_close'
  | 'bad_boolean'
  | 'bad_timestamp'
  | 'too_long'
  | 'duplicate';

export interface CsvProblem {
  readonly file: string | null;
  readonly line: number;
  /** Header name of the column, or null when the problem is not about one column. */
  readonly column: string | null;
  /** 1-based column position, or null. */
  readonly columnNumber: number | null;
  readonly kind: CsvProblemKind;
  readonly message: string;
}

/** "prices.csv line 7, column 3 (close): expected a number, got "abc"" */
export function formatCsvProblem(problem: CsvProblem): string {
  const where = [problem.file, `line ${problem.line}`].filter((p) => p !== null).join(' ');
  // A column the header lacks has no position; the message names it.
  const column = problem.column === null || problem.columnNumber === null ? '' : `, column ${problem.columnNumber} (${problem.column})`;
  return `${where}${column}: ${problem.message}`;
}

/**
 * Whether a problem is the file's as a whole, so skipping bad rows cannot step over it: its header
 * lacks, repeats or adds a column (a required column the header lacks has no position), or a
 * quote problem leaves the parser inside a quoted value, so the lines after it cannot be read as
 * rows (a quote never closed, `unclosed_quote`; a quote closed by text other than a comma or the
 * line end, `bad_closing_quote`). Any other syntax error (`malformed_csv`, a quote inside an
 * unquoted value) spoils one row only.
 */
export function isFileProblem(problem: CsvProblem): boolean {
  switch (problem.kind) {
    case 'unclosed_quote':
    case 'bad_closing_quote':
    case 'missing_header':
    case 'duplicate_header':
    case 'unknown_column':
      return true;
    case 'missing_column':
      return problem.columnNumber === null;
    default:
      return false;
  }
}
