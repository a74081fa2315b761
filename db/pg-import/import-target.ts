/**
 * The import's target: batchdesk's own tables as the migrations created them (SPEC.md b),
 * read with `PRAGMA table_info` so the mapping always follows the shipped schema. Tables and
 * columns map by name from the dump (j.7); the foreign keys tell --merge what to re-point
 * (merged-ids.ts). Bookkeeping tables only batchdesk writes
 * (run_lock, maintenance_log) and the migration history are never imported.
 *
 * For data-only dumps (no CREATE TABLE) the reference column types are inferred from ours:
 * REAL → numeric, 0/1 flags → boolean, INTEGER → bigint, `*_at` / `last_updated` →
 * timestamptz, dates by name → date, the rest text.
 */
import Database from 'better-sqlite3';
import { shippedMigrations, type SqliteDatabase } from '../open-database';
import type { SchemaHint } from './dump-catalog';

export interface TargetColumn {
  readonly name: string;
  /** SQLite declared type: TEXT, INTEGER, REAL or BLOB. */
  readonly type: string;
  readonly notNull: boolean;
  readonly hasDefault: boolean;
  readonly pk: boolean;
}

export interface TargetTable {
  readonly name: string;
  readonly columns: readonly TargetColumn[];
  /** Primary-key column names in key order. */
  readonly primaryKey: readonly string[];
  /**
   * Unique indexes (column lists), the natural keys, in index-name order: the first is the one a
   * merge matches by (table-writer.ts), whatever order SQLite lists a file's indexes in (a file
   * whose indexes were rebuilt lists them otherwise). So users match by `email`, not by the
   * `user_key` the import derives from the id.
   */
  readonly uniqueKeys: readonly (readonly string[])[];
  /** Single-column foreign keys: `column` references `parentColumn` of `parent`. */
  readonly foreignKeys: readonly TargetForeignKey[];
}

export interface TargetForeignKey {
  readonly column: string;
  readonly parent: string;
  readonly parentColumn: string;
}

const NEVER_IMPORTED = new Set(['run_lock', 'maintenance_log', '__drizzle_migrations']);

/** Columns holding 0/1 flags (CHECK … IN (0, 1) in the schema). */
export const FLAG_COLUMNS = new Set(['is_active', 'is_etf', 'is_fund', 'active', 'is_baseline', 'is_complete', 'is_archived', 'cancel_requested']);

export function readTargetTables(db: SqliteDatabase): Map<string, TargetTable> {
  const names = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[])
    .map((r) => r.name)
    .filter((n) => !NEVER_IMPORTED.has(n));
  const out = new Map<string, TargetTable>();
  for (const name of names) {
    const info = db.prepare(`PRAGMA table_info("${name.replace(/"/g, '""')}")`).all() as {
      name: string;
      type: string;
      notnull: number;
      dflt_value: unknown;
      pk: number;
    }[];
    const columns = info.map((c) => ({ name: c.name, type: c.type.toUpperCase(), notNull: c.notnull === 1, hasDefault: c.dflt_value !== null, pk: c.pk > 0 }));
    const primaryKey = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
    const uniqueKeys: string[][] = [];
    const indexes = db.prepare(`PRAGMA index_list("${name.replace(/"/g, '""')}")`).all() as { name: string; unique: number; origin: string }[];
    for (const idx of indexes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (idx.unique !== 1 || idx.origin === 'pk') continue;
      const cols = (db.prepare(`PRAGMA index_info("${idx.name.replace(/"/g, '""')}")`).all() as { name: string }[]).map((c) => c.name);
      uniqueKeys.push(cols);
    }
    const fkRows = db.prepare(`PRAGMA foreign_key_list("${name.replace(/"/g, '""')}")`).all() as { id: number; table: string; from: string; to: string | null }[];
    // Composite keys (none in our schema) are left out: re-pointing follows single-column references.
    const foreignKeys = fkRows
      .filter((f) => f.to !== null && fkRows.filter((g) => g.id === f.id).length === 1)
      .map((f) => ({ column: f.from, parent: f.table, parentColumn: f.to! }));
    out.set(name, { name, columns, primaryKey, uniqueKeys, foreignKeys });
  }
  return out;
}

/** The PostgreSQL type the reference most likely used for one of our columns (data-only dumps). */
export function referenceTypeOf(table: string, c: TargetColumn): string {
  if (FLAG_COLUMNS.has(c.name)) return 'boolean';
  if (c.type === 'REAL') return 'numeric';
  if (c.type === 'INTEGER') return 'bigint';
  if (c.type === 'BLOB') return 'bytea';
  if (/_at$/.test(c.name) || c.name === 'last_updated' || (table === 'correlation_calculations' && c.name === 'calculation_date')) {
    return 'timestamp with time zone';
  }
  if (/(^|_)date$/.test(c.name) || /^period_(start|end)$/.test(c.name) || c.name === 'run_date' || c.name === 'calc_date' || c.name === 'range_start' || c.name === 'range_end') {
    return 'date';
  }
  return 'text';
}

/** Our tables as the shipped migrations define them (an in-memory database). */
export function shippedTargetTables(): Map<string, TargetTable> {
  const db = new Database(':memory:');
  try {
    for (const m of shippedMigrations()) for (const stmt of m.statements) db.exec(stmt);
    return readTargetTables(db);
  } finally {
    db.close();
  }
}

/** Reference column types for data-only dumps, inferred from our schema. */
export function schemaHintFor(targets: ReadonlyMap<string, TargetTable>, schema: string): SchemaHint {
  return (s, table) => {
    if (s !== schema) return null;
    const t = targets.get(table);
    return t ? t.columns.map((c) => ({ name: c.name, type: referenceTypeOf(table, c) })) : null;
  };
}
