/**
 * `verify coverage` (SPEC.md i.6): for every trading day D in [S, E] and every in-scope
 * portfolio whose earliest entry date is <= D: a complete snapshot; marks when lots are
 * active; position and portfolio factor exposures and stress results when the portfolio had a
 * public marked lot and the missing-marks guard did not trip (and the jobs writing them were
 * not legitimately inapplicable); a tracking row with status success or partial, not stale.
 */
import { tradingDaysBetween } from '../../core/calendar';
import type { IsoDate } from '../../core/domain/iso-date';
import type { TrackingRecord } from '../../core/ports/store';
import { isActiveOn } from '../../core/domain/portfolio';
import { isBenignSkip } from '../../core/domain/job-outcome';
import { coverageGaps, type CoverageDay, type CoverageGap } from '../../core/validation/coverage-gaps';
import { JOB_TABLES } from '../../core/validation/regression-guard';
import { PortfolioDateReader } from '../../db/diagnostics/portfolio-date-inputs';
import type { SqliteDatabase } from '../../db/open-database';
import { portfoliosIn } from '../../db/portfolio-ids';

const ANALYTICS_REQUIRED = ['position_factor_exposures', 'factor_exposures', 'stress_test_results'];

export interface CoverageReport {
  readonly start: string;
  readonly end: string;
  readonly tradingDays: number;
  readonly checked: number;
  readonly gaps: readonly (CoverageGap & { readonly portfolioName: string })[];
}

export function verifyCoverage(db: SqliteDatabase, args: { start: IsoDate; end: IsoDate; portfolioIds: readonly string[] }): CoverageReport {
  const portfolios = portfoliosIn(db, args.portfolioIds, { activeOnly: true });
  const days = tradingDaysBetween(args.start, args.end);
  const reader = new PortfolioDateReader(db);
  // Portfolios with lots, each checked from its earliest entry date.
  const inScope = portfolios.flatMap((p) => {
    const lots = reader.lotsOf(p.id);
    if (lots.length === 0) return [];
    const earliest = lots.reduce((a, l) => (l.entryDate < a ? l.entryDate : a), lots[0]!.entryDate);
    return [{ p, lots, earliest, publicIds: new Set(lots.filter((l) => l.investmentClass === 'PUBLIC').map((l) => l.id)) }];
  });
  const out: CoverageDay[] = [];
  // Date by date: the reader reads a date's rows for every portfolio at once.
  for (const d of days) {
    const t = reader.trackingOf(d);
    for (const { p, lots, earliest, publicIds } of inScope) {
      if (d < earliest) continue;
      const marks = reader.marks(p.id, d);
      const required: Record<string, boolean | string> = { portfolio_snapshots: reader.snapshot(p.id, d)?.['is_complete'] === 1 };
      if (lots.some((l) => isActiveOn(l, d))) required['position_marks'] = marks.length > 0;
      const publicMarked = marks.some((m) => m.isActive && publicIds.has(m.positionId) && m.priceSource !== 'missing');
      const an = reader.analyticsOutcome(p.id, d);
      if (publicMarked && !an?.analytics_skipped) {
        const counts = reader.analyticsRowCounts(p.id, d);
        for (const table of ANALYTICS_REQUIRED) {
          const writers = Object.entries(an?.jobs ?? {}).filter(([name]) => (JOB_TABLES[name] ?? []).includes(table));
          const benign = writers.length > 0 && writers.every(([, j]) => isBenignSkip(j));
          if (!benign) required[table] = (counts[table] ?? 0) > 0;
        }
      }
      required['batch_run_tracking'] = trackingState(t, reader.isStale(p.id, d));
      out.push({ date: d, portfolioId: p.id, required });
    }
  }
  const names = new Map(portfolios.map((p) => [p.id, p.name]));
  return { start: args.start, end: args.end, tradingDays: days.length, checked: out.length, gaps: coverageGaps(out, days).map((g) => ({ ...g, portfolioName: names.get(g.portfolioId) ?? g.portfolioId })) };
}

/** True for a finished success or partial that is not stale, else what is wrong (i.6). */
function trackingState(t: TrackingRecord | null, stale: boolean): boolean | string {
  if (t === null) return false;
  if (t.completedAt === null) return 'unfinished';
  if (stale) return 'stale';
  return t.status === 'success' || t.status === 'partial' ? true : (t.status ?? 'unfinished');
}
