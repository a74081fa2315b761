/** A portfolio's daily snapshots (SPEC.md b.3 portfolio_snapshots) for the analytics charts. */
import type { SnapshotRow } from '../../core/api/commands/view-commands';
import type { SqliteDatabase } from '../../db/open-database';
import { includeFlag, visibleDateSql } from './completeness';

export const SNAPSHOT_COLUMNS = `s.snapshot_date, s.total_value, s.cash_value, s.long_value, s.short_value, s.gross_exposure, s.net_exposure,
  s.daily_pnl, s.daily_return, s.cumulative_pnl, s.daily_capital_flow, s.equity_balance, s.num_positions, s.num_unmarked_positions,
  s.is_baseline, s.realized_volatility_21d, s.realized_volatility_63d, s.expected_volatility_21d, s.volatility_trend,
  s.volatility_percentile, s.beta_calculated_90d, s.beta_provider_1y, s.hhi, s.effective_num_positions,
  s.top_3_concentration, s.top_10_concentration`;

export type SnapshotDbRow = Record<string, string | number | null>;

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

export function toSnapshotRow(r: SnapshotDbRow): SnapshotRow {
  return {
    date: r['snapshot_date'] as SnapshotRow['date'],
    totalValue: r['total_value'] as number,
    cashValue: r['cash_value'] as number,
    longValue: r['long_value'] as number,
    shortValue: r['short_value'] as number,
    grossExposure: r['gross_exposure'] as number,
    netExposure: r['net_exposure'] as number,
    dailyPnl: num(r['daily_pnl']),
    dailyReturn: num(r['daily_return']),
    cumulativePnl: num(r['cumulative_pnl']),
    dailyCapitalFlow: num(r['daily_capital_flow']),
    equityBalance: num(r['equity_balance']),
    numPositions: r['num_positions'] as number,
    numUnmarkedPositions: r['num_unmarked_positions'] as number,
    isBaseline: r['is_baseline'] === 1,
    realizedVolatility21d: num(r['realized_volatility_21d']),
    realizedVolatility63d: num(r['realized_volatility_63d']),
    expectedVolatility21d: num(r['expected_volatility_21d']),
    volatilityTrend: (r['volatility_trend'] as string | null) ?? null,
    volatilityPercentile: num(r['volatility_percentile']),
    betaCalculated90d: num(r['beta_calculated_90d']),
    betaProvider1y: num(r['beta_provider_1y']),
    hhi: num(r['hhi']),
    effectiveNumPositions: num(r['effective_num_positions']),
    top3Concentration: num(r['top_3_concentration']),
    top10Concentration: num(r['top_10_concentration']),
  };
}

export function snapshotSeries(
  db: SqliteDatabase,
  q: { portfolioId: string; startDate?: string | undefined; endDate?: string | undefined; includeIncomplete: boolean },
): SnapshotRow[] {
  const rows = db
    .prepare(
      `SELECT ${SNAPSHOT_COLUMNS} FROM portfolio_snapshots s
       WHERE s.portfolio_id = ? AND (? IS NULL OR s.snapshot_date >= ?) AND (? IS NULL OR s.snapshot_date <= ?) AND ${visibleDateSql('s.snapshot_date')}
       ORDER BY s.snapshot_date`,
    )
    .all(q.portfolioId, q.startDate ?? null, q.startDate ?? null, q.endDate ?? null, q.endDate ?? null, includeFlag(q.includeIncomplete)) as SnapshotDbRow[];
  return rows.map(toSnapshotRow);
}

export function snapshotOn(db: SqliteDatabase, portfolioId: string, date: string, includeIncomplete: boolean): SnapshotRow | null {
  const r = db
    .prepare(`SELECT ${SNAPSHOT_COLUMNS} FROM portfolio_snapshots s WHERE s.portfolio_id = ? AND s.snapshot_date = ? AND ${visibleDateSql('s.snapshot_date')}`)
    .get(portfolioId, date, includeFlag(includeIncomplete)) as SnapshotDbRow | undefined;
  return r ? toSnapshotRow(r) : null;
}

/** The latest visible snapshot date of a portfolio, or null. */
export function latestSnapshotDate(db: SqliteDatabase, portfolioId: string): string | null {
  const r = db
    .prepare(`SELECT max(s.snapshot_date) AS d FROM portfolio_snapshots s WHERE s.portfolio_id = ? AND ${visibleDateSql('s.snapshot_date')}`)
    .get(portfolioId, 0) as { d: string | null };
  return r.d;
}
