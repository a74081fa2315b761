/**
 * portfolio_snapshots core columns and portfolios.equity_balance (SPEC.md b.3, c.8, g.8).
 * A re-run updates the core columns in place and keeps the analytics columns.
 */
import type { IsoDate } from '../../core/domain/iso-date';
import type { SnapshotRecord, SnapshotStore } from '../../core/ports/store';
import { datedRowId } from '../ids';
import type { SqliteDatabase } from '../open-database';

/** The core value columns, in the order writeSnapshotCore binds them. */
const CORE_VALUES =
  'total_value, cash_value, long_value, short_value, gross_exposure, net_exposure, daily_pnl, daily_return, cumulative_pnl, cumulative_pnl_raw, daily_realized_pnl, cumulative_realized_pnl, daily_capital_flow, cumulative_capital_flow, portfolio_delta, portfolio_gamma, portfolio_theta, portfolio_vega, num_positions, num_long_positions, num_short_positions, num_unmarked_positions, equity_balance, is_baseline, is_complete';
const CORE = `${CORE_VALUES}, run_id, computed_at`;
/** The columns a SnapshotRecord holds (a snapshot row has 47: reading all of them costs twice as much). */
const RECORD =
  'portfolio_id, snapshot_date, total_value, cash_value, long_value, short_value, gross_exposure, net_exposure, daily_pnl, cumulative_pnl, cumulative_pnl_raw, cumulative_realized_pnl, cumulative_capital_flow, equity_balance, num_positions, is_baseline';

function toRecord(r: Record<string, unknown> | undefined): SnapshotRecord | null {
  if (!r) return null;
  return {
    portfolioId: r['portfolio_id'] as string,
    snapshotDate: r['snapshot_date'] as IsoDate,
    totalValue: r['total_value'] as number,
    cashValue: r['cash_value'] as number,
    longValue: r['long_value'] as number,
    shortValue: r['short_value'] as number,
    grossExposure: r['gross_exposure'] as number,
    netExposure: r['net_exposure'] as number,
    dailyPnl: (r['daily_pnl'] as number | null) ?? null,
    cumulativePnl: (r['cumulative_pnl'] as number | null) ?? null,
    cumulativePnlRaw: (r['cumulative_pnl_raw'] as number | null) ?? null,
    cumulativeRealizedPnl: (r['cumulative_realized_pnl'] as number | null) ?? null,
    cumulativeCapitalFlow: (r['cumulative_capital_flow'] as number | null) ?? null,
    equityBalance: (r['equity_balance'] as number | null) ?? null,
    numPositions: r['num_positions'] as number,
    isBaseline: r['is_baseline'] === 1,
  };
}

export const snapshotRowId = (portfolioId: string, date: string): string => datedRowId(date, `portfolio_snapshots:${portfolioId}:${date}`);

export function snapshotRepository(db: SqliteDatabase): SnapshotStore {
  const prev = db.prepare(`SELECT ${RECORD} FROM portfolio_snapshots WHERE portfolio_id = ? AND snapshot_date < ? ORDER BY snapshot_date DESC LIMIT 1`);
  const of = db.prepare(`SELECT ${RECORD} FROM portfolio_snapshots WHERE portfolio_id = ? AND snapshot_date = ?`);
  const latest = db.prepare(`SELECT MAX(snapshot_date) AS d FROM portfolio_snapshots WHERE portfolio_id = ?`);
  const upsert = db.prepare(
    `INSERT INTO portfolio_snapshots (id, portfolio_id, snapshot_date, created_at, ${CORE})
     VALUES (?, ?, ?, ?, ${CORE.split(',').map(() => '?').join(', ')})
     ON CONFLICT(portfolio_id, snapshot_date) DO UPDATE SET ${CORE.split(',')
       .map((c) => `${c.trim()} = excluded.${c.trim()}`)
       .join(', ')}`,
  );
  const coreOf = db.prepare(`SELECT ${CORE_VALUES} FROM portfolio_snapshots WHERE portfolio_id = ? AND snapshot_date = ?`).raw();
  const equity = db.prepare(`UPDATE portfolios SET equity_balance = ?, updated_at = ? WHERE id = ?`);
  const after = db.prepare(`SELECT snapshot_date FROM portfolio_snapshots WHERE portfolio_id = ? AND snapshot_date > ? ORDER BY snapshot_date`);
  return {
    previousSnapshot: (pid, d) => toRecord(prev.get(pid, d) as Record<string, unknown> | undefined),
    snapshotOf: (pid, d) => toRecord(of.get(pid, d) as Record<string, unknown> | undefined),
    latestSnapshotDate: (pid) => ((latest.get(pid) as { d: IsoDate | null }).d ?? null) as IsoDate | null,
    writeSnapshotCore(s, runId, nowIso) {
      const values = [
        s.totalValue, s.cashValue, s.longValue, s.shortValue, s.grossExposure, s.netExposure, s.dailyPnl, s.dailyReturn,
        s.cumulativePnl, s.cumulativePnlRaw, s.dailyRealizedPnl, s.cumulativeRealizedPnl, s.dailyCapitalFlow, s.cumulativeCapitalFlow,
        s.portfolioDelta, s.portfolioGamma, s.portfolioTheta, s.portfolioVega, s.numPositions, s.numLongPositions, s.numShortPositions,
        s.numUnmarkedPositions, s.equityBalance, s.isBaseline ? 1 : 0, 1,
      ].map((v) => v ?? null);
      const stored = coreOf.get(s.portfolioId, s.snapshotDate) as unknown[] | undefined;
      const changed = stored === undefined || values.some((v, i) => v !== stored[i]);
      if (changed) upsert.run(snapshotRowId(s.portfolioId, s.snapshotDate), s.portfolioId, s.snapshotDate, nowIso, ...values, runId, nowIso);
      return changed;
    },
    setEquityBalance(pid, value, nowIso) {
      equity.run(value, nowIso, pid);
    },
    snapshotDatesAfter: (pid, d) => (after.all(pid, d) as { snapshot_date: IsoDate }[]).map((r) => r.snapshot_date),
  };
}
