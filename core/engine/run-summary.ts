/**
 * The run summary (SPEC.md h.5): one JSON document at the end of a run, also stored in
 * batch_run_history.summary. Built from the per-date results the engine collected.
 */
import { z } from 'zod';
import { EXIT } from '../api/errors';
import { PHASE_NAMES } from '../domain/phase';
import type { RunStatus } from '../ports/store';

export const RUN_SUMMARY_SCHEMA = 'batchdesk.run-summary/1';

export interface PortfolioResult {
  portfolio_id: string;
  name: string;
  status: 'success' | 'partial' | 'failed' | 'skipped' | 'cancelled';
  nav: number | null;
  daily_pnl: number | null;
  cash: number | null;
  phases: Record<string, { status: string; duration_ms: number; reason: string | null; error: string | null }>;
  analytics_jobs: Record<string, unknown>;
  marks: Record<string, number>;
}

export interface DateResult {
  date: string;
  status: string;
  duration_seconds: number;
  missing_price_count: number;
  fallback_count: number;
  missing_symbols: { symbol: string; reason: string; resolution: string }[];
  portfolios: PortfolioResult[];
  /** Portfolios the planner left out of the date, with the reason code of g.3 (e.g. no_positions). */
  skipped_portfolios?: { portfolio_id: string; reason: string }[];
  errors: string[];
}

export const runSummarySchema = z.object({
  schema: z.literal(RUN_SUMMARY_SCHEMA),
  run_id: z.string(),
  batch_run_id: z.string(),
  mode: z.string(),
  status: z.string(),
  exit_code: z.number().int(),
  started_at: z.string(),
  completed_at: z.string(),
  duration_seconds: z.number(),
  database: z.string(),
  target_date: z.string(),
  options: z.record(z.string(), z.unknown()),
  dates: z.object({
    planned: z.number().int(),
    processed: z.number().int(),
    success: z.number().int(),
    partial: z.number().int(),
    failed: z.number().int(),
    /**
     * Planned dates the run did not finish: never reached (after a cancel or a fatal error) or
     * cancelled part-way. planned = success + partial + failed + skipped.
     */
    skipped: z.number().int(),
    /** Those dates, in order: what a resume of a cancelled run runs. */
    not_run_dates: z.array(z.string()),
    first: z.string().nullable(),
    last: z.string().nullable(),
  }),
  chunks: z.array(z.object({ index: z.number().int(), first_date: z.string(), last_date: z.string(), dates: z.number().int(), status: z.string(), duration_seconds: z.number() })),
  phases: z.record(z.string(), z.object({ runs: z.number(), success: z.number(), failed: z.number(), skipped: z.number(), not_applicable: z.number(), stale: z.number(), duration_seconds: z.number() })),
  market_data: z.record(z.string(), z.unknown()),
  analytics: z.object({ jobs_expected: z.number(), jobs_completed: z.number(), jobs_failed: z.number(), jobs_skipped: z.number(), guard_skips: z.number() }),
  results: z.array(z.unknown()),
  guard: z.object({ status: z.string(), findings: z.array(z.unknown()) }).nullable(),
  monitor: z.unknown().optional(),
  warnings: z.array(z.string()),
  /** Errors of the run, except those of blocked portfolio-dates (listed in `blocked`). */
  errors: z.array(z.string()),
  /**
   * Portfolio-dates that failed only because an earlier date has no snapshot (reason
   * previous_day_missing, g.3), grouped by that blocking date.
   */
  blocked: z.array(z.object({ blocked_by: z.string(), portfolios: z.array(z.string()), first_date: z.string(), last_date: z.string(), dates: z.number().int() })),
});

export type RunSummary = z.infer<typeof runSummarySchema> & { results: DateResult[] };

type PhaseTotals = RunSummary['phases'];

/** Every phase with nothing counted yet. */
export function zeroPhaseTotals(): PhaseTotals {
  const totals: PhaseTotals = {};
  for (const p of PHASE_NAMES) totals[p] = { runs: 0, success: 0, failed: 0, skipped: 0, not_applicable: 0, stale: 0, duration_seconds: 0 };
  return totals;
}

/** The h.5 document when there is nothing to run (g.2): no run, so no ids or times. */
export type UpToDateSummary = Omit<RunSummary, 'run_id' | 'batch_run_id' | 'status' | 'started_at' | 'completed_at'> & {
  run_id: null;
  batch_run_id: null;
  status: 'up_to_date';
  started_at: null;
  completed_at: null;
  message: string;
};

/**
 * What `--summary-json` prints when there is nothing to run: the keys of a run's summary, so
 * a reader of `dates.planned` or `phases.marks.runs` reads zero, with `status: "up_to_date"`
 * and the reason in `message`.
 */
export function upToDateSummary(a: { mode: string; database: string; targetDate: string; options: Record<string, unknown>; marketDataMode: unknown; warnings: readonly string[]; message: string }): UpToDateSummary {
  return {
    schema: RUN_SUMMARY_SCHEMA,
    run_id: null,
    batch_run_id: null,
    mode: a.mode,
    status: 'up_to_date',
    exit_code: EXIT.ok,
    started_at: null,
    completed_at: null,
    duration_seconds: 0,
    database: a.database,
    target_date: a.targetDate,
    options: { ...a.options },
    dates: { planned: 0, processed: 0, success: 0, partial: 0, failed: 0, skipped: 0, not_run_dates: [], first: null, last: null },
    chunks: [],
    phases: zeroPhaseTotals(),
    market_data: { symbols: 0, requests: 0, retries: 0, rate_limited: 0, circuit_opens: 0, rows_upserted: 0, missing_price_count: 0, fallback_count: 0, model_count: 0, invalid_prices: 0, price_jumps_flagged: 0, mode: a.marketDataMode, sources: [], providers: {} },
    analytics: { jobs_expected: 0, jobs_completed: 0, jobs_failed: 0, jobs_skipped: 0, guard_skips: 0 },
    results: [],
    guard: null,
    warnings: [...a.warnings],
    errors: [],
    blocked: [],
    message: a.message,
  };
}

export interface RunEnding {
  /** The dates processed, in order. */
  readonly results: readonly Pick<DateResult, 'status'>[];
  readonly cancelled: boolean;
  /** The run stopped on an error outside any portfolio-date (I/O, disk full). */
  readonly fatal: boolean;
  /** Monitor-only (g.12): whether the recomputed rows matched the stored ones; null in a normal run. */
  readonly monitorClean: boolean | null;
  /** The post-run guard's status (i.4), or null when it did not run. */
  readonly guardStatus: string | null;
}

export interface RunVerdict {
  readonly status: Exclude<RunStatus, 'running' | 'interrupted'>;
  readonly exitCode: number;
  readonly counts: { readonly success: number; readonly partial: number; readonly failed: number };
}

/**
 * How a run ended (SPEC.md g.6, k.3, m.16). Status: cancelled, else failed on a fatal error,
 * else completed when every processed date succeeded, failed when every one failed, otherwise
 * partial. Exit code, first match: 130 cancelled; 5 fatal; monitor-only 0 when clean, else 4;
 * 1 when a date failed or is partial; 4 when the guard failed; 0.
 */
export function runVerdict(e: RunEnding): RunVerdict {
  const counts = { success: 0, partial: 0, failed: 0 };
  for (const r of e.results) {
    if (r.status === 'success') counts.success++;
    else if (r.status === 'partial') counts.partial++;
    else if (r.status === 'failed') counts.failed++;
  }
  const n = e.results.length;
  const status = e.cancelled ? 'cancelled' : e.fatal ? 'failed' : n > 0 && counts.success === n ? 'completed' : n > 0 && counts.failed === n ? 'failed' : 'partial';
  // m.16: 130, else 5, else 1 for a failed or partial date, else 4 for a failed check (the
  // post-run guard, or a monitor-only run that found differences), else 0.
  const exitCode = e.cancelled
    ? EXIT.cancelled
    : e.fatal
      ? EXIT.data
      : counts.failed + counts.partial > 0
        ? EXIT.partial
        : e.monitorClean === false || e.guardStatus === 'fail'
          ? EXIT.checkFailed
          : EXIT.ok;
  return { status, exitCode, counts };
}

/** A portfolio-date whose snapshot could not be computed because `blockedBy` has none. */
export interface BlockedPortfolioDate {
  readonly date: string;
  readonly portfolioId: string;
  readonly blockedBy: string;
}

/**
 * The command that unblocks portfolio-dates: it runs the blocking date and the dates after it up
 * to `lastDate`, in order, for the blocked portfolios only (the other portfolios' dates are left
 * alone). A retry of failed phases would not do: it redoes the blocked dates, but not a blocking
 * date that was never run for these portfolios, so they would fail again (previous_day_missing).
 */
export function blockedRunCommand(blockedBy: string, lastDate: string, portfolioIds: readonly string[]): string {
  return `batchdesk run --start-date ${blockedBy} --end-date ${lastDate}${portfolioIds.map((id) => ` --portfolio ${id}`).join('')}`;
}

/** Groups blocked portfolio-dates by the date that blocks them, in date order. */
export function groupBlocked(blocked: readonly BlockedPortfolioDate[]): RunSummary['blocked'] {
  const groups = new Map<string, { portfolios: Set<string>; dates: Set<string> }>();
  for (const b of blocked) {
    const g = groups.get(b.blockedBy) ?? groups.set(b.blockedBy, { portfolios: new Set(), dates: new Set() }).get(b.blockedBy)!;
    g.portfolios.add(b.portfolioId);
    g.dates.add(b.date);
  }
  return [...groups]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([blockedBy, g]) => {
      const dates = [...g.dates].sort();
      return { blocked_by: blockedBy, portfolios: [...g.portfolios].sort(), first_date: dates[0]!, last_date: dates[dates.length - 1]!, dates: dates.length };
    });
}
