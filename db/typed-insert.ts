/**
 * Typed bulk writes close to raw better-sqlite3 speed (STACK.md section 3): the statement is
 * built once from the drizzle table's column list, rows are typed by the table's insert type,
 * and values bind positionally. Used for every hot write path.
 */
import { getTableColumns, getTableName } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { SqliteDatabase } from './open-database';

export type InsertRow<T extends SQLiteTable> = T['$inferInsert'];

export type ConflictMode = 'abort' | 'ignore' | 'replace';

export interface TypedInsert<T extends SQLiteTable> {
  (row: InsertRow<T>): void;
  readonly sql: string;
}

export function prepareInsert<T extends SQLiteTable>(db: SqliteDatabase, table: T, mode: ConflictMode = 'abort'): TypedInsert<T> {
  const columns = Object.entries(getTableColumns(table)) as [string, { name: string; default?: unknown }][];
  const verb = mode === 'ignore' ? 'INSERT OR IGNORE' : mode === 'replace' ? 'INSERT OR REPLACE' : 'INSERT';
  const sql = `${verb} INTO "${getTableName(table)}" (${columns.map(([, c]) => `"${c.name}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
  const stmt = db.prepare(sql);
  const keys = columns.map(([k]) => k);
  // Omitted properties take the column's literal default, as an INSERT without the column would.
  const defaults = columns.map(([, c]) => (typeof c.default === 'number' || typeof c.default === 'string' ? c.default : null));
  const values: unknown[] = new Array(keys.length);
  const insert = ((row: InsertRow<T>) => {
    const r = row as Record<string, unknown>;
    for (let i = 0; i < keys.length; i++) {
      const v = r[keys[i]!];
      values[i] = v === undefined ? defaults[i] : typeof v === 'boolean' ? (v ? 1 : 0) : v;
    }
    stmt.run(values);
  }) as TypedInsert<T>;
  Object.defineProperty(insert, 'sql', { value: sql });
  return insert;
}

/** The SQL column name of each property of a table (for hand-written queries that stay in sync). */
export function columnNames<T extends SQLiteTable>(table: T): Record<keyof T['$inferSelect'], string> {
  const out: Record<string, string> = {};
  for (const [k, c] of Object.entries(getTableColumns(table)) as [string, { name: string }][]) out[k] = c.name;
  return out as Record<keyof T['$inferSelect'], string>;
}
