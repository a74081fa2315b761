/**
 * `reconcile` and `diagnose equity-cash` over a database (SPEC.md i.1, i.2): portfolio-dates
 * in a scope, reconciled with the shared checks of core/validation, sorted flagged first.
 */
import type { ReconcileInput } from '../../core/api/commands/diagnostics-commands';
import type { IsoDate } from '../../core/domain/iso-date';
import { parseSettings } from '../../core/engine/settings';
import { sortReconcileResults, type ReconcileResult } from '../../core/validation/reconciliation';
import { PortfolioDateReader, snapshotRefs } from '../../db/diagnostics/portfolio-date-inputs';
import { createEngineStore } from '../../db/engine-store';
import type { SqliteDatabase } from '../../db/open-database';
import { reportDate } from './run-dates';
import { portfolioIdsIn } from '../../db/portfolio-ids';

export interface ReconcileScope {
  readonly start: IsoDate | null;
  readonly end: IsoDate | null;
  readonly portfolioIds: readonly string[];
  /** Flag threshold in dollars; default the reconcile.threshold setting (1.00). */
  readonly threshold?: number;
}

export interface ReconcileReport {
  readonly threshold: number;
  readonly range: { readonly start: string | null; readonly end: string | null };
  readonly results: readonly ReconcileResult[];
  readonly flagged: number;
  readonly total: number;
  /**
   * Portfolio-dates whose tracking says their snapshot was computed (success, or stale since)
   * but that have none (deleted by hand, or lost): nothing there can be reconciled, and the next
   * date's roll-forward reads an older snapshot. Each is a break of its own.
   */
  readonly missingSnapshots: readonly { readonly portfolioId: string; readonly portfolioName: string; readonly date: string }[];
}

/** The tracked portfolio-dates of `refs`' scope without a snapshot (ReconcileReport.missingSnapshots). */
function trackedWithoutSnapshot(db: SqliteDatabase, scope: { start: IsoDate | null; end: IsoDate | null; portfolioIds: readonly string[] }, refs: readonly { portfolioId: string; date: string }[]): ReconcileReport['missingSnapshots'] {
  const have = new Set(refs.map((r) => `${r.date}|${r.portfolioId}`));
  const names = new Map((db.prepare(`SELECT id, name FROM portfolios WHERE deleted_at IS NULL`).all() as { id: string; name: string }[]).map((p) => [p.id, p.name]));
  const wanted = scope.portfolioIds.length ? new Set(scope.portfolioIds) : null;
  const out: { portfolioId: string; portfolioName: string; date: string }[] = [];
  for (const t of createEngineStore(db).loadTrackingRange(scope.start, scope.end)) {
    const entries = ((t.phaseStatus?.['snapshots'] as { portfolios?: Record<string, { status?: string }> } | undefined)?.portfolios ?? {}) as Record<string, { status?: string }>;
    for (const [id, e] of Object.entries(entries)) {
      if ((e.status !== 'success' && e.status !== 'stale') || !names.has(id) || (wanted && !wanted.has(id)) || have.has(`${t.runDate}|${id}`)) continue;
      out.push({ portfolioId: id, portfolioName: names.get(id)!, date: t.runDate });
    }
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.portfolioName < b.portfolioName ? -1 : 1));
}

/**
 * The latest date on or before `onOrBefore` with a complete tracking row and a snapshot (or,
 * with no tracking at all, any snapshot): the reports that default to it read snapshots, so a
 * date a run gave marks only (`run --phase marks`) is not it.
 */
export function latestProcessedDate(db: SqliteDatabase, onOrBefore: IsoDate | null = null): IsoDate | null {
  const t = db
    .prepare(
      `SELECT MAX(run_date) AS d FROM batch_run_tracking t
        WHERE completed_at IS NOT NULL AND (? IS NULL OR run_date <= ?) AND EXISTS (SELECT 1 FROM portfolio_snapshots s WHERE s.snapshot_date = t.run_date)`,
    )
    .get(onOrBefore, onOrBefore) as { d: IsoDate | null };
  if (t.d) return t.d;
  const s = db.prepare(`SELECT MAX(snapshot_date) AS d FROM portfolio_snapshots WHERE (? IS NULL OR snapshot_date <= ?)`).get(onOrBefore, onOrBefore) as { d: IsoDate | null };
  return s.d;
}

export function thresholdOf(db: SqliteDatabase, override?: number): number {
  return parseSettings(createEngineStore(db).loadSettings(), ['reconcile.threshold'], override === undefined ? {} : { 'reconcile.threshold': override })['reconcile.threshold'];
}

/**
 * The reconcile command's input, the same for the CLI and the app: `date` is one trading day;
 * a range without an end runs to the latest processed date; nothing given means the latest
 * processed date.
 */
export function reconcileInput(db: SqliteDatabase, input: ReconcileInput): ReconcileReport {
  const date = reportDate(input.date ?? null);
  const start = date ?? input.startDate ?? null;
  const end = date ?? input.endDate ?? (start ? latestProcessedDate(db) : null);
  return reconcileScope(db, { start, end, portfolioIds: input.portfolios, ...(input.threshold ? { threshold: input.threshold } : {}) });
}

export function reconcileScope(db: SqliteDatabase, scope: ReconcileScope): ReconcileReport {
  const portfolioIds = portfolioIdsIn(db, scope.portfolioIds);
  const threshold = thresholdOf(db, scope.threshold);
  let { start, end } = scope;
  if (!start && !end) start = end = latestProcessedDate(db);
  const reader = new PortfolioDateReader(db);
  const refs = start || end ? snapshotRefs(db, { start, end, portfolioIds }) : [];
  const results = refs.map((r) => reader.reconcile(r, threshold)!).filter(Boolean);
  const sorted = sortReconcileResults(results);
  const missingSnapshots = start || end ? trackedWithoutSnapshot(db, { start, end, portfolioIds }, refs) : [];
  return { threshold, range: { start, end }, results: sorted, flagged: sorted.filter((r) => r.flagged).length, total: sorted.length, missingSnapshots };
}
