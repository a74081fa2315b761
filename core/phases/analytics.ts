/**
 * Phase analytics (portfolio scope, non-critical; SPEC.md c.10, d.14): the job runner.
 * prepareDate computes the symbol-level betas of D once for every planned portfolio. Per
 * portfolio-date the runner evaluates the missing-marks guard (a trip clears the analytics
 * rows and skips the phase), clears the previous results (replace semantics) and runs the
 * jobs so that a failed job leaves none of its rows and stops no other job (runJobs).
 */
import type { PhaseOutcome } from '../domain/phase';
import type { Lot } from '../domain/portfolio';
import { outcome, type PortfolioDateContext, type PortfolioPhase } from '../engine/phase-types';
import { analyticsDateCache } from './analytics/analytics-date-cache';
import { ANALYTICS_JOBS } from './analytics/jobs';
import { evaluateMissingMarksGuard } from './analytics/missing-marks-guard';
import { prepareSymbolStage } from './analytics/symbol-stage';
import type { AnalyticsJob, AnalyticsRunnerOutcome, JobOutcome, JobResult } from './analytics/job-types';

type Store = PortfolioDateContext['run']['store'];

interface TimedResult {
  readonly job: AnalyticsJob;
  readonly result: JobResult;
  readonly durationMs: number;
}

const thrown = (job: AnalyticsJob, err: unknown): JobResult => ({ status: 'failed', reason: 'exception', metrics: { error: `${job.name}: ${(err as Error).message}` } });

/** A job's result; an exception is a failed result. */
function attempt(job: AnalyticsJob, run: () => JobResult): JobResult {
  try {
    return run();
  } catch (err) {
    return thrown(job, err);
  }
}

/** One job in a savepoint of its own: a failed job rolls back only its own rows. */
function runIsolated(job: AnalyticsJob, run: () => JobResult, store: Store): JobResult {
  try {
    return store.transaction(() => {
      const r = attempt(job, run);
      if (r.status === 'failed') throw new Rollback(r);
      return r;
    });
  } catch (err) {
    return err instanceof Rollback ? err.result : thrown(job, err);
  }
}

class Rollback extends Error {
  constructor(readonly result: JobResult) {
    super('rolled back');
  }
}

const ISOLATE = new Error('a job failed: run the jobs one savepoint each');

/**
 * Runs the jobs in order with the result of a savepoint per job (a failed job leaves none of
 * its rows, and later jobs do not see them). The usual case, where no job fails, takes one
 * savepoint for all of them: each savepoint makes SQLite copy the pages of the date already
 * written that the job touches (about 0.3 s over the demo backfill). When a job fails, or the
 * savepoint itself does, it is rolled back and the jobs run again, each in its own savepoint;
 * they are deterministic, so the second pass gives what per-job savepoints would have given.
 */
function runJobs(jobs: readonly AnalyticsJob[], runOne: (job: AnalyticsJob) => JobResult, store: Store, now: () => number): TimedResult[] {
  const timed = (job: AnalyticsJob, exec: () => JobResult): TimedResult => {
    const t0 = now();
    const result = exec();
    return { job, result, durationMs: now() - t0 };
  };
  try {
    return store.transaction(() => {
      const out = jobs.map((job) => timed(job, () => attempt(job, () => runOne(job))));
      if (out.some((o) => o.result.status === 'failed')) throw ISOLATE;
      return out;
    });
  } catch {
    // Rolled back: a job failed, or SQLite refused the savepoint.
  }
  return jobs.map((job) => timed(job, () => runIsolated(job, () => runOne(job), store)));
}

export function runAnalytics(ctx: PortfolioDateContext, jobs: readonly AnalyticsJob[]): PhaseOutcome {
  const { run, date: d, portfolio } = ctx;
  const marks = ctx.state.marks ?? run.store.loadMarks(portfolio.id, d);
  const lotsById = new Map<string, Lot>(ctx.lots.map((l) => [l.id, l]));
  const guard = evaluateMissingMarksGuard(marks, lotsById, run.options.maxMissingMarks ?? run.settings['guard.max_missing_marks']);
  const nowIso = run.nowIso();
  run.store.clearPortfolioAnalytics(portfolio.id, d, ctx.lots.map((l) => l.id));
  if (guard.tripped) {
    run.telemetry.metric('insufficient_coverage', guard.ratio, {
      date: d,
      portfolioId: portfolio.id,
      source: 'analytics',
      level: 'warn',
      tags: { total_positions: guard.eligible, positions_skipped: guard.missing, positions_ignored: guard.ignored, missing_ratio: guard.ratio, threshold: guard.threshold, symbols: guard.symbols },
    });
    const result: AnalyticsRunnerOutcome = {
      jobsExpected: 0,
      jobsCompleted: 0,
      jobsFailed: 0,
      jobsSkipped: jobs.length,
      jobsNotApplicable: 0,
      analyticsSkipped: true,
      skipReason: 'insufficient_marks',
      jobs: {},
    };
    ctx.state.analytics = result;
    return outcome('skipped', { ...summaryMetrics(result), guard: { eligible: guard.eligible, missing: guard.missing, ratio: guard.ratio, threshold: guard.threshold, symbols: guard.symbols } }, 'insufficient_marks');
  }
  const snapshot = run.store.snapshotOf(portfolio.id, d);
  if (!snapshot) return outcome('failed', {}, 'prerequisite_missing', `no snapshot of ${portfolio.name} on ${d}`);
  const outcomes: Record<string, JobOutcome> = {};
  let expected = 0;
  let completed = 0;
  let failed = 0;
  let notApplicable = 0;
  const jobCtx = { pd: ctx, marks, lotsById, snapshot, nowIso, cache: analyticsDateCache(ctx.dateContext) };
  for (const { job, result: r, durationMs } of runJobs(jobs, (job) => job.run(jobCtx), run.store, () => run.clock.now())) {
    if (r.status === 'not_applicable' || r.status === 'benign_skip') notApplicable++;
    else {
      expected++;
      if (r.status === 'success') completed++;
      else failed++;
    }
    outcomes[job.name] = { success: r.status === 'success', reason: r.status === 'success' ? null : (r.reason ?? 'not_applicable'), metrics: r.metrics };
    run.telemetry.metric('analytics_job_result', durationMs, {
      unit: 'ms',
      date: d,
      portfolioId: portfolio.id,
      source: 'analytics',
      level: r.status === 'failed' ? 'warn' : 'debug',
      tags: { job: job.name, success: r.status === 'success', reason: r.reason, status: r.status, ...r.metrics },
    });
  }
  run.store.updateSnapshotAnalytics(portfolio.id, d, {}, nowIso);
  const result: AnalyticsRunnerOutcome = {
    jobsExpected: expected,
    jobsCompleted: completed,
    jobsFailed: failed,
    jobsSkipped: 0,
    jobsNotApplicable: notApplicable,
    analyticsSkipped: false,
    skipReason: null,
    jobs: outcomes,
  };
  ctx.state.analytics = result;
  const metrics = summaryMetrics(result);
  if (failed > 0) {
    const names = Object.entries(outcomes).filter(([, o]) => !o.success && o.reason !== null && o.reason !== 'not_applicable');
    return outcome('failed', metrics, 'job_failed', `${failed} analytics job(s) failed: ${names.map(([n, o]) => `${n} ${o.reason}`).join(', ')}`);
  }
  return outcome('success', metrics);
}

function summaryMetrics(r: AnalyticsRunnerOutcome): Record<string, unknown> {
  return {
    jobs_expected: r.jobsExpected,
    jobs_completed: r.jobsCompleted,
    jobs_failed: r.jobsFailed,
    jobs_skipped: r.jobsSkipped,
    jobs_not_applicable: r.jobsNotApplicable,
    analytics_skipped: r.analyticsSkipped,
    skip_reason: r.skipReason,
    jobs: r.jobs,
  };
}

export const analyticsPhase: PortfolioPhase = {
  name: 'analytics',
  scope: 'portfolio',
  critical: false,
  reads: [
    'portfolios', 'positions', 'position_marks', 'portfolio_snapshots', 'market_data_cache', 'company_profiles', 'factor_definitions',
    'stress_test_scenarios', 'benchmarks_sector_weights', 'symbol_factor_exposures', 'factor_exposures', 'settings',
  ],
  writes: [
    'symbol_factor_exposures', 'factor_exposures', 'position_factor_exposures', 'position_market_betas', 'position_interest_rate_betas',
    'position_volatility', 'correlation_calculations', 'pairwise_correlations', 'stress_test_results', 'portfolio_snapshots.analytics',
  ],
  prerequisite(ctx) {
    const missing: string[] = [];
    if (!ctx.selected.has('marks') && !ctx.run.store.hasMarks(ctx.portfolio.id, ctx.date)) missing.push('marks');
    if (!ctx.selected.has('snapshots') && !ctx.run.store.snapshotOf(ctx.portfolio.id, ctx.date)) missing.push('snapshots');
    return missing.length ? `${missing.join(' and ')} have not run for ${ctx.portfolio.name} on ${ctx.date}` : null;
  },
  prepareDate: prepareSymbolStage,
  run: (ctx) => runAnalytics(ctx, ANALYTICS_JOBS),
};
