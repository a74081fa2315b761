/**
 * Text cell -> value conversions for CSV files, as zod schemas (every cell is read as text,
 * csv-table.ts). Each conversion names the problem kind it reports.
 *
 * Numbers: plain decimal notation with an optional exponent ("185.64", "-3", "1e6", ".5");
 * no thousands separators, no hex, no "NaN"/"Infinity". Empty means absent where a column is
 * optional.
 */
import { z } from 'zod';
import { isoDateSchema, type IsoDate } from '../../core/domain/iso-date';
import { canonicalSymbol, isWellFormedSymbol } from '../../core/domain/symbols';
import { isTimestamp, type Timestamp } from '../../core/domain/timestamp';
import type { CsvProblemKind } from './csv-problem';

export type CellResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly kind: CsvProblemKind; readonly message: string };

const DECIMAL_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export const decimalSchema = z
  .string()
  .regex(DECIMAL_RE)
  .transform(Number)
  .pipe(z.number().refine(Number.isFinite));
export const integerSchema = decimalSchema.pipe(z.number().int());
export const booleanSchema = z
  .string()
  .transform((s) => s.toLowerCase())
  .pipe(z.enum(['0', '1', 'true', 'false']))
  .transform((s) => s === '1' || s === 'true');
export const timestampSchema = z.string().refine(isTimestamp).transform((s) => s as Timestamp);

const shown = (text: string): string => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text);

function via<T>(schema: z.ZodType<T>, text: string, kind: CsvProblemKind, expected: string): CellResult<T> {
  const r = schema.safeParse(text);
  return r.success ? { ok: true, value: r.data } : { ok: false, kind, message: `expected ${expected}, got ${shown(text)}` };
}

export function dateCell(text: string): CellResult<IsoDate> {
  if (text === '') return { ok: false, kind: 'missing_value', message: 'the date is empty' };
  return via(isoDateSchema, text, 'bad_date', 'a real calendar date written as YYYY-MM-DD');
}

/** A symbol: not empty, and well formed once canonical (BRK.B -> BRK-B; SPEC.md e.5). */
export function symbolCell(text: string): CellResult<string> {
  if (text === '') return { ok: false, kind: 'missing_value', message: 'the symbol is empty' };
  const symbol = canonicalSymbol(text);
  return isWellFormedSymbol(symbol) ? { ok: true, value: symbol } : { ok: false, kind: 'bad_symbol', message: `expected a symbol of letters, digits, '-', '_' or '=' (at most 32, an optional leading '^'), got ${shown(text)}` };
}

export function numberCell(text: string, name: string): CellResult<number> {
  if (text === '') return { ok: false, kind: 'missing_value', message: `the ${name} is empty` };
  return via(decimalSchema, text, 'bad_number', 'a number');
}

/** A close must be a number and > 0 (SPEC.md k.2 "non-numeric or non-positive close"). */
export function closeCell(text: string): CellResult<number> {
  const n = numberCell(text, 'close');
  if (!n.ok) return n;
  return n.value > 0 ? n : { ok: false, kind: 'non_positive_close', message: `the close must be > 0, got ${shown(text)}` };
}

/** Empty (or Yahoo's "null") -> null, else a number. */
export function optionalNumberCell(text: string): CellResult<number | null> {
  if (text === '' || text.toLowerCase() === 'null') return { ok: true, value: null };
  return via(decimalSchema, text, 'bad_number', 'a number or nothing');
}

export function optionalIntegerCell(text: string): CellResult<number | null> {
  if (text === '') return { ok: true, value: null };
  return via(integerSchema, text, 'bad_number', 'a whole number or nothing');
}

/** Empty -> false; 0/1/true/false (any case). */
export function booleanCell(text: string): CellResult<boolean> {
  if (text === '') return { ok: true, value: false };
  return via(booleanSchema, text, 'bad_boolean', '0, 1, true or false');
}

export function optionalTimestampCell(text: string): CellResult<Timestamp | null> {
  if (text === '') return { ok: true, value: null };
  return via(timestampSchema, text, 'bad_timestamp', 'a UTC timestamp YYYY-MM-DDTHH:MM:SS.ffffffZ or nothing');
}

/** Empty -> null, else the text. */
export function optionalTextCell(text: string): CellResult<string | null> {
  return { ok: true, value: text === '' ? null : text };
}
