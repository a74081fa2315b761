/**
 * What a converted value looks like, and what can go wrong converting it (SPEC.md j.7,
 * pg-import.md section 7). Warnings keep the row (the value may become null); errors mean
 * the value could not be converted: the importer skips the row, or fails with --strict.
 */
export type SqliteValue = string | number | Buffer | null;

export type IssueCode =
  /** numeric whose REAL does not print back to the same decimal at the column's scale (value kept). */
  | 'lossy_numeric'
  /** NaN or ±Infinity in a numeric or float column (value → null). */
  | 'not_finite'
  /** infinity, BC, or a year beyond 9999 in a date or timestamp (value → null). */
  | 'date_out_of_range'
  /** an int8 beyond ±(2^53 − 1) (value → null; an error). */
  | 'integer_out_of_range'
  /** text that is not a valid value of the column's type (value → null; an error). */
  | 'invalid_value'
  /** an enum label the dump's own type does not list (value kept). */
  | 'unknown_enum_label'
  /**
   * text the dump holds in a text column that does not parse as our column's type: a number,
   * an integer, a 0/1 flag, a date or a timestamp (target-coercion.ts; value → null; an error).
   */
  | 'unconvertible_value';

export type IssueSeverity = 'warning' | 'error';

export interface ValueIssue {
  readonly code: IssueCode;
  readonly severity: IssueSeverity;
  readonly column: string;
  /** The text from the dump (cut to 200 characters). */
  readonly raw: string;
  readonly message: string;
}

/** Collects the issues of one value; converters call it instead of allocating result objects. */
export interface IssueSink {
  issue(code: IssueCode, severity: IssueSeverity, raw: string, message: string): void;
}

/** A converter of one column's text form into its SQLite value. Never called with null. */
export type ValueConverter = (text: string, sink: IssueSink) => SqliteValue;
