/**
 * Purge of derived rows (SPEC.md j.4, b.6), in one transaction:
 *   - delete the derived rows whose date lies in the range (pairwise rows go with their
 *     calculation); date-level rows (symbol_factor_exposures, missing_prices) only when no
 *     portfolio filter is given;
 *   - reset the positions.mark columns of the affected lots (their cache pointed at a deleted
 *     mark) to their latest remaining mark, or to null;
 *   - reset portfolios.equity_balance of the portfolios that lost snapshots to the latest
 *     remaining snapshot's equity, or to initial_equity;
 *   - delete the tracking rows of the range (unless keepTracking); with a portfolio filter,
 *     remove those portfolios' entries from the rows instead and mark the rows stale.
 * Raw and reference rows are never deleted.
 */
import type { IsoDate } from '../../core/domain/iso-date';
import { DERIVED_TABLES } from '../../core/validation/table-catalog';
import type { SqliteDatabase } from '../open-database';
import { PURGED_PORTFOLIOS_KEY } from '../../core/engine/date-tracker';
import { scopeWhere } from '../table-scope';

export interface PurgeScope {
  readonly start: IsoDate | null;
  readonly end: IsoDate | null;
  /** Empty = every portfolio. */
  readonly portfolioIds: readonly string[];
  readonly keepTracking: boolean;
}

export interface PurgeOutcome {
  /** Rows deleted (or, for a dry run, that would be deleted) per table. */
  readonly deleted: Record<string, number>;
  readonly positionsReset: number;
  readonly portfoliosReset: number;
  readonly trackingDeleted: number;
  readonly trackingMarkedStale: number;
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

function purgedTables(scope: PurgeScope) {
  return DERIVED_TABLES.filter((t) => scope.portfolioIds.length === 0 || t.link !== 'none');
}

function rangeSql(column: string, scope: PurgeScope): { where: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (scope.start) {
    parts.push(`${column} >= ?`);
    params.push(scope.start);
  }
  if (scope.end) {
    parts.push(`${column} <= ?`);
    params.push(scope.end);
  }
  return { where: parts.length ? parts.join(' AND ') : '1 = 1', params };
}

/** What a purge would delete, without changing anything (`--dry-run`). */
export function countPurge(db: SqliteDatabase, scope: PurgeScope): PurgeOutcome {
  const deleted: Record<string, number> = {};
  for (const t of purgedTables(scope)) {
    const w = scopeWhere(t, { start: scope.start, end: scope.end, portfolioIds: scope.portfolioIds });
    deleted[t.name] = (db.prepare(`SELECT count(*) AS n FROM "${t.name}" WHERE ${w.where}`).get(...w.params) as { n: number }).n;
  }
  const lots = lotResetSql(scope);
  const positionsReset = (db.prepare(`SELECT count(*) AS n FROM positions WHERE ${lots.where}`).get(...lots.params) as { n: number }).n;
  const snaps = scopeWhere(DERIVED_TABLES.find((t) => t.name === 'portfolio_snapshots')!, { start: scope.start, end: scope.end, portfolioIds: scope.portfolioIds });
  const portfoliosReset = (db.prepare(`SELECT count(DISTINCT portfolio_id) AS n FROM portfolio_snapshots WHERE ${snaps.where}`).get(...snaps.params) as { n: number }).n;
  const tr = rangeSql('run_date', scope);
  const tracking = scope.keepTracking ? 0 : (db.prepare(`SELECT count(*) AS n FROM batch_run_tracking WHERE ${tr.where}`).get(...tr.params) as { n: number }).n;
  return {
    deleted: { ...deleted, ...(scope.portfolioIds.length === 0 && !scope.keepTracking ? { batch_run_tracking: tracking } : {}) },
    positionsReset,
    portfoliosReset,
    trackingDeleted: scope.portfolioIds.length === 0 ? tracking : 0,
    trackingMarkedStale: scope.portfolioIds.length > 0 ? tracking : 0,
  };
}

/**
 * How a backfill rebuilds what the purge deletes: from the earliest purged snapshot date, and
 * whether a run without dates gets there (the automatic range resumes after each portfolio's
 * latest snapshot, g.2, so it does only when no snapshot of the scope remains after the
 * range). Null when the range holds no snapshot of the scope.
 */
export function rebuildAfterPurge(db: SqliteDatabase, scope: PurgeScope): { readonly startDate: IsoDate; readonly automatic: boolean } | null {
  const snapshots = DERIVED_TABLES.find((t) => t.name === 'portfolio_snapshots')!;
  const snaps = scopeWhere(snapshots, { start: scope.start, end: scope.end, portfolioIds: scope.portfolioIds });
  const first = (db.prepare(`SELECT min(snapshot_date) AS d FROM portfolio_snapshots WHERE ${snaps.where}`).get(...snaps.params) as { d: IsoDate | null }).d;
  if (first === null) return null;
  if (scope.end === null) return { startDate: first, automatic: true };
  const w = scopeWhere(snapshots, { portfolioIds: scope.portfolioIds });
  const later = db.prepare(`SELECT 1 FROM portfolio_snapshots WHERE ${w.where} AND snapshot_date > ? LIMIT 1`).get(...w.params, scope.end);
  return { startDate: first, automatic: later === undefined };
}

/** Lots whose mark cache points at a date in the range (so at a mark the purge deletes). */
function lotResetSql(scope: PurgeScope): { where: string; params: unknown[] } {
  const r = rangeSql('marked_as_of', scope);
  const parts = ['marked_as_of IS NOT NULL', r.where];
  const params = [...r.params];
  if (scope.portfolioIds.length) {
    parts.push(`portfolio_id IN (${marks(scope.portfolioIds.length)})`);
    params.push(...scope.portfolioIds);
  }
  return { where: parts.join(' AND '), params };
}

function removePortfolioEntries(json: string | null, portfolioIds: ReadonlySet<string>, kind: 'phase_status' | 'metadata'): string | null {
  if (!json && kind === 'phase_status') return json;
  const v = (json ? JSON.parse(json) : {}) as Record<string, unknown>;
  if (kind === 'metadata') {
    const p = v['portfolios'] as Record<string, unknown> | undefined;
    if (p) for (const id of portfolioIds) delete p[id];
    // Which portfolios lost their entries here, so that a retry redoes them (their cells are gone).
    const before = Array.isArray(v[PURGED_PORTFOLIOS_KEY]) ? (v[PURGED_PORTFOLIOS_KEY] as string[]) : [];
    v[PURGED_PORTFOLIOS_KEY] = [...new Set([...before, ...portfolioIds])].sort();
  } else {
    for (const entry of Object.values(v)) {
      const p = (entry as { portfolios?: Record<string, unknown> } | null)?.portfolios;
      if (p) for (const id of portfolioIds) delete p[id];
    }
  }
  return JSON.stringify(v);
}

/** Runs the purge in one immediate transaction; throws (and rolls back) on any failure. */
export function purgeDerived(db: SqliteDatabase, scope: PurgeScope, nowIso: string): PurgeOutcome {
  const tx = db.transaction((): PurgeOutcome => {
    const snaps = scopeWhere(DERIVED_TABLES.find((t) => t.name === 'portfolio_snapshots')!, { start: scope.start, end: scope.end, portfolioIds: scope.portfolioIds });
    const portfolios = (db.prepare(`SELECT DISTINCT portfolio_id AS id FROM portfolio_snapshots WHERE ${snaps.where}`).all(...snaps.params) as { id: string }[]).map((r) => r.id);
    const lotScope = lotResetSql(scope);
    const lots = (db.prepare(`SELECT id FROM positions WHERE ${lotScope.where}`).all(...lotScope.params) as { id: string }[]).map((r) => r.id);
    const deleted: Record<string, number> = {};
    for (const t of purgedTables(scope)) {
      const w = scopeWhere(t, { start: scope.start, end: scope.end, portfolioIds: scope.portfolioIds });
      deleted[t.name] = db.prepare(`DELETE FROM "${t.name}" WHERE ${w.where}`).run(...w.params).changes;
    }
    const resetLot = db.prepare(
      `UPDATE positions SET (last_price, market_value, unrealized_pnl, price_date, price_source, marked_as_of) =
         (SELECT price, market_value, unrealized_pnl, price_date, price_source, mark_date FROM position_marks m WHERE m.position_id = positions.id ORDER BY mark_date DESC LIMIT 1),
         updated_at = ?
       WHERE id = ?`,
    );
    for (const id of lots) resetLot.run(nowIso, id);
    const resetEquity = db.prepare(
      `UPDATE portfolios SET equity_balance = COALESCE((SELECT s.equity_balance FROM portfolio_snapshots s WHERE s.portfolio_id = portfolios.id ORDER BY s.snapshot_date DESC LIMIT 1), initial_equity), updated_at = ? WHERE id = ?`,
    );
    for (const id of portfolios) resetEquity.run(nowIso, id);
    let trackingDeleted = 0;
    let trackingMarkedStale = 0;
    if (!scope.keepTracking) {
      const tr = rangeSql('run_date', scope);
      if (scope.portfolioIds.length === 0) {
        trackingDeleted = db.prepare(`DELETE FROM batch_run_tracking WHERE ${tr.where}`).run(...tr.params).changes;
        deleted['batch_run_tracking'] = trackingDeleted;
      } else {
        const ids = new Set(scope.portfolioIds);
        const rows = db.prepare(`SELECT run_date, phase_status, metadata FROM batch_run_tracking WHERE ${tr.where}`).all(...tr.params) as { run_date: string; phase_status: string | null; metadata: string | null }[];
        const upd = db.prepare(`UPDATE batch_run_tracking SET phase_status = ?, metadata = ?, status = 'stale', updated_at = ? WHERE run_date = ?`);
        for (const r of rows) {
          upd.run(removePortfolioEntries(r.phase_status, ids, 'phase_status'), removePortfolioEntries(r.metadata, ids, 'metadata'), nowIso, r.run_date);
          trackingMarkedStale++;
        }
      }
    }
    return { deleted, positionsReset: lots.length, portfoliosReset: portfolios.length, trackingDeleted, trackingMarkedStale };
  });
  return tx.immediate();
}
