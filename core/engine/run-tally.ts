/**
 * What a run has counted so far (SPEC.md h.5, h.6): the finished dates' results, the chunks,
 * the per-phase and analytics totals, the errors, the blocked portfolio-dates and the
 * portfolio-dates whose marks or snapshots it rewrote (g.8). The engine adds to it as dates
 * finish; the summary and the history row are built from it.
 */
import type { IsoDate } from '../domain/iso-date';
import type { PhaseName, PhaseOutcomeStatus } from '../domain/phase';
import type { AnalyticsTotals } from './date-tracker';
import { jobProgress, zeroPhaseTotals, type BlockedPortfolioDate, type DateResult, type JobProgress, type RunSummary } from './run-summary';

export class RunTally {
  readonly results: DateResult[] = [];
  readonly chunks: RunSummary['chunks'] = [];
  readonly phases: RunSummary['phases'] = zeroPhaseTotals();
  readonly analytics: RunSummary['analytics'] = { jobs_expected: 0, jobs_completed: 0, jobs_failed: 0, jobs_skipped: 0, guard_skips: 0 };
  readonly errors: string[] = [];
  readonly blocked: BlockedPortfolioDate[] = [];
  /** Per portfolio, the dates whose marks or snapshots this run rewrote. */
  readonly rewritten = new Map<string, Set<IsoDate>>();
  /** Per portfolio, the rewritten dates whose marks or snapshots changed value. */
  readonly changed = new Map<string, Set<IsoDate>>();

  /**
   * One phase outcome of a date or a portfolio-date. `replacing` is the outcome counted before
   * for the same phase of the same portfolio-date (a success that a later critical failure rolled
   * back): it is taken out, so the phase counts once, as it ended.
   */
  countPhase(name: PhaseName, o: { readonly status: PhaseOutcomeStatus }, ms: number, replacing?: { readonly status: PhaseOutcomeStatus; readonly ms: number }): void {
    const t = this.phases[name]!;
    if (replacing) {
      t.runs--;
      t[replacing.status]--;
      t.duration_seconds -= replacing.ms / 1000;
    }
    t.runs++;
    t[o.status]++;
    t.duration_seconds += ms / 1000;
  }

  /** A phase entry this run marked stale: it did not run, and a re-run phase changed what it reads (g.8). */
  countStale(name: PhaseName): void {
    this.phases[name]!.stale++;
  }

  /** This run's share of a date's analytics job counts. */
  addAnalytics(t: AnalyticsTotals): void {
    this.analytics.jobs_expected += t.expected;
    this.analytics.jobs_completed += t.completed;
    this.analytics.jobs_failed += t.failed;
    this.analytics.jobs_skipped += t.skipped;
    this.analytics.guard_skips += t.guard;
  }

  addDate(result: DateResult): void {
    this.results.push(result);
  }

  addRewrite(portfolioId: string, date: IsoDate, changed: boolean): void {
    addTo(this.rewritten, portfolioId, date);
    if (changed) addTo(this.changed, portfolioId, date);
  }

  /** The history row's completed_jobs and failed_jobs so far (h.6). */
  progress(): JobProgress {
    return jobProgress(this.results);
  }
}

function addTo(map: Map<string, Set<IsoDate>>, key: string, date: IsoDate): void {
  (map.get(key) ?? map.set(key, new Set()).get(key)!).add(date);
}
