/**
 * The run summary (SPEC.md h.5): one JSON document at the end of a run, also stored in
 * batch_run_history.summary. Built from the per-date results the engine collected.
 */
import { z } from 'zod';
import { EXIT } from '../api/errors';
import { PHASE_NAMES } from '../domain/phase';
import { formatTimestamp } from '../domain/timestamp';
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
    /**
     * Why those dates did not run (g.10: planned work a cancel left is reported `cancelled`):
     * `cancelled`, or `stopped` by a failure that ended the run; null when every planned date ran.
     */
    not_run_reason: z.enum(['cancelled', 'stopped']).nullable(),
    first: z.string().nullable(),
    last: z.string().nullable(),
  }),
  chunks: z.array(z.object({ index: z.number().int(), first_date: z.string(), last_date: z.string(), dates: z.number().int(), status: z.string(), duration_seconds: z.number() })),
  /**
   * Per phase, the outcomes of its runs (`runs` = success + failed + skipped + not_applicable),
   * and `stale`: its portfolio-date entries this run marked stale without running it (g.8).
   */
  phases: z.record(z.string(), z.object({ runs: z.number(), success: z.number(), failed: z.number(), skipped: z.number(), not_applicable: z.number(), stale: z.number(), duration_seconds: z.number() })),
  market_data: z.record(z.string(), z.unknown()),
  /** Analytics jobs of this run's portfolio-dates; `jobs_skipped`: not run as the guard skipped their portfolio-date, counted in `guard_skips`. */
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
 * The run's options as the summary document spells its keys (h.5: `start_date`, `chunk_days`):
 * snake_case like every other key of it. The history row's `options` keep the run options' own
 * names (a resume reads them back).
 */
export function summaryOptions(options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));
}

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
    options: summaryOptions(a.options),
    dates: { planned: 0, processed: 0, success: 0, partial: 0, failed: 0, skipped: 0, not_run_dates: [], not_run_reason: null, first: null, last: null },
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

/** The processed dates by status; a date cancelled part-way is none of them. */
export function dateCounts(results: readonly Pick<DateResult, 'status'>[]): RunVerdict['counts'] {
  const counts = { success: 0, partial: 0, failed: 0 };
  for (const r of results) {
    if (r.status === 'success') counts.success++;
    else if (r.status === 'partial') counts.partial++;
    else if (r.status === 'failed') counts.failed++;
  }
  return counts;
}

export interface JobProgress {
  readonly completedJobs: number;
  readonly failedJobs: number;
}

/**
 * The history row's progress (SPEC.md h.6): completed_jobs counts the dates finished success
 * or partial, failed_jobs the failed ones; a date cancelled part-way is neither.
 */
export function jobProgress(results: readonly Pick<DateResult, 'status'>[]): JobProgress {
  const c = dateCounts(results);
  return { completedJobs: c.success + c.partial, failedJobs: c.failed };
}

/**
 * How a run ended (SPEC.md g.6, k.3, m.16). Status: cancelled, else failed on a fatal error,
 * else completed when every processed date succeeded, failed when every one failed, otherwise
 * partial. Exit code, first match: 130 cancelled; 5 fatal; monitor-only 0 when clean, else 4;
 * 1 when a date failed or is partial; 4 when the guard failed; 0.
 */
export function runVerdict(e: RunEnding): RunVerdict {
  const counts = dateCounts(e.results);
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

/** What the run summary is built from, gathered when the run ends. */
export interface RunSummaryInput {
  readonly runId: string;
  readonly batchRunId: string;
  readonly mode: string;
  readonly verdict: RunVerdict;
  readonly startedMs: number;
  readonly completedMs: number;
  readonly database: string;
  readonly targetDate: string;
  readonly options: Record<string, unknown>;
  /** The planned dates, in order. */
  readonly plannedDates: readonly string[];
  readonly tally: {
    readonly results: readonly DateResult[];
    readonly chunks: RunSummary['chunks'];
    readonly phases: RunSummary['phases'];
    readonly analytics: RunSummary['analytics'];
    readonly errors: readonly string[];
    readonly blocked: readonly BlockedPortfolioDate[];
  };
  readonly marketData: {
    /** Distinct symbols of the planned dates. */
    readonly symbols: number;
    readonly counters: {
      readonly requests: number;
      readonly retries: number;
      readonly rateLimited: number;
      readonly circuitOpens: number;
      readonly rowsUpserted: number;
      readonly invalidPrices: number;
      readonly jumpsFlagged: number;
      /** Per provider; `refused`: the requests its open circuit refused (run-state.ts ProviderCounters). */
      readonly providers: Readonly<Record<string, { readonly refused: number }>>;
    };
    readonly mode: unknown;
    readonly sources: readonly string[];
  };
  readonly guard: { readonly status: string; readonly findings: readonly unknown[] } | null;
  readonly monitor: unknown;
  readonly warnings: readonly string[];
  /** Telemetry sinks that failed and were disabled. */
  readonly disabledSinks: readonly string[];
}

/** What the provider refused in a run: failures on its rate limit, and its circuit's openings and refusals. */
interface ProviderRefusals {
  /** Requests that ended rate-limited (HTTP 429) after their retries. */
  readonly rateLimited: number;
  readonly circuitOpens: number;
  /** Requests the open circuit refused without sending them. */
  readonly refused: number;
}

/** The requests every provider's open circuit refused. */
function refusedRequests(providers: Readonly<Record<string, { readonly refused: number }>>): number {
  return Object.values(providers).reduce((n, p) => n + p.refused, 0);
}

/**
 * The run summary's line when the provider rate-limited requests or its circuit opened (SPEC.md
 * e.6, e.7): what happened, what it left, and what to do next; null when neither happened.
 */
function providerRefusalWarning(r: ProviderRefusals): string | null {
  if (r.rateLimited === 0 && r.circuitOpens === 0) return null;
  const times = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const parts = [
    ...(r.rateLimited > 0 ? [`${times(r.rateLimited, 'request')} ended rate-limited (HTTP 429) after ${r.rateLimited === 1 ? 'its' : 'their'} retries`] : []),
    ...(r.circuitOpens > 0 ? [`the circuit breaker opened ${times(r.circuitOpens, 'time')}${r.refused > 0 ? ` and refused ${times(r.refused, 'request')} without sending them` : ''}`] : []),
  ];
  return `the price provider refused requests: ${parts.join('; ')}. The closes it did not give are recorded as rate_limited or provider_error, and a fallback close is used where one exists; run again later, or with --market-data offline (the price cache and a --csv-dir folder, no network)`;
}

/** The h.5 document of a run that ran. */
export function buildRunSummary(i: RunSummaryInput): RunSummary {
  const { results } = i.tally;
  // A date cancelled part-way is redone by a resume: it is not run, like the dates never reached.
  const finished = new Set(results.filter((r) => r.status !== 'cancelled').map((r) => r.date));
  const notRun = i.plannedDates.filter((d) => !finished.has(d));
  const mdc = i.marketData.counters;
  return {
    schema: RUN_SUMMARY_SCHEMA,
    run_id: i.runId,
    batch_run_id: i.batchRunId,
    mode: i.mode,
    status: i.verdict.status,
    exit_code: i.verdict.exitCode,
    started_at: formatTimestamp(i.startedMs),
    completed_at: formatTimestamp(i.completedMs),
    duration_seconds: (i.completedMs - i.startedMs) / 1000,
    database: i.database,
    target_date: i.targetDate,
    options: summaryOptions(i.options),
    dates: { planned: i.plannedDates.length, processed: results.length, ...i.verdict.counts, skipped: notRun.length, not_run_dates: notRun, not_run_reason: notRun.length === 0 ? null : i.verdict.status === 'cancelled' ? 'cancelled' : 'stopped', first: i.plannedDates[0] ?? null, last: i.plannedDates[i.plannedDates.length - 1] ?? null },
    chunks: i.tally.chunks,
    // Sums of millisecond durations, said in whole milliseconds (no float noise such as 0.020000000000000004).
    phases: Object.fromEntries(Object.entries(i.tally.phases).map(([name, t]) => [name, { ...t, duration_seconds: Math.round(t.duration_seconds * 1000) / 1000 }])),
    market_data: {
      symbols: i.marketData.symbols,
      requests: mdc.requests,
      retries: mdc.retries,
      rate_limited: mdc.rateLimited,
      circuit_opens: mdc.circuitOpens,
      rows_upserted: mdc.rowsUpserted,
      missing_price_count: results.reduce((s, r) => s + r.missing_price_count, 0),
      fallback_count: results.reduce((s, r) => s + r.fallback_count, 0),
      model_count: results.reduce((s, r) => s + r.portfolios.reduce((x, p) => x + (p.marks['model'] ?? 0), 0), 0),
      invalid_prices: mdc.invalidPrices,
      price_jumps_flagged: mdc.jumpsFlagged,
      mode: i.marketData.mode,
      sources: [...i.marketData.sources],
      providers: mdc.providers,
    },
    analytics: i.tally.analytics,
    results: [...results],
    guard: i.guard ? { status: i.guard.status, findings: [...i.guard.findings] } : null,
    ...(i.monitor ? { monitor: i.monitor } : {}),
    warnings: [
      ...i.warnings,
      ...(mdc.jumpsFlagged > 0 ? [`${mdc.jumpsFlagged} price(s) moved beyond the jump threshold in one day; they are kept and listed as suspect prices for review`] : []),
      ...(mdc.invalidPrices > 0 ? [`${mdc.invalidPrices} invalid close(s) (non-finite or not positive) were rejected and never stored`] : []),
      ...[providerRefusalWarning({ rateLimited: mdc.rateLimited, circuitOpens: mdc.circuitOpens, refused: refusedRequests(mdc.providers) })].filter((w) => w !== null),
      ...i.disabledSinks.map((s) => `telemetry sink ${s} failed and was disabled`),
    ],
    errors: i.tally.errors.slice(0, 100),
    blocked: groupBlocked(i.tally.blocked),
  };
}
