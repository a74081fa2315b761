/**
 * One date of a run (SPEC.md g.6, h.4): its tracking row marked running, the date-scoped
 * phases, then in one transaction the analytics symbol stage, every portfolio-date (each in its
 * savepoint, portfolio-date.ts) and the finished tracking row; then its date_result event and
 * its entry in the run's results. A stop request ends it at a portfolio-date boundary.
 */
import type { IsoDate } from '../domain/iso-date';
import type { DateStatus, PhaseName } from '../domain/phase';
import { MARKET_DATA_SHARED_KEY, type MarketDataShared } from '../phases/market-data';
import type { Telemetry } from '../telemetry/record-metric';
import { DateTracker, type PhaseEntry } from './date-tracker';
import type { MonitorRecorder } from './monitor-recorder';
import { datePhaseTraceInputs } from './monitor-trace-inputs';
import { entryOf, recordPhaseResult, safeRun, safeRunAsync, writeTransaction } from './phase-run';
import { PHASE_TABLE } from './phase-table';
import type { DateContext, RunContext } from './phase-types';
import type { PlannedDate, PlannedPortfolio } from './plan-types';
import { PORTFOLIO_PHASES, processPortfolioDate } from './portfolio-date';
import type { EngineDeps } from './run-context';
import type { DateResult, PortfolioResult } from './run-summary';
import type { RunTally } from './run-tally';

const DATE_PHASES = PHASE_TABLE.filter((p) => p.scope === 'date');

/** What a date needs of the run. */
export interface DateRunArgs {
  readonly deps: EngineDeps;
  readonly run: RunContext;
  readonly telemetry: Telemetry;
  readonly mode: string;
  /** Monitor-only difference recorder (g.12). */
  readonly monitor: MonitorRecorder | null;
  readonly tally: RunTally;
  heartbeat(force?: boolean): void;
  wantsStop(): boolean;
}

/** One date's work as it goes: its tracking row (replaced as portfolio-dates commit) and its errors. */
interface DayState {
  tracker: DateTracker;
  readonly errors: string[];
  /** Indexes into `errors` of blocked portfolio-dates' errors: the summary groups those (g.3). */
  readonly blockedErrors: Set<number>;
}

export async function processDate(a: DateRunArgs, pd: PlannedDate, chunkIndex: number, prefetch: Record<string, unknown> | null): Promise<{ result: DateResult; cancelled: boolean }> {
  const { deps, run } = a;
  const store = deps.store;
  const d = pd.date;
  const t0 = deps.clock.now();
  a.monitor?.beginDate(d);
  // The date's row before this run touched it: a cancel before any of its portfolios ran puts it back.
  const before = store.trackingImage(d);
  const day: DayState = { tracker: DateTracker.start(d, store.loadTracking(d), { runId: run.runId, batchRunId: run.batchRunId, mode: a.mode }, run.nowIso()), errors: [], blockedErrors: new Set() };
  const writeTracking = (status: string, completedAt: string | null) => store.writeTracking(day.tracker.toWrite(run.runId, status, completedAt, day.errors), run.nowIso());
  // The first date phase is running from the date's start: its legacy phase_1_status reads `in_progress` (h.4).
  const first = DATE_PHASES.find((p) => pd.datePhases.includes(p.name));
  if (first) day.tracker.setDatePhase(first.name, { status: 'running', started_at: run.nowIso(), duration_ms: 0, reason: null, error: null });
  writeTransaction(run, () => writeTracking('running', null));

  const dateCtx: DateContext = { run, date: d, chunkIndex, portfolioIds: pd.portfolios.map((p) => p.portfolioId), datePhases: pd.datePhases, shared: new Map() };
  const dateFailedPhase = await runDatePhases(a, pd, dateCtx, day, prefetch);
  const md = dateCtx.shared.get(MARKET_DATA_SHARED_KEY) as MarketDataShared | undefined;
  if (md) {
    day.tracker.setMeta('symbol_coverage', { requested: md.requested, exact: md.exact, fallback: md.fallback, missing: md.missing, coverage_pct: md.coveragePct, usable_coverage_pct: md.usableCoveragePct });
    day.tracker.setMeta('missing_price_count', md.missingSymbols.length);
    day.tracker.setMeta('fallback_count', md.fallback);
    // Since the last report, as the request counters: a chunk prefetch's symbols go to the first date after it.
    day.tracker.setMeta('symbols_fetched', run.marketData.fetchedSymbols.size);
    run.marketData.fetchedSymbols.clear();
  }
  // h.4: the row is written again after the date-scoped phases, so a reader (and a row a kill
  // leaves) sees their outcome while the date's portfolios run.
  writeTransaction(run, () => writeTracking('running', null));

  // One transaction for the date's portfolio work: the symbol stage and every portfolio-date,
  // each in its own savepoint (all or nothing per portfolio-date, m.1), and the finished tracking
  // row. A crash or an I/O failure rolls the unfinished date back whole; a cancel finishes the
  // current portfolio-date and commits what is done. Fewer, larger commits keep a backfill's
  // write volume close to its row count (no await happens inside).
  let work: PortfolioWork = { status: day.tracker.status(), cancelled: false, portfolios: [], dateTotals: day.tracker.portfolioTotals() };
  const portfolioWork = (): void => {
    runSymbolStage(a, pd, dateCtx, day, dateFailedPhase);
    work = runDatePortfolios(a, pd, dateCtx, day, dateFailedPhase);
    // Every portfolio-date's entry commits with its rows: this write is inside the date
    // transaction. A cancelled date is finished too (g.6): its portfolios not run are recorded
    // `skipped` (cancelled), so the date reads partial and a resume or retry redoes them. A
    // cancel before the first of them ran leaves the date not run (g.10): its row as it was
    // (none, or an earlier run's), not claimed by this run, so a resume redoes the date.
    const noneRan = work.cancelled && pd.portfolios.length > 0 && work.portfolios.every((p) => p.status === 'cancelled');
    writeTransaction(run, () => (noneRan ? store.restoreTracking(d, before) : writeTracking(work.status, run.nowIso())));
  };
  if (run.monitorOnly) portfolioWork();
  else store.transaction(portfolioWork);
  const { status, cancelled, dateTotals } = work;
  a.monitor?.endDate({ status, symbol_coverage: (day.tracker.metadataJson['symbol_coverage'] ?? null) as unknown, missing_price_count: md ? md.missingSymbols.length : 0, fallback_count: md ? md.fallback : 0, model_count: dateTotals.modelMarks }, dateFailedPhase !== null);
  // The run's error list leaves out blocked portfolio-dates: the summary groups them (g.3).
  a.tally.errors.push(...day.errors.filter((_, k) => !day.blockedErrors.has(k)).map((e) => `${d} ${e}`));
  const durationMs = deps.clock.now() - t0;
  // The date line counts this run's portfolios, as the run summary does; the tracking row's
  // analytics_totals (dateTotals) count every portfolio of the date, those of earlier runs too.
  const jobs = day.tracker.portfolioTotals(ranPhase(pd, 'analytics'));
  const runTotals = { ...jobs, modelMarks: day.tracker.portfolioTotals(ranPhase(pd, 'marks')).modelMarks };
  const result = dateResultOf({ date: d, status: cancelled ? 'cancelled' : status, durationMs, md: md ?? null, portfolios: work.portfolios, skipped: pd.skipped, errors: day.errors });
  a.telemetry.recordMetric(
    'date_result',
    {
      date: d,
      status: result.status,
      duration_ms: durationMs,
      portfolios_total: pd.portfolios.length,
      portfolios_succeeded: result.portfolios.filter((p) => p.status === 'success').length,
      portfolios_failed: result.portfolios.filter((p) => p.status === 'failed').length,
      portfolios_skipped: result.portfolios.filter((p) => p.status === 'skipped' || p.status === 'cancelled').length,
      phases: day.tracker.phaseAggregates(),
      symbol_coverage_pct: md ? md.coveragePct : null,
      missing_price_count: result.missing_price_count,
      fallback_count: result.fallback_count,
      model_count: runTotals.modelMarks,
      analytics_jobs_expected: runTotals.expected,
      analytics_jobs_completed: runTotals.completed,
      errors: result.errors,
    },
    { level: status === 'failed' ? 'error' : status === 'partial' ? 'warn' : 'info' },
  );
  return { result, cancelled };
}

/** The date-scoped phases, in order. Returns the first critical one that failed: then the date's portfolio-dates do not run. */
async function runDatePhases(a: DateRunArgs, pd: PlannedDate, dateCtx: DateContext, day: DayState, prefetch: Record<string, unknown> | null): Promise<PhaseName | null> {
  const { deps, run } = a;
  const d = pd.date;
  let dateFailedPhase: PhaseName | null = null;
  for (const phase of DATE_PHASES) {
    if (!pd.datePhases.includes(phase.name)) continue;
    const startedAt = run.nowIso();
    a.telemetry.recordMetric('phase_start', { date: d, phase: phase.name, scope: 'date', portfolio_id: null, portfolio_index: null, portfolio_count: pd.portfolios.length, chunk_index: dateCtx.chunkIndex });
    // Traced as the phase finds them: market_data fills closes and logs its requests.
    const traceInputs = a.monitor?.tracing ? datePhaseTraceInputs(phase.name, dateCtx) : null;
    const p0 = deps.clock.now();
    const o = await safeRunAsync(deps.store, async () => {
      deps.hooks?.beforePhase?.(phase.name, d, null);
      return phase.run(dateCtx);
    });
    const ms = deps.clock.now() - p0;
    const metrics = phase.name === 'market_data' && prefetch ? { ...o.metrics, prefetch, fetch_mode: prefetch['fetch_mode'] } : o.metrics;
    day.tracker.setDatePhase(phase.name, entryOf(o, ms, startedAt), metrics);
    a.tally.countPhase(phase.name, o, ms);
    if (o.status === 'failed') day.errors.push(`${phase.name}: ${o.error ?? o.reason}`);
    recordPhaseResult(a.telemetry, { date: d, phase: phase.name, portfolioId: null, outcome: o, critical: phase.critical, durationMs: ms, metrics });
    if (o.status === 'failed' && phase.critical) dateFailedPhase ??= phase.name;
    if (traceInputs) a.monitor?.afterDatePhase(phase.name, { outcome: o, ...traceInputs });
  }
  return dateFailedPhase;
}

/** The analytics symbol stage (c.10), once per date before the portfolio transactions, when a portfolio-date runs analytics. */
function runSymbolStage(a: DateRunArgs, pd: PlannedDate, dateCtx: DateContext, day: DayState, dateFailedPhase: PhaseName | null): void {
  if (dateFailedPhase !== null || !pd.portfolios.some((p) => p.phases.includes('analytics'))) return;
  const { deps } = a;
  const analytics = PORTFOLIO_PHASES.find((p) => p.name === 'analytics')!;
  const traceInputs = a.monitor?.tracing ? datePhaseTraceInputs('analytics', dateCtx) : null;
  const s0 = deps.clock.now();
  const o = safeRun(deps.store, () => analytics.prepareDate!(dateCtx));
  const stageMs = deps.clock.now() - s0;
  let symbolStageFailed: string | null = null;
  if (o.status === 'failed') {
    symbolStageFailed = o.error ?? o.reason;
    day.errors.push(`analytics symbol stage: ${symbolStageFailed}`);
  }
  day.tracker.setMeta('analytics_symbol_stage', { status: o.status, reason: o.reason, error: o.error, duration_ms: stageMs, ...o.metrics });
  dateCtx.shared.set('symbol_stage_failed', symbolStageFailed);
  if (traceInputs) a.monitor?.afterDatePhase('analytics', { outcome: o, ...traceInputs });
}

interface PortfolioWork {
  readonly status: DateStatus;
  readonly cancelled: boolean;
  readonly portfolios: PortfolioResult[];
  /** The analytics totals and model marks over every portfolio of the date. */
  readonly dateTotals: ReturnType<DateTracker['portfolioTotals']>;
}

/**
 * A portfolio-date a cancel left unrun (g.10): each planned phase without an entry is recorded
 * `skipped` for `cancelled`; entries an earlier run stored stay, as the date's previous state.
 */
function withCancelled(tracker: DateTracker, planned: PlannedPortfolio): DateTracker {
  const entries: Partial<Record<PhaseName, PhaseEntry>> = {};
  for (const phase of planned.phases) {
    if (tracker.portfolioEntry(phase, planned.portfolioId) === null) entries[phase] = { status: 'skipped', duration_ms: 0, reason: 'cancelled', error: null };
  }
  return Object.keys(entries).length ? tracker.withPortfolio(planned.portfolioId, entries, {}) : tracker;
}

/** The date's portfolio-dates in order, until a stop request (the rest are cancelled); then the date's totals. */
function runDatePortfolios(a: DateRunArgs, pd: PlannedDate, dateCtx: DateContext, day: DayState, dateFailedPhase: PhaseName | null): PortfolioWork {
  const { deps, run } = a;
  const d = pd.date;
  const portfolios: PortfolioResult[] = [];
  let cancelled = false;
  for (let i = 0; i < pd.portfolios.length; i++) {
    const pp = pd.portfolios[i]!;
    const portfolio = run.portfolios.get(pp.portfolioId)!;
    if (a.wantsStop()) {
      cancelled = true;
      for (const rest of pd.portfolios.slice(i)) {
        const p = run.portfolios.get(rest.portfolioId)!;
        portfolios.push({ portfolio_id: p.id, name: p.name, status: 'cancelled', nav: null, daily_pnl: null, cash: null, phases: {}, analytics_jobs: {}, marks: {} });
        day.tracker = withCancelled(day.tracker, rest);
      }
      break;
    }
    a.heartbeat();
    const errorsBefore = day.errors.length;
    const r = processPortfolioDate(a, { tracker: day.tracker, planned: pp, portfolio, dateCtx, index: i, count: pd.portfolios.length, dateFailedPhase, dateErrors: day.errors });
    if (r.blockedBy) {
      a.tally.blocked.push({ date: d, portfolioId: portfolio.id, blockedBy: r.blockedBy });
      for (let k = errorsBefore; k < day.errors.length; k++) day.blockedErrors.add(k);
    }
    day.tracker = r.tracker;
    portfolios.push(r.result);
    if (r.rewroteMarks) a.tally.addRewrite(portfolio.id, d, r.marksChanged);
    deps.hooks?.afterPortfolioDate?.(d, portfolio.id);
  }
  // The run's totals count the portfolio-dates this run ran analytics on; the date's count every
  // portfolio of the date, so re-running some of them (or other phases) keeps the others' share (h.4).
  a.tally.addAnalytics(day.tracker.portfolioTotals(ranPhase(pd, 'analytics')));
  const dateTotals = day.tracker.portfolioTotals();
  day.tracker.setMeta('model_count', dateTotals.modelMarks);
  if (pd.skipped.length > 0) day.tracker.setMeta('skipped_portfolios', skippedPortfolios(pd.skipped));
  day.tracker.setMeta('analytics_totals', { jobs_expected: dateTotals.expected, jobs_completed: dateTotals.completed, jobs_failed: dateTotals.failed, jobs_skipped: dateTotals.skipped, jobs_not_applicable: dateTotals.notApplicable, guard_skips: dateTotals.guard });
  return { status: day.tracker.status(), cancelled, portfolios, dateTotals };
}

/** Portfolios the planner left out of a date, with its reason code (g.3; an empty portfolio is edge input, m.22: recorded, not an error). */
function skippedPortfolios(skipped: PlannedDate['skipped']): { portfolio_id: string; reason: string }[] {
  return skipped.map((sk) => ({ portfolio_id: sk.portfolioId, reason: sk.reason }));
}

/** A date's entry in the summary's results. */
function dateResultOf(x: { date: IsoDate; status: string; durationMs: number; md: MarketDataShared | null; portfolios: PortfolioResult[]; skipped: PlannedDate['skipped']; errors: readonly string[] }): DateResult {
  return {
    date: x.date,
    status: x.status,
    duration_seconds: x.durationMs / 1000,
    missing_price_count: x.md ? x.md.missingSymbols.length : 0,
    fallback_count: x.md ? x.md.fallback : 0,
    missing_symbols: x.md ? [...x.md.missingSymbols] : [],
    portfolios: x.portfolios,
    ...(x.skipped.length > 0 ? { skipped_portfolios: skippedPortfolios(x.skipped) } : {}),
    errors: x.errors.slice(0, 20),
  };
}

/**
 * The planned portfolios that run `phase` on the date: their metadata holds this run's counts of
 * it. A portfolio's counts of a phase it does not run are an earlier run's (the tracking row
 * keeps them), not this run's.
 */
function ranPhase(pd: PlannedDate, phase: PhaseName): string[] {
  return pd.portfolios.filter((p) => p.phases.includes(phase)).map((p) => p.portfolioId);
}
