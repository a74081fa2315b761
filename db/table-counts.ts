/** Row counts of every table of a database (SPEC.md j.1 verification, j.4 counts before and after). */
import type { SqliteDatabase } from './open-database';

export type RowCounts = Record<string, number>;

export function tableNames(db: SqliteDatabase): string[] {
  return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
}

export function tableRowCounts(db: SqliteDatabase): RowCounts {
  const out: RowCounts = {};
  for (const t of tableNames(db)) out[t] = (db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n;
  return out;
}
