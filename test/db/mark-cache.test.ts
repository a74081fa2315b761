/**
 * The positions.mark cache (SPEC.md b.3, c.7 step 6, g.8): replaceMarks writes each marked lot's
 * cache columns from the portfolio-date's marks, and only when the date is on or after the lot's
 * marked_as_of, so re-running an old date never replaces a newer mark. Lots of other portfolios
 * and lots without a mark that date are left alone.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../core/domain/iso-date';
import { createEngineStore } from '../../db/engine-store';
import { openDatabase, type SqliteDatabase } from '../../db/open-database';
import { DEMO_PORTFOLIOS, SHORT_NOW } from '../support/app/demo-fixture';
import { copyDb, demoWithMarks } from '../support/demo-db';

const D1 = '2025-07-01' as IsoDate;
const D2 = '2025-07-02' as IsoDate;
const PID = DEMO_PORTFOLIOS.individual;
const NOW = '2030-01-01T00:00:00.000Z';
let demo = '';

beforeAll(async () => {
  demo = await demoWithMarks(SHORT_NOW, D1, D2);
}, 60_000);

interface CacheRow {
  id: string;
  portfolio_id: string;
  last_price: number | null;
  market_value: number | null;
  unrealized_pnl: number | null;
  price_date: string | null;
  price_source: string | null;
  marked_as_of: string | null;
  updated_at: string | null;
}

const cacheRows = (db: SqliteDatabase) =>
  db
    .prepare(
      `SELECT id, portfolio_id, last_price, market_value, unrealized_pnl, price_date, price_source, marked_as_of, updated_at FROM positions ORDER BY id`,
    )
    .all() as CacheRow[];

/** What the cache of each lot marked on `d` should hold: that mark's values. */
const markedOn = (db: SqliteDatabase, pid: string, d: IsoDate) =>
  db
    .prepare(
      `SELECT position_id AS id, price AS last_price, market_value, unrealized_pnl, price_date, price_source, mark_date AS marked_as_of
       FROM position_marks WHERE portfolio_id = ? AND mark_date = ? ORDER BY position_id`,
    )
    .all(pid, d) as Omit<CacheRow, 'portfolio_id' | 'updated_at'>[];

const withoutTime = ({ updated_at: _, portfolio_id: __, ...r }: CacheRow) => r;

describe('the positions.mark cache', () => {
  it('holds each lot’s newest mark after a backfill', () => {
    const db = openDatabase(copyDb(demo), { readonly: true });
    const newest = markedOn(db, PID, D2);
    expect(newest.length).toBeGreaterThan(1);
    const byId = new Map(cacheRows(db).map((r) => [r.id, withoutTime(r)]));
    for (const m of newest) expect(byId.get(m.id)).toEqual(m);
    db.close();
  });

  it('is rewritten from the date’s marks, on every marked lot of that portfolio and no other', () => {
    const db = openDatabase(copyDb(demo));
    const store = createEngineStore(db);
    const before = cacheRows(db);
    const next = store.loadMarks(PID, D2).map((m) => ({ ...m, price: m.price === null ? null : m.price + 1, marketValue: (m.marketValue ?? 0) + 7 }));
    expect(store.replaceMarks(PID, D2, next, 'run-again', NOW)).toBe(true);
    const after = cacheRows(db);
    const marked = new Set(next.map((m) => m.positionId));
    for (const [i, row] of after.entries()) {
      const m = next.find((x) => x.positionId === row.id);
      if (!m) {
        expect(row, `lot ${row.id} has no mark on ${D2}`).toEqual(before[i]);
        continue;
      }
      expect(row.portfolio_id).toBe(PID);
      expect(row).toMatchObject({ last_price: m.price, market_value: m.marketValue, unrealized_pnl: m.unrealizedPnl, price_date: m.priceDate, price_source: m.priceSource, marked_as_of: D2, updated_at: NOW });
    }
    expect(after.filter((r) => marked.has(r.id))).toHaveLength(marked.size);
    db.close();
  });

  it('keeps a newer mark when an older date is re-run', () => {
    const db = openDatabase(copyDb(demo));
    const store = createEngineStore(db);
    const before = cacheRows(db);
    const older = store.loadMarks(PID, D1).map((m) => ({ ...m, price: m.price === null ? null : m.price * 2 }));
    expect(store.replaceMarks(PID, D1, older, 'run-again', NOW)).toBe(true);
    expect(cacheRows(db)).toEqual(before);
    db.close();
  });
});
