/**
 * Text cell -> value conversions for CSV files, as zod schemas (every cell is read as text,
 * csv-table.ts). Each conversion names the problem kind it reports.
 *
 * Numbers: plain decimal notation with an optional exponent ("185.64", "-3", "1e6", ".5");
 * no thousands separators, no hex, no "NaN"/"Infinity". Empty means absent where a column is
 * optional.
 */
import { z } from 'zod';
import { shownValue } from '../../core/api/ascii-json';
import { isoDateSchema, type IsoDate } from '../../core/domain/iso-date';
import { canonicalSymbol, isWellFormedSymbol } from '../../core/domain/symbols';
import type { Timestamp } from '../../core/domain/timestamp';
import type { CsvProblemKind } from './csv-problem';

export type CellResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly kind: CsvProblemKind; readonly message: string };

const DECIMAL_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export const decimalSchema = z
  .string()
  .regex(DECIMAL_RE)
  .transform(Number)
  .pipe(z.number().refine(Number.isFinite));
export const countSchema = decimalSchema.pipe(z.number().int().min(0));
export const booleanSchema = z
  .string()
  .transform((s) => s.toLowerCase())
  .pipe(z.enum(['0', '1', 'true', 'false']))
  .transform((s) => s === '1' || s === 'true');

/**
 * An ISO 8601 date and time with a zone, as an export or a person writes it: `T` (or a space)
 * between date and time, seconds and 0 to 6 fraction digits optional, `Z` or an offset
 * `+HH:MM`, `+HHMM` or `+HH`; or a date alone, read as midnight UTC. Without a zone a time is
 * no instant (local to where?), so it is refused.
 */
const ISO_TIMESTAMP_RE =
  /^(?<y>\d{4})-(?<mo>\d{2})-(?<d>\d{2})(?:[T ](?<h>\d{2}):(?<mi>\d{2})(?::(?<s>\d{2})(?:\.(?<frac>\d{1,6}))?)?(?:Z|(?<sign>[+-])(?<oh>\d{2})(?::?(?<om>\d{2}))?))?$/i;

/** The stored form (SPEC.md a.3: UTC, six fraction digits) of an ISO 8601 timestamp, or null when it is none. */
function storedTimestamp(text: string): Timestamp | null {
  const g = ISO_TIMESTAMP_RE.exec(text)?.groups;
  if (!g) return null;
  const n = (name: string): number => Number(g[name] ?? 0);
  const [y, mo, d, h, mi, s, oh, om] = ['y', 'mo', 'd', 'h', 'mi', 's', 'oh', 'om'].map(n) as [number, number, number, number, number, number, number, number];
  if (h > 23 || mi > 59 || s > 59 || oh > 23 || om > 59) return null;
  const wall = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Date.UTC rolls 2025-02-30 over into March, and reads years 0-99 as 19xx: no such date.
  if (wall.getUTCFullYear() !== y || wall.getUTCMonth() !== mo - 1 || wall.getUTCDate() !== d) return null;
  const offsetMs = (g['sign'] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  const utc = new Date(wall.getTime() - offsetMs).toISOString();
  // Shifted past 9999-12-31 (or before year 0), the year has no YYYY form.
  if (utc.length !== 24) return null;
  return `${utc.slice(0, 19)}.${(g['frac'] ?? '').padEnd(6, '0')}Z` as Timestamp;
}

function via<T>(schema: z.ZodType<T>, text: string, kind: CsvProblemKind, expected: string): CellResult<T> {
  const r = schema.safeParse(text);
  return r.success ? { ok: true, value: r.data } : { ok: false, kind, message: `expected ${expected}, got ${shownValue(text)}` };
}

export function dateCell(text: string): CellResult<IsoDate> {
  if (text === '') return { ok: false, kind: 'missing_value', message: 'the date is empty' };
  return via(isoDateSchema, text, 'bad_date', 'a real calendar date written as YYYY-MM-DD');
}

/** A symbol: not empty, and well formed once canonical (BRK.B -> BRK-B; SPEC.md e.5). */
export function symbolCell(text: string): CellResult<string> {
  if (text === '') return { ok: false, kind: 'missing_value', message: 'the symbol is empty' };
  const symbol = canonicalSymbol(text);
  return isWellFormedSymbol(symbol) ? { ok: true, value: symbol } : { ok: false, kind: 'bad_symbol', message: `expected a symbol of letters, digits, '-', '_' or '=' (at most 32, an optional leading '^'), got ${shownValue(text)}` };
}

export function numberCell(text: string, name: string): CellResult<number> {
  if (text === '') return { ok: false, kind: 'missing_value', message: `the ${name} is empty` };
  return via(decimalSchema, text, 'bad_number', 'a number');
}

/** A close must be a number and > 0 (SPEC.md k.2 "non-numeric or non-positive close"). */
export function closeCell(text: string): CellResult<number> {
  const n = numberCell(text, 'close');
  if (!n.ok) return n;
  return n.value > 0 ? n : { ok: false, kind: 'non_positive_close', message: `the close must be > 0, got ${shownValue(text)}` };
}

/** Empty (or Yahoo's "null") -> null, else a number. */
export function optionalNumberCell(text: string): CellResult<number | null> {
  if (text === '' || text.toLowerCase() === 'null') return { ok: true, value: null };
  return via(decimalSchema, text, 'bad_number', 'a number or nothing');
}

/** Empty -> null, else a whole number >= 0: a count (a volume, employees), which cannot be negative. */
export function optionalCountCell(text: string): CellResult<number | null> {
  if (text === '') return { ok: true, value: null };
  return via(countSchema, text, 'bad_number', 'a whole number >= 0 or nothing');
}

/** Empty -> false; 0/1/true/false (any case). */
export function booleanCell(text: string): CellResult<boolean> {
  if (text === '') return { ok: true, value: false };
  return via(booleanSchema, text, 'bad_boolean', '0, 1, true or false');
}

/** Empty -> null, else an ISO 8601 timestamp in its stored form (storedTimestamp). */
export function optionalTimestampCell(text: string): CellResult<Timestamp | null> {
  if (text === '') return { ok: true, value: null };
  const value = storedTimestamp(text);
  if (value !== null) return { ok: true, value };
  return { ok: false, kind: 'bad_timestamp', message: `expected a timestamp with Z or an offset (2025-07-01T10:00:00Z, 2025-07-01T06:00:00.123-04:00), a date YYYY-MM-DD, or nothing, got ${shownValue(text)}` };
}

/** Empty -> null, else the text, of at most `maxChars` characters (code points). */
export function optionalTextCell(text: string, name: string, maxChars: number): CellResult<string | null> {
  const length = Array.from(text).length;
  if (length > maxChars) return { ok: false, kind: 'too_long', message: `the ${name} has ${length} characters, at most ${maxChars} are kept` };
  return { ok: true, value: text === '' ? null : text };
}

/**
 * Empty -> null, else a timestamp (optionalTimestampCell) not over a day after `now`: nothing
 * was updated in the future, and a day is more than any two clocks disagree by (another
 * machine's export, a demo's pinned clock).
 */
export function optionalPastTimestampCell(text: string, now: Timestamp): CellResult<Timestamp | null> {
  const r = optionalTimestampCell(text);
  if (!r.ok || r.value === null || Date.parse(r.value) <= Date.parse(now) + DAY_MS) return r;
  return { ok: false, kind: 'bad_timestamp', message: `${shownValue(text)} is more than a day after now (${now})` };
}

const DAY_MS = 86_400_000;
