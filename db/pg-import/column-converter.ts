/**
 * Chooses the converter of a column from its PostgreSQL type (pg-import.md section 7,
 * SPEC.md j.7) and applies the converters to whole rows.
 *
 * | type | SQLite value |
 * |---|---|
 * | smallint, integer, bigint, oid | INTEGER (int8 beyond 2^53 fails the value) |
 * | numeric | REAL with the lossy round-trip check; NaN/Infinity → null |
 * | real, double precision | REAL; NaN/Infinity → null |
 * | boolean | 1 / 0 |
 * | date, timestamp, timestamptz | TEXT (see datetime-values) |
 * | character(n) | TEXT, right-trimmed |
 * | uuid | TEXT, lowercase |
 * | bytea | BLOB |
 * | enums of the dump | TEXT, checked against the dump's labels |
 * | arrays | TEXT holding JSON |
 * | json, jsonb, text, varchar, time, interval, money, anything else | TEXT as is |
 *
 * A column whose type is unknown (data-only dumps without a schema hint) is kept as text.
 */
import { arrayConverter, type ArrayElementKind } from './array-values';
import { convertDate, convertTimestamp, convertTimestamptz } from './datetime-values';
import { convertBoolean, convertFloat, convertInteger, convertNumeric } from './numeric-values';
import type { PgType } from './pg-type';
import { convertBpchar, convertBytea, convertUuid, enumConverter } from './text-values';
import type { IssueCode, IssueSeverity, IssueSink, SqliteValue, ValueConverter, ValueIssue } from './value-issue';

export type EnumCatalog = ReadonlyMap<string, readonly string[]>;

const INTEGER_TYPES = new Set(['smallint', 'integer', 'bigint', 'oid']);
const FLOAT_TYPES = new Set(['real', 'double precision']);

function elementKind(base: string): ArrayElementKind {
  if (INTEGER_TYPES.has(base) || FLOAT_TYPES.has(base) || base === 'numeric') return 'number';
  if (base === 'boolean') return 'boolean';
  return 'string';
}

/** Looks up an enum by its name as written in a column type (`public.mood`, `mood`). */
export function findEnum(enums: EnumCatalog, base: string): { name: string; labels: readonly string[] } | null {
  const direct = enums.get(base);
  if (direct) return { name: base, labels: direct };
  if (!base.includes('.')) {
    const pub = enums.get(`public.${base}`);
    if (pub) return { name: `public.${base}`, labels: pub };
  }
  return null;
}

/** The converter for a column; null means the text is stored as it is. */
export function converterFor(type: PgType | null, enums: EnumCatalog): ValueConverter | null {
  if (type === null) return null;
  const base = type.base;
  if (type.arrayDims > 0) return arrayConverter(elementKind(base));
  if (INTEGER_TYPES.has(base)) return convertInteger;
  if (base === 'numeric') return convertNumeric;
  if (FLOAT_TYPES.has(base)) return convertFloat;
  switch (base) {
    case 'boolean':
      return convertBoolean;
    case 'date':
      return convertDate;
    case 'timestamp with time zone':
      return convertTimestamptz;
    case 'timestamp without time zone':
      return convertTimestamp;
    case 'character':
      return convertBpchar;
    case 'uuid':
      return convertUuid;
    case 'bytea':
      return convertBytea;
    default: {
      const e = findEnum(enums, base);
      return e ? enumConverter(new Set(e.labels), e.name) : null;
    }
  }
}

export interface DecodedRow {
  /** 1-based position of the row in the table's data. */
  readonly rowNumber: number;
  /** SQLite-ready values, in the order of the table's data columns. */
  readonly values: SqliteValue[];
  /** Conversion warnings and errors of this row; null when there were none. */
  readonly issues: readonly ValueIssue[] | null;
  /** True when an issue has severity `error` (a value could not be converted). */
  readonly hasErrors: boolean;
}

/**
 * Collects the issues of one row, each tagged with the column being converted (raw text cut
 * to 200 characters). Shared by the dump's column converters (RowConverter) and the fitting
 * of values to our column types (target-coercion.ts), so both report alike.
 */
export class RowIssues implements IssueSink {
  /** The column the next issues belong to. */
  column = '';
  list: ValueIssue[] | null = null;
  /** True once an issue of severity `error` was collected. */
  errors = false;

  /** Starts a new row. */
  reset(): void {
    this.list = null;
    this.errors = false;
  }

  issue(code: IssueCode, severity: IssueSeverity, raw: string, message: string): void {
    (this.list ??= []).push({ code, severity, column: this.column, raw: raw.length > 200 ? `${raw.slice(0, 200)}…` : raw, message });
    if (severity === 'error') this.errors = true;
  }
}

/** Applies the column converters to text rows. One instance per table read. */
export class RowConverter {
  private readonly converters: (ValueConverter | null)[];
  private readonly sink = new RowIssues();

  constructor(
    private readonly columnNames: readonly string[],
    types: readonly (PgType | null)[],
    enums: EnumCatalog,
  ) {
    this.converters = types.map((t) => converterFor(t, enums));
  }

  /** Converts in place: the text row becomes the values array. */
  convert(row: (string | null)[], rowNumber: number): DecodedRow {
    const sink = this.sink;
    sink.reset();
    const values = row as SqliteValue[];
    const convs = this.converters;
    for (let i = 0; i < row.length; i++) {
      const t = row[i];
      if (t === null || t === undefined) continue;
      const conv = convs[i];
      if (conv) {
        sink.column = this.columnNames[i] ?? `#${i + 1}`;
        values[i] = conv(t, sink);
      }
    }
    return { rowNumber, values, issues: sink.list, hasErrors: sink.errors };
  }
}
