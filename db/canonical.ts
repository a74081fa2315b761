/**
 * The canonical content of a database (SPEC.md m.12), read with SQL: rows of every content
 * table keyed by their natural key, foreign ids replaced by natural keys (factor names,
 * scenario keys, a correlation calculation's portfolio/window/date, tag names), volatile
 * columns dropped. Per-table SHA-256 checksums over the canonical rows make "same content"
 * one comparison; restore round trips, crash consistency, baselines and monitor-only use it.
 *
 *   const a = contentChecksums(db);            // { position_marks: { rows, sha256 }, ... }
 *   const diff = diffChecksums(a, contentChecksums(other));
 */
import { createHash } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import {
  canonicalRowText,
  isVolatileName,
  sortKeyedRows,
  type CanonicalScalar,
  type JsonColumns,
  type KeyedRow,
} from '../core/validation/canonical-form';
import { TABLE_CATALOG, tableSpec, type IdMapping, type TableSpec } from '../core/validation/table-catalog';
import { openReadOnlyConnection, tableExists, type SqliteDatabase } from './open-database';
import { statementCache } from './statement-cache';
import { scopeWhere, type RowScope } from './table-scope';

export type { RowScope } from './table-scope';

export interface TableChecksum {
  readonly rows: number;
  readonly sha256: string;
}

export type ContentChecksums = Readonly<Record<string, TableChecksum>>;

/** Lookups from foreign ids to natural keys, loaded once per reader. */
export interface IdMaps {
  readonly factor: ReadonlyMap<string, string>;
  readonly scenario: ReadonlyMap<string, string>;
  readonly correlation: ReadonlyMap<string, string>;
  readonly tag: ReadonlyMap<string, string>;
}

/** Loads the id → natural key maps (correlation keys only for the given calculation ids when provided). */
export function loadIdMaps(db: SqliteDatabase): IdMaps {
  const pairs = (sql: string) => new Map((db.prepare(sql).raw().all() as [string, string][]).map(([a, b]) => [a, b]));
  return {
    factor: pairs(`SELECT id, name FROM factor_definitions`),
    scenario: pairs(`SELECT id, scenario_id FROM stress_test_scenarios`),
    correlation: pairs(`SELECT id, portfolio_id || '|' || duration_days || '|' || calculation_date FROM correlation_calculations`),
    tag: pairs(`SELECT id, user_id || '|' || name FROM tags_v2`),
  };
}

export function jsonColumnsOf(spec: TableSpec): JsonColumns {
  return { columns: new Set(spec.json), dropKeys: new Set(spec.dropJsonKeys ?? []) };
}

/** How a kept stored column becomes a comparable value: under which name, mapped how. */
interface ColumnPlan {
  /** The comparable name: the column's, or its id mapping's. */
  readonly as: string;
  readonly mapping: IdMapping | null;
}

const plans = new WeakMap<TableSpec, Map<string, readonly (ColumnPlan | null)[]>>();

/** The plan of each column in `columns` (null = dropped: a volatile or non-content id column), once per table and column list. */
function columnPlan(spec: TableSpec, columns: readonly string[]): readonly (ColumnPlan | null)[] {
  let bySignature = plans.get(spec);
  if (!bySignature) plans.set(spec, (bySignature = new Map()));
  const signature = columns.join('\u0000');
  let plan = bySignature.get(signature);
  if (!plan) {
    const drop = new Set(spec.dropColumns);
    plan = columns.map((column) => {
      if (drop.has(column) || isVolatileName(column)) return null;
      const mapping = spec.mapIds?.[column] ?? null;
      return { as: mapping ?? column, mapping };
    });
    bySignature.set(signature, plan);
  }
  return plan;
}

/** One stored row (its values in `plan` order) in comparable form. */
function keyedRow(spec: TableSpec, plan: readonly (ColumnPlan | null)[], row: readonly unknown[], maps: IdMaps): KeyedRow {
  const values: Record<string, CanonicalScalar> = {};
  for (let i = 0; i < plan.length; i++) {
    const c = plan[i];
    if (!c) continue;
    const v = row[i];
    const value = (typeof v === 'bigint' ? Number(v) : v) as CanonicalScalar;
    values[c.as] = c.mapping ? (value === null ? null : (maps[c.mapping].get(String(value)) ?? `unknown:${String(value)}`)) : value;
  }
  return { key: JSON.stringify(spec.key.map((k) => values[k] ?? null)), values };
}

/** One stored row in comparable form (volatile and id columns dropped, foreign ids mapped). */
export function toKeyedRow(spec: TableSpec, row: Record<string, unknown>, maps: IdMaps): KeyedRow {
  const columns = Object.keys(row);
  return keyedRow(spec, columnPlan(spec, columns), columns.map((c) => row[c]), maps);
}

/**
 * Each connection's statements, prepared once: baselines and monitor-only runs read every
 * table once per portfolio-date (preparing them each time was 8% of a baseline export).
 */
const statementsOf = new WeakMap<SqliteDatabase, (sql: string) => Statement>();

function preparedOn(db: SqliteDatabase, sql: string): Statement {
  let cache = statementsOf.get(db);
  if (!cache) statementsOf.set(db, (cache = statementCache(db)));
  return cache(sql);
}

/** Rows of a table in comparable form, sorted by natural key, restricted to a scope (derived tables). */
export function readKeyedRows(db: SqliteDatabase, table: string, scope: RowScope = {}, maps: IdMaps = loadIdMaps(db)): KeyedRow[] {
  const spec = tableSpec(table);
  if (!spec) throw new Error(`no canonical form for table ${table}`);
  const { where, params } = scopeWhere(spec, scope);
  // Rows as arrays in column order (cheaper than objects), read through the table's column plan.
  const stmt = preparedOn(db, `SELECT * FROM "${table}" WHERE ${where}`).raw(true);
  const plan = columnPlan(spec, stmt.columns().map((c) => c.name));
  const rows = stmt.all(...params) as unknown[][];
  return sortKeyedRows(
    rows.map((r) => keyedRow(spec, plan, r, maps)),
    jsonColumnsOf(spec),
  );
}

/** SHA-256 over the canonical rows of a table (one line per row, in natural-key order). */
export function checksumRows(spec: TableSpec, rows: readonly KeyedRow[]): TableChecksum {
  const h = createHash('sha256');
  const json = jsonColumnsOf(spec);
  for (const r of rows) h.update(`${canonicalRowText(r, json)}\n`);
  return { rows: rows.length, sha256: h.digest('hex') };
}

export interface ChecksumOptions {
  /** Tables to include (default: every content table of the catalog). */
  readonly tables?: readonly string[];
  readonly scope?: RowScope;
}

/** Per-table canonical checksums of a database's content. */
export function contentChecksums(db: SqliteDatabase, options: ChecksumOptions = {}): ContentChecksums {
  const maps = loadIdMaps(db);
  const names = options.tables ?? TABLE_CATALOG.map((t) => t.name);
  const out: Record<string, TableChecksum> = {};
  for (const name of names) {
    if (!tableExists(db, name)) continue;
    out[name] = checksumRows(tableSpec(name)!, readKeyedRows(db, name, options.scope ?? {}, maps));
  }
  return out;
}

/** Checksums of a database file, opened read-only (the file is not changed). */
export function fileContentChecksums(path: string, options: ChecksumOptions = {}): ContentChecksums {
  const db = openReadOnlyConnection(path);
  try {
    return contentChecksums(db, options);
  } finally {
    db.close();
  }
}

/** Tables whose checksums differ (or exist on one side only). */
export function diffChecksums(a: ContentChecksums, b: ContentChecksums): string[] {
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...names].filter((n) => a[n]?.sha256 !== b[n]?.sha256).sort();
}
