/**
 * Fitting a converted dump value to the declared type of the batchdesk column it lands in
 * (SPEC.md j.7 value conversions): the column converters already give numbers, text and
 * blobs for the dump's own types; this covers the rest, where the dump's type and ours differ
 * (a text column in the dump holding integers, t/f flags in a text column, a number stored
 * into a TEXT column). Values that do not fit are passed on unchanged, so SQLite's CHECK
 * constraints report them.
 */
import { FLAG_COLUMNS } from './import-target';
import type { SqliteValue } from './value-issue';

/** How a mapped column's converted value is fitted to our column's declared type. */
export type Coercion = 'integer' | 'flag' | 'real' | 'text' | 'none';

export function coercionOf(col: { type: string; name: string }): Coercion {
  if (col.type === 'INTEGER') return FLAG_COLUMNS.has(col.name) ? 'flag' : 'integer';
  if (col.type === 'REAL') return 'real';
  if (col.type === 'TEXT') return 'text';
  return 'none';
}

const INTEGER_TEXT = /^-?\d+$/;
const DECIMAL_TEXT = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

export function coerce(v: SqliteValue | undefined, how: Coercion): SqliteValue {
  if (v === undefined || v === null) return null;
  switch (how) {
    case 'text':
      return typeof v === 'number' ? String(v) : v;
    case 'real':
      return typeof v === 'string' && DECIMAL_TEXT.test(v) ? Number(v) : v;
    case 'integer':
      return typeof v === 'string' && INTEGER_TEXT.test(v) ? Number(v) : v;
    case 'flag':
      if (typeof v !== 'string') return v;
      if (INTEGER_TEXT.test(v)) return Number(v);
      return v === 't' || v === 'true' ? 1 : v === 'f' || v === 'false' ? 0 : v;
    default:
      return v;
  }
}
