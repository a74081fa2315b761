/**
 * Fitting a converted dump value to the declared type of the batchdesk column it lands in
 * (SPEC.md j.7 value conversions): the column converters already give numbers, text and
 * blobs for the dump's own types; this covers the rest, where the dump's type and ours differ
 * (a text column in the dump holding numbers, dates or t/f flags, a number stored into a TEXT
 * column).
 *
 * | our column | a text value from the dump | text that does not parse |
 * |---|---|---|
 * | REAL | a decimal (`12.5`, `-1e3`) → number | `unconvertible_value` |
 * | INTEGER | an integer within ±(2^53 − 1) (`7`, `7.0`) → number | `unconvertible_value` |
 * | INTEGER 0/1 flag | `t`/`true`/`f`/`false`/an integer → number | `unconvertible_value` |
 * | TEXT date (by name, import-target.ts) | PostgreSQL's date form → `YYYY-MM-DD` | `unconvertible_value` |
 * | TEXT timestamp (`*_at`, `last_updated`) | a timestamp with a zone → UTC `…Z`, without → `YYYY-MM-DD HH:MM:SS.ffffff`, a date as it is | `unconvertible_value` |
 *
 * Dates and timestamps are parsed only when the dump held them as text (text, varchar,
 * char(n), or no known type): from the dump's date and timestamp types the column converters
 * have given our forms already. An unconvertible value is an error issue like a converter's
 * (value-issue.ts): the importer skips the row and reports the table, column and value, or
 * fails under --strict (import-dump.ts), so '1,000.00' never lands as text in a REAL column
 * and a quantity 'abc' is not mistaken for a missing one by the table rules.
 */
import { convertDate, convertTimestamp, convertTimestamptz } from './datetime-values';
import { FLAG_COLUMNS, referenceTypeOf, type TargetColumn } from './import-target';
import type { PgType } from './pg-type';
import type { IssueCode, IssueSeverity, IssueSink, SqliteValue } from './value-issue';

/** How a mapped column's converted value is fitted to our column's declared type. */
export type Coercion = 'integer' | 'flag' | 'real' | 'date' | 'timestamp' | 'text' | 'none';

/** Dump types whose values reach the importer as the text the dump holds. */
const TEXT_TYPES = new Set(['text', 'character varying', 'character', 'name']);

/**
 * The coercion of one mapped column: from our column's declared type, and for our date and
 * timestamp TEXT columns (named as import-target.ts infers them) from whether the dump's
 * column is textual (`source` null: a type the dump does not give).
 */
export function coercionOf(table: string, col: TargetColumn, source: PgType | null): Coercion {
  if (col.type === 'INTEGER') return FLAG_COLUMNS.has(col.name) ? 'flag' : 'integer';
  if (col.type === 'REAL') return 'real';
  if (col.type !== 'TEXT') return 'none';
  if (source !== null && (source.arrayDims > 0 || !TEXT_TYPES.has(source.base))) return 'text';
  const ref = referenceTypeOf(table, col);
  return ref === 'date' ? 'date' : ref === 'timestamp with time zone' ? 'timestamp' : 'text';
}

const INTEGER_TEXT = /^-?\d+$/;
const DECIMAL_TEXT = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** What each coercion calls the type a value could not be converted to. */
const TYPE_WORDS: Record<Coercion, string> = {
  integer: 'an integer',
  flag: 'a boolean (t/f)',
  real: 'a number',
  date: 'a date (YYYY-MM-DD)',
  timestamp: 'a timestamp',
  text: 'text',
  none: 'a value',
};

function unconvertible(v: string, how: Coercion, sink: IssueSink): null {
  sink.issue('unconvertible_value', 'error', v, `${JSON.stringify(v.slice(0, 60))} cannot be converted to ${TYPE_WORDS[how]}`);
  return null;
}

/** Remembers whether a datetime converter reported an error; its warnings go on to `sink`. */
class ProbeSink implements IssueSink {
  failed = false;
  constructor(private readonly sink: IssueSink) {}
  issue(code: IssueCode, severity: IssueSeverity, raw: string, message: string): void {
    if (severity === 'error') this.failed = true;
    else this.sink.issue(code, severity, raw, message);
  }
}

/** Tries the datetime converters in order; the first that parses the text gives the value. */
function firstParse(v: string, convs: readonly ((t: string, s: IssueSink) => string | null)[], how: Coercion, sink: IssueSink): SqliteValue {
  for (const conv of convs) {
    const probe = new ProbeSink(sink);
    const out = conv(v, probe);
    if (!probe.failed) return out;
  }
  return unconvertible(v, how, sink);
}

const TIMESTAMP_FORMS = [convertTimestamptz, convertTimestamp, convertDate];

/**
 * Fits one value (see the file comment). Text that cannot be converted is reported to `sink`
 * as an `unconvertible_value` error and becomes null; other values pass unchanged, so
 * SQLite's CHECK constraints report them.
 */
export function coerce(v: SqliteValue | undefined, how: Coercion, sink: IssueSink): SqliteValue {
  if (v === undefined || v === null) return null;
  if (how === 'text') return typeof v === 'number' ? String(v) : v;
  if (typeof v !== 'string' || how === 'none') return v;
  switch (how) {
    case 'real':
      return DECIMAL_TEXT.test(v) ? Number(v) : unconvertible(v, how, sink);
    case 'integer': {
      const n = DECIMAL_TEXT.test(v) ? Number(v) : NaN;
      return Number.isSafeInteger(n) ? n : unconvertible(v, how, sink);
    }
    case 'flag':
      if (INTEGER_TEXT.test(v)) return Number(v);
      return v === 't' || v === 'true' ? 1 : v === 'f' || v === 'false' ? 0 : unconvertible(v, how, sink);
    case 'date':
      return firstParse(v, [convertDate], how, sink);
    default:
      return firstParse(v, TIMESTAMP_FORMS, how, sink);
  }
}

