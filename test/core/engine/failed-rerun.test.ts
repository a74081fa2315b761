/**
 * g.8: "re-running a date leaves exactly the rows a first run would have left". A re-run of a
 * portfolio-date that fails (here blocked: the previous day's snapshot was deleted) keeps no row
 * an earlier run wrote for it: a first run that failed there left none. Before, the old marks,
 * snapshot and analytics stayed beside a failed tracking entry; the guard's G2 then flagged the
 * analytics rows and closed the gate, and the run's own advice was refused at it. Its later dates
 * read the old rows, so they become stale; the advised range and a retry then give back the
 * content of the backfill (m.12). The same holds for a retry that redoes a portfolio-date's
 * marks, snapshots and analytics (its stale cells) and fails: before, it kept the old rows, and
 * every later date rolled forward from that stale snapshot and was recorded a success.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../core/domain/iso-date';
import { DEMO_PORTFOLIOS, SHORT_NOW } from '../../support/app/demo-fixture';
import { runCli } from '../../support/cli';
import { copyDb, runDemo, seedDemoDb } from '../../support/demo-db';

const P = DEMO_PORTFOLIOS.individual;
const OWNED = ['position_marks', 'portfolio_snapshots', 'factor_exposures', 'position_factor_exposures', 'position_market_betas', 'position_volatility', 'correlation_calculations', 'stress_test_results'];

function rowsOf(path: string, date: string): Record<string, number> {
  const db = new Database(path, { readonly: true });
  try {
    const dateColumn: Record<string, string> = { position_marks: 'mark_date', portfolio_snapshots: 'snapshot_date', position_market_betas: 'calc_date' };
    return Object.fromEntries(
      OWNED.map((t) => {
        const where = t === 'position_factor_exposures' || t === 'position_volatility' ? `position_id IN (SELECT id FROM positions WHERE portfolio_id = ?)` : 'portfolio_id = ?';
        return [t, (db.prepare(`SELECT count(*) AS n FROM ${t} WHERE ${where} AND ${dateColumn[t] ?? 'calculation_date'} = ?`).get(P, date) as { n: number }).n];
      }),
    );
  } finally {
    db.close();
  }
}

function snapshots(path: string): unknown[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(`SELECT portfolio_id, snapshot_date, total_value, cash_value, daily_pnl, cumulative_pnl, equity_balance FROM portfolio_snapshots ORDER BY 1, 2`).all();
  } finally {
    db.close();
  }
}

describe('a failed re-run of a portfolio-date (g.8)', () => {
  it('keeps no row of the earlier run, leaves the gate open, and the advised runs give the backfill back', async () => {
    const backfilled = copyDb(seedDemoDb(SHORT_NOW));
    expect((await runDemo(backfilled, SHORT_NOW)).exitCode).toBe(0);
    const path = copyDb(backfilled);
    expect(Object.values(rowsOf(path, '2025-07-09')).every((n) => n > 0)).toBe(true);
    const w = new Database(path);
    w.prepare(`DELETE FROM portfolio_snapshots WHERE portfolio_id = ? AND snapshot_date = '2025-07-08'`).run(P);
    w.close();

    const rerun = await runDemo(path, SHORT_NOW, { targetDate: '2025-07-09' as IsoDate, portfolios: [P] });
    if (rerun.kind !== 'run') throw new Error(`a run was expected, got ${rerun.kind}`);
    expect(rerun.exitCode).toBe(1);
    expect(rerun.summary.blocked).toMatchObject([{ blocked_by: '2025-07-08', portfolios: [P] }]);
    expect(rowsOf(path, '2025-07-09')).toEqual(Object.fromEntries(OWNED.map((t) => [t, 0])));
    expect(rerun.summary.guard).toMatchObject({ status: 'pass' });

    // The advised range, then the retry of the later dates made stale, give back the backfill.
    expect((await runDemo(path, SHORT_NOW, { startDate: '2025-07-08' as IsoDate, endDate: '2025-07-09' as IsoDate, portfolios: [P] })).exitCode).toBe(0);
    expect((await runDemo(path, SHORT_NOW, { retryFailedPhases: true })).exitCode).toBe(0);
    expect(snapshots(path)).toEqual(snapshots(backfilled));
  }, 300_000);

  it('a retry of stale dates that fails keeps no row of theirs either, so the later dates are blocked instead of rolling forward from a stale snapshot', async () => {
    const backfilled = copyDb(seedDemoDb(SHORT_NOW));
    expect((await runDemo(backfilled, SHORT_NOW)).exitCode).toBe(0);
    const path = copyDb(backfilled);
    // Two dates purged, then only their marks run: the later dates go stale, and their retry
    // cannot compute 2025-07-09's snapshot (no snapshot on 2025-07-08).
    const purged = await runCli(['purge', '--db', path, '--from', '2025-07-07', '--to', '2025-07-08', '--yes', '--no-backup', '--quiet'], { BATCHDESK_NOW: SHORT_NOW });
    expect(purged.code, purged.stderr).toBe(0);
    expect((await runDemo(path, SHORT_NOW, { startDate: '2025-07-07' as IsoDate, endDate: '2025-07-08' as IsoDate, phases: ['marks'] })).exitCode).toBe(0);

    const retry = await runDemo(path, SHORT_NOW, { retryFailedPhases: true });
    if (retry.kind !== 'run') throw new Error(`a run was expected, got ${retry.kind}`);
    expect(retry.exitCode).toBe(1);
    expect(retry.summary.blocked).toMatchObject([{ blocked_by: '2025-07-07', first_date: '2025-07-09' }]);
    // Every portfolio-date it ran rolled back: none of the marks it computed is counted as written.
    expect(retry.summary.market_data.model_count).toBe(0);
    // Before, 2025-07-09 failed with its old rows kept, and every later date succeeded on them.
    const db = new Database(path, { readonly: true });
    try {
      expect(db.prepare(`SELECT DISTINCT status FROM batch_run_tracking WHERE run_date > '2025-07-08'`).all()).toEqual([{ status: 'failed' }]);
      expect(db.prepare(`SELECT count(*) AS n FROM portfolio_snapshots WHERE snapshot_date > '2025-07-03'`).get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
    expect(rowsOf(path, '2025-07-10')).toEqual(Object.fromEntries(OWNED.map((t) => [t, 0])));
    expect(retry.summary.guard).toMatchObject({ status: 'pass' });

    // The advised range gives the backfill back.
    expect((await runDemo(path, SHORT_NOW, { startDate: '2025-07-07' as IsoDate })).exitCode).toBe(0);
    expect(snapshots(path)).toEqual(snapshots(backfilled));
  }, 300_000);
});
