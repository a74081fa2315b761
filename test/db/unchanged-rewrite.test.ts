/**
 * A rewrite of a portfolio-date's marks or snapshot with the very values stored keeps the stored
 * rows, with the run and time that wrote them, and says so (g.8): what reads them is not made
 * stale, and the guard's G1 (marks computed before the analytics) still holds. Any other value,
 * down to one flag or the last bit of a price, is a change and replaces them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../core/domain/iso-date';
import type { LotMark } from '../../core/domain/mark';
import type { SnapshotValues } from '../../core/calc/snapshot';
import { createEngineStore } from '../../db/engine-store';
import { openDatabase } from '../../db/open-database';
import { DEMO_PORTFOLIOS, SHORT_NOW } from '../support/app/demo-fixture';
import { copyDb, runDemo, seedDemoDb } from '../support/demo-db';

const D = '2025-07-01' as IsoDate;
const PID = DEMO_PORTFOLIOS.individual;
let demo = '';

beforeAll(async () => {
  demo = seedDemoDb(SHORT_NOW);
  const r = await runDemo(demo, SHORT_NOW, { targetDate: D, phases: ['market_data', 'fundamentals', 'marks', 'snapshots'] });
  expect(r.kind).toBe('run');
}, 60_000);

function opened() {
  const db = openDatabase(copyDb(demo));
  return { db, store: createEngineStore(db) };
}

type Written = { run_id: string; computed_at: string };

describe('replaceMarks', () => {
  const written = (db: ReturnType<typeof openDatabase>) =>
    db.prepare(`SELECT DISTINCT run_id, computed_at FROM position_marks WHERE portfolio_id = ? AND mark_date = ?`).all(PID, D) as Written[];

  it('keeps equal marks with their run and time, and answers false', () => {
    const { db, store } = opened();
    const stored = store.loadMarks(PID, D);
    expect(stored.length).toBeGreaterThan(1);
    const before = written(db);
    expect(before).toHaveLength(1);
    expect(store.replaceMarks(PID, D, stored, 'run-again', '2030-01-01T00:00:00.000Z')).toBe(false);
    expect(written(db)).toEqual(before);
    expect(store.loadMarks(PID, D)).toEqual(stored);
    db.close();
  });

  it.each<[string, (m: LotMark) => LotMark]>([
    ['a flag', (m) => ({ ...m, flags: [...m.flags, 'stale_price'] })],
    ['the last bit of a price', (m) => ({ ...m, price: m.price === null ? 1 : m.price * (1 + Number.EPSILON) })],
    ['a null Greek set', (m) => ({ ...m, delta: m.delta === null ? 0.5 : null })],
  ])('replaces them when one mark differs in %s, and answers true', (_, change) => {
    const { db, store } = opened();
    const stored = store.loadMarks(PID, D);
    const next = stored.map((m, i) => (i === 1 ? change(m) : m));
    expect(store.replaceMarks(PID, D, next, 'run-again', '2030-01-01T00:00:00.000Z')).toBe(true);
    expect(written(db)).toEqual([{ run_id: 'run-again', computed_at: '2030-01-01T00:00:00.000Z' }]);
    expect(store.loadMarks(PID, D)).toEqual(next);
    db.close();
  });

  it('answers true for one lot fewer, and when there were none', () => {
    const { db, store } = opened();
    const stored = store.loadMarks(PID, D);
    expect(store.replaceMarks(PID, D, stored.slice(1), 'run-again', '2030-01-01T00:00:00.000Z')).toBe(true);
    db.prepare(`DELETE FROM position_marks WHERE portfolio_id = ? AND mark_date = ?`).run(PID, D);
    expect(store.replaceMarks(PID, D, stored, 'run-3', '2030-01-02T00:00:00.000Z')).toBe(true);
    expect(store.loadMarks(PID, D)).toEqual(stored);
    db.close();
  });
});

describe('writeSnapshotCore', () => {
  /** The stored snapshot of the portfolio-date as the values the snapshots phase writes. */
  function storedValues(db: ReturnType<typeof openDatabase>): SnapshotValues & { portfolioId: string } {
    const r = db.prepare(`SELECT * FROM portfolio_snapshots WHERE portfolio_id = ? AND snapshot_date = ?`).get(PID, D) as Record<string, number | string>;
    const n = (c: string) => r[c] as number;
    return {
      portfolioId: PID,
      snapshotDate: D,
      totalValue: n('total_value'),
      cashValue: n('cash_value'),
      longValue: n('long_value'),
      shortValue: n('short_value'),
      grossExposure: n('gross_exposure'),
      netExposure: n('net_exposure'),
      dailyPnl: n('daily_pnl'),
      dailyReturn: n('daily_return'),
      cumulativePnl: n('cumulative_pnl'),
      cumulativePnlRaw: n('cumulative_pnl_raw'),
      dailyRealizedPnl: n('daily_realized_pnl'),
      cumulativeRealizedPnl: n('cumulative_realized_pnl'),
      dailyCapitalFlow: n('daily_capital_flow'),
      cumulativeCapitalFlow: n('cumulative_capital_flow'),
      portfolioDelta: n('portfolio_delta'),
      portfolioGamma: n('portfolio_gamma'),
      portfolioTheta: n('portfolio_theta'),
      portfolioVega: n('portfolio_vega'),
      numPositions: n('num_positions'),
      numLongPositions: n('num_long_positions'),
      numShortPositions: n('num_short_positions'),
      numUnmarkedPositions: n('num_unmarked_positions'),
      equityBalance: n('equity_balance'),
      isBaseline: r['is_baseline'] === 1,
      previousEquity: 0,
    };
  }
  const written = (db: ReturnType<typeof openDatabase>) =>
    db.prepare(`SELECT run_id, computed_at FROM portfolio_snapshots WHERE portfolio_id = ? AND snapshot_date = ?`).get(PID, D) as Written;

  it('keeps an equal row with its run and time, and answers false', () => {
    const { db, store } = opened();
    const before = written(db);
    expect(store.writeSnapshotCore(storedValues(db), 'run-again', '2030-01-01T00:00:00.000Z')).toBe(false);
    expect(written(db)).toEqual(before);
    db.close();
  });

  it('updates it when one core value differs, and answers true', () => {
    const { db, store } = opened();
    const values = storedValues(db);
    expect(store.writeSnapshotCore({ ...values, cashValue: values.cashValue + 0.01 }, 'run-again', '2030-01-01T00:00:00.000Z')).toBe(true);
    expect(written(db)).toEqual({ run_id: 'run-again', computed_at: '2030-01-01T00:00:00.000Z' });
    expect(storedValues(db).cashValue).toBe(values.cashValue + 0.01);
    expect(store.writeSnapshotCore({ ...values, isBaseline: !values.isBaseline }, 'run-3', '2030-01-02T00:00:00.000Z')).toBe(true);
    db.close();
  });
});
