/**
 * Typed inserts (db/typed-insert.ts): `many` stores exactly what one call per row stores —
 * same rows, same order, defaults and flags — for every count around the group size and for
 * each conflict mode; a group that fails a constraint is undone as a whole and its error
 * thrown, leaving the rows of earlier groups to the caller's transaction.
 */
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { check, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import { GROUP_ROWS, prepareInsert, type ConflictMode, type InsertRow } from '../../db/typed-insert';

const items = sqliteTable('items', { id: text('id').primaryKey(), qty: real('qty').notNull(), kind: text('kind').default('plain'), active: integer('active').default(1) }, (t) => [
  check('items_qty_positive', sql`${t.qty} > 0`),
]);

function fresh(): Database.Database {
  const db = new Database(':memory:');
  db.exec(`CREATE TABLE items (id TEXT PRIMARY KEY, qty REAL NOT NULL CHECK (qty > 0), kind TEXT DEFAULT 'plain', active INTEGER DEFAULT 1)`);
  return db;
}

const rowsOf = (db: Database.Database) => db.prepare(`SELECT rowid, * FROM items ORDER BY rowid`).all();

function sample(n: number, dupEvery = 0): InsertRow<typeof items>[] {
  return Array.from({ length: n }, (_, i) => ({
    id: dupEvery && i % dupEvery === dupEvery - 1 ? `r${i - 1}` : `r${i}`,
    qty: i + 0.5,
    ...(i % 3 === 0 ? { kind: 'special' } : {}),
    ...(i % 4 === 0 ? { active: 0 } : {}),
  }));
}

describe('prepareInsert(...).many', () => {
  it.each([0, 1, GROUP_ROWS - 1, GROUP_ROWS, GROUP_ROWS + 1, 3 * GROUP_ROWS + 5])('%i rows: the same table as one insert per row', (n) => {
    const one = fresh();
    const many = fresh();
    const single = prepareInsert(one, items);
    for (const r of sample(n)) single(r);
    prepareInsert(many, items).many(sample(n));
    expect(rowsOf(many)).toEqual(rowsOf(one));
    expect(rowsOf(many)).toHaveLength(n);
    if (n > 1) expect(rowsOf(many)[1]).toEqual({ rowid: 2, id: 'r1', qty: 1.5, kind: 'plain', active: 1 });
  });

  it.each<ConflictMode>(['ignore', 'replace'])('conflict mode %s: duplicates resolved as one insert per row resolves them', (mode) => {
    const rows = sample(2 * GROUP_ROWS + 3, 5);
    const one = fresh();
    const many = fresh();
    const single = prepareInsert(one, items, mode);
    for (const r of rows) single(r);
    prepareInsert(many, items, mode).many(rows);
    expect(rowsOf(many)).toEqual(rowsOf(one));
  });

  it('a group that fails is undone as a whole and its error thrown; earlier groups stay', () => {
    const db = fresh();
    const rows = sample(3 * GROUP_ROWS);
    rows[GROUP_ROWS + 4] = { id: 'bad', qty: -1 };
    expect(() => prepareInsert(db, items).many(rows)).toThrow(/CHECK constraint failed: qty > 0|items_qty_positive/);
    expect(rowsOf(db).map((r) => (r as { id: string }).id)).toEqual(rows.slice(0, GROUP_ROWS).map((r) => r.id));
    // a duplicate key inside the group fails it the same way
    const dup = fresh();
    const withDup = sample(2 * GROUP_ROWS);
    withDup[GROUP_ROWS + 2] = { id: 'r0', qty: 1 };
    expect(() => prepareInsert(dup, items).many(withDup)).toThrow(/UNIQUE constraint failed: items.id/);
    expect(rowsOf(dup)).toHaveLength(GROUP_ROWS);
  });
});
