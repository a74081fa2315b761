/**
 * `verify views [--date D]` (SPEC.md i.8): runs the factor and stress view queries for every
 * portfolio on D (default the latest processed date) and checks each returns rows unless the
 * analytics were not applicable for that portfolio-date.
 */
import type { IsoDate } from '../../core/domain/iso-date';
import { factorView, stressView } from '../../db/diagnostics/analytics-views';
import { PortfolioDateReader, snapshotRefs } from '../../db/diagnostics/portfolio-date-inputs';
import type { SqliteDatabase } from '../../db/open-database';
import { isBenignSkip } from '../../core/domain/job-outcome';
import { latestProcessedDate } from './reconcile';
import { reportDate } from './run-dates';
import { portfolioIdsIn } from '../../db/portfolio-ids';

export interface ViewCheck {
  readonly portfolioId: string;
  readonly portfolioName: string;
  readonly view: 'factors' | 'stress-tests';
  readonly rows: number;
  readonly status: 'ok' | 'empty' | 'not_applicable';
  readonly note: string | null;
}

export interface ViewsReport {
  readonly date: string | null;
  readonly checks: readonly ViewCheck[];
  readonly failed: boolean;
  /** Why nothing was checked, or null. */
  readonly message: string | null;
}

export function verifyViews(db: SqliteDatabase, args: { date: IsoDate | null; portfolioIds: readonly string[] }): ViewsReport {
  const portfolioIds = portfolioIdsIn(db, args.portfolioIds);
  const date = reportDate(args.date) ?? latestProcessedDate(db);
  // Nothing processed yet is not a pass either: nothing was checked (k.3, as below).
  if (!date) return { date: null, checks: [], failed: true, message: 'nothing to check: no date has been processed yet; run a backfill first' };
  const reader = new PortfolioDateReader(db);
  const checks: ViewCheck[] = [];
  for (const ref of snapshotRefs(db, { start: date, end: date, portfolioIds })) {
    const an = reader.analyticsOutcome(ref.portfolioId, date);
    const jobs = an?.jobs ?? {};
    const applicable = (names: string[]) => !an || an.analytics_skipped ? false : names.some((n) => jobs[n] && !isBenignSkip(jobs[n]!));
    // Why a view's writers had nothing to write: their benign reasons, for the note.
    const skipReasons = (names: string[]): string => {
      const reasons = new Set<string>();
      for (const n of names) {
        const j = jobs[n];
        if (j && isBenignSkip(j) && j.reason !== 'not_applicable') reasons.add(j.reason ?? '');
      }
      return [...reasons].join(', ');
    };
    const views: [ViewCheck['view'], number, string[]][] = [
      ['factors', factorView(db, ref.portfolioId, date).length, ['market_beta', 'provider_beta', 'ir_beta', 'spread_factors', 'ridge_factors']],
      ['stress-tests', stressView(db, ref.portfolioId, date).length, ['stress_tests']],
    ];
    for (const [view, rows, writers] of views) {
      const ok = rows > 0;
      const app = applicable(writers);
      const why = skipReasons(writers);
      checks.push({
        portfolioId: ref.portfolioId,
        portfolioName: ref.portfolioName,
        view,
        rows,
        status: ok ? 'ok' : app ? 'empty' : 'not_applicable',
        note: ok
          ? null
          : app
            ? 'the view returns no rows although its analytics applied'
            : an?.analytics_skipped
              ? 'analytics skipped by the missing-marks guard'
              : `analytics not applicable${why ? ` (${why})` : ''}`,
      });
    }
  }
  // A date no portfolio was processed on is not a pass: it checked nothing (a mistyped --date, a date not run yet).
  if (checks.length === 0) return { date, checks, failed: true, message: `no portfolio has a snapshot on ${date}, so no view was checked; the latest processed date is ${latestProcessedDate(db) ?? 'none'}` };
  return { date, checks, failed: checks.some((c) => c.status === 'empty'), message: null };
}
