/**
 * Indexes built after the load of a new database file (SPEC.md j.7 allows loading a fresh
 * file without journal or syncs; building an index once, by sorting, costs a fraction of
 * updating it for every inserted row). Every non-unique index is deferred, and every unique
 * index of a natural key except on the tables where duplicates keep the newest row (those
 * rules need the index while loading). Primary keys stay.
 *
 * A deferred unique index that meets duplicates of its key resolves them as the live index
 * would have: the first row loaded stays, each later one is removed and reported as skipped
 * with reason `duplicate_key` (--strict: the import fails). The rebuilt indexes use the
 * statements the migrations wrote, so the file's schema equals a fresh database's.
 */
import type { SqliteDatabase } from '../open-database';
import { DumpError } from './dump-error';
import { noteSkip, type ImportReport } from './import-report';
import { KEEP_NEWEST_DUPLICATE } from './import-table-rules';
import type { SqliteValue } from './value-issue';

export interface DeferredIndex {
  readonly table: string;
  readonly name: string;
  /** The CREATE statement exactly as the migrations wrote it. */
  readonly sql: string;
  readonly unique: boolean;
  readonly columns: readonly string[];
}

/** Drops the deferrable indexes of a freshly created file; returns them for rebuildIndex. */
export function deferIndexes(db: SqliteDatabase): DeferredIndex[] {
  const rows = db.prepare(`SELECT name, tbl_name AS tbl, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`).all() as { name: string; tbl: string; sql: string }[];
  const out: DeferredIndex[] = [];
  for (const r of rows) {
    const unique = /^CREATE\s+UNIQUE\b/i.test(r.sql);
    if (unique && KEEP_NEWEST_DUPLICATE.has(r.tbl)) continue;
    const columns = (db.prepare(`PRAGMA index_info("${r.name.replace(/"/g, '""')}")`).all() as { name: string | null }[]).map((c) => c.name ?? '');
    out.push({ table: r.tbl, name: r.name, sql: r.sql, unique, columns });
    db.exec(`DROP INDEX "${r.name.replace(/"/g, '""')}"`);
  }
  return out;
}

/** Rebuilds a deferred index, resolving duplicates of a unique key (see the file comment). */
export function rebuildIndex(db: SqliteDatabase, ix: DeferredIndex, report: ImportReport, strict: boolean, primaryKey: readonly string[]): void {
  try {
    db.exec(ix.sql);
    return;
  } catch (e) {
    if (!ix.unique || (e as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw e;
  }
  const q = (c: string) => `"${c.replace(/"/g, '""')}"`;
  const keys = ix.columns.map(q).join(', ');
  const dups = db
    .prepare(
      `SELECT rowid AS rid, ${keys}${primaryKey.length ? `, ${primaryKey.map(q).join(', ')}` : ''} FROM ${q(ix.table)}
       WHERE (${keys}) IN (SELECT ${keys} FROM ${q(ix.table)} WHERE ${ix.columns.map((c) => `${q(c)} IS NOT NULL`).join(' AND ')} GROUP BY ${keys} HAVING count(*) > 1)
       ORDER BY ${keys}, rowid`,
    )
    .all() as Record<string, SqliteValue>[];
  const rep = report.tables.find((t) => t.table === ix.table);
  const del = db.prepare(`DELETE FROM ${q(ix.table)} WHERE rowid = ?`);
  let group = '';
  for (const d of dups) {
    const g = JSON.stringify(ix.columns.map((c) => d[c] ?? null));
    if (g !== group) {
      group = g; // the first row loaded with this key stays
      continue;
    }
    const key = primaryKey.length && primaryKey.every((k) => d[k] !== null && d[k] !== undefined) ? primaryKey.map((k) => String(d[k])).join('/') : `rowid ${String(d['rid'])}`;
    const detail = `UNIQUE constraint failed: ${ix.columns.map((c) => `${ix.table}.${c}`).join(', ')}`;
    if (strict) throw new DumpError('strict_violation', `--strict: ${ix.table} row ${key} cannot be stored: ${detail}`, { table: ix.table });
    del.run(d['rid']);
    if (rep) {
      rep.imported--;
      noteSkip(rep, key, 'duplicate_key', detail);
    }
  }
  db.exec(ix.sql);
}
