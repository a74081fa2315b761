/** Row counts of every table of a database (SPEC.md j.1 verification, j.4 counts before and after; the Data screen). */
import type { SqliteDatabase } from './open-database';

export type RowCounts = Record<string, number>;

export interface TableListOptions {
  /** Leave out tables whose name starts with `__` (the migration history, __drizzle_migrations). */
  readonly skipInternal?: boolean;
}

export function tableNames(db: SqliteDatabase, options: TableListOptions = {}): string[] {
  const internal = options.skipInternal ? ` AND name NOT LIKE '\\_\\_%' ESCAPE '\\'` : '';
  return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'${internal} ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
}

/** Names come from sqlite_master and are quoted as identifiers. */
export function tableRowCounts(db: SqliteDatabase, options: TableListOptions = {}): RowCounts {
  const out: RowCounts = {};
  for (const t of tableNames(db, options)) out[t] = (db.prepare(`SELECT count(*) AS n FROM "${t.replaceAll('"', '""')}"`).get() as { n: number }).n;
  return out;
}
