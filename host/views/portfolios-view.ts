/** The portfolio list for pickers and the reconciliation view. */
import type { PortfolioSummary } from '../../core/api/commands/view-commands';
import type { SqliteDatabase } from '../../db/open-database';

export function portfolioList(db: SqliteDatabase, includeDeleted: boolean): PortfolioSummary[] {
  const rows = db
    .prepare(
      `SELECT p.id, p.name, p.account_name, p.is_active, p.deleted_at, p.equity_balance, p.initial_equity,
              (SELECT count(*) FROM positions x WHERE x.portfolio_id = p.id AND x.deleted_at IS NULL) AS positions,
              (SELECT min(x.entry_date) FROM positions x WHERE x.portfolio_id = p.id AND x.deleted_at IS NULL) AS first_entry,
              (SELECT max(s.snapshot_date) FROM portfolio_snapshots s JOIN batch_run_tracking t ON t.run_date = s.snapshot_date
                 WHERE s.portfolio_id = p.id AND t.completed_at IS NOT NULL) AS latest_snapshot
       FROM portfolios p WHERE (? = 1 OR p.deleted_at IS NULL) ORDER BY p.name`,
    )
    .all(includeDeleted ? 1 : 0) as Record<string, string | number | null>[];
  return rows.map((r) => ({
    id: r['id'] as string,
    name: r['name'] as string,
    accountName: r['account_name'] as string,
    isActive: r['is_active'] === 1,
    deleted: r['deleted_at'] !== null,
    equityBalance: (r['equity_balance'] as number | null) ?? null,
    initialEquity: (r['initial_equity'] as number | null) ?? null,
    positions: r['positions'] as number,
    firstEntryDate: (r['first_entry'] as string | null) ?? null,
    latestSnapshotDate: (r['latest_snapshot'] as string | null) ?? null,
  }));
}
