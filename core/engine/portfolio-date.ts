/**
 * One portfolio-date (SPEC.md g.6, m.1): its selected portfolio phases in order, in one
 * transaction (a savepoint of the date's). A critical failure rolls it back whole: the failure,
 * the rolled-back earlier phases and the skipped later ones are recorded instead. When a
 * critical date phase failed, the portfolio-date does not run and every phase is recorded
 * skipped (upstream_failed). A later phase that reads what a re-run phase wrote, and did not run
 * itself, becomes stale (g.8). A failed portfolio-date keeps no row of an earlier run (g.8).
 */
import { isBenignSkip, type PhaseName, type PhaseOutcome } from '../domain/phase';
import type { IsoDate } from '../domain/iso-date';
import { shortIds } from '../domain/short-ids';
import { lotsConsidered } from '../phases/marks';
import type { DateTracker, PhaseEntry } from './date-tracker';
import type { MonitorRecorder } from './monitor-recorder';
import { phaseTraceInputs } from './monitor-trace-inputs';
import { PHASE_TABLE } from './phase-table';
import { CriticalFailure, entryOf, recordPhaseResult, safeRun, writeTransaction } from './phase-run';
import type { DateContext, PortfolioDateContext, PortfolioPhase, RunContext } from './phase-types';
import type { PlannedPortfolio } from './plan-types';
import type { EngineDeps } from './run-context';
import type { PortfolioResult } from './run-summary';
import type { RunTally } from './run-tally';

export const PORTFOLIO_PHASES = PHASE_TABLE.filter((p): p is PortfolioPhase => p.scope === 'portfolio');

/**
 * The phases whose rows discardPortfolioDate removes: the marks, the snapshot (its analytics
 * columns with it) and the analytics rows. Sector tags stay: they read no mark.
 */
const DISCARDED_WITH_A_FAILURE: readonly PhaseName[] = ['marks', 'snapshots', 'analytics'];

const UPSTREAM_FAILED: PhaseOutcome = { status: 'skipped', reason: 'upstream_failed', error: null, metrics: {} };

/** What a portfolio-date needs of the run. */
export interface PortfolioDateArgs {
  readonly deps: EngineDeps;
  readonly run: RunContext;
  readonly tally: RunTally;
  /** Monitor-only difference recorder (g.12). */
  readonly monitor: MonitorRecorder | null;
}

type PortfolioRecord = RunContext['portfolios'] extends ReadonlyMap<string, infer P> ? P : never;

export interface PortfolioDateInput {
  /** The date's tracking row so far. */
  readonly tracker: DateTracker;
  readonly planned: PlannedPortfolio;
  readonly portfolio: PortfolioRecord;
  readonly dateCtx: DateContext;
  /** Its place among the date's portfolios (phase_start events). */
  readonly index: number;
  readonly count: number;
  /** The critical date phase that failed, if one did: then the portfolio-date does not run. */
  readonly dateFailedPhase: PhaseName | null;
  /** The date's errors, which this portfolio-date's failures join. */
  readonly dateErrors: string[];
}

export interface PortfolioDateOutcome {
  /** The tracking row with this portfolio's entries (adopted once its transaction committed). */
  readonly tracker: DateTracker;
  readonly result: PortfolioResult;
  /** Its marks or snapshots were rewritten: a later date this makes stale is up to date again (g.8). */
  readonly rewroteMarks: boolean;
  /** ... with other values than before: later dates of the portfolio may become stale (g.8). */
  readonly marksChanged: boolean;
  /** The date with no snapshot that blocked it (previous_day_missing), if that failed it. */
  readonly blockedBy: string | null;
}

/** The recorded outcomes of one portfolio-date's phases: tracking entries, metrics, summary results. */
interface PhaseRecorder {
  readonly entries: Partial<Record<PhaseName, PhaseEntry>>;
  readonly metrics: Partial<Record<PhaseName, unknown>>;
  readonly results: PortfolioResult['phases'];
  record(name: PhaseName, o: PhaseOutcome, ms: number, critical: boolean): void;
}

function phaseRecorder(a: PortfolioDateArgs, date: IsoDate, portfolioId: string, dateErrors: string[]): PhaseRecorder {
  const entries: Partial<Record<PhaseName, PhaseEntry>> = {};
  const metrics: Partial<Record<PhaseName, unknown>> = {};
  const results: PortfolioResult['phases'] = {};
  // What the run's totals hold for each phase, so that a rollback's record replaces it.
  const counted = new Map<PhaseName, { status: PhaseOutcome['status']; ms: number }>();
  return {
    entries,
    metrics,
    results,
    record(name, o, ms, critical) {
      entries[name] = entryOf(o, ms);
      metrics[name] = o.metrics;
      results[name] = { status: o.status, duration_ms: ms, reason: o.reason, error: o.error };
      a.tally.countPhase(name, o, ms, counted.get(name));
      counted.set(name, { status: o.status, ms });
      // Short among the run's portfolios: imported ids can share their first 8 characters.
      if (o.status === 'failed') dateErrors.push(`${name}[${shortIds(a.run.portfolios.keys())(portfolioId)}]: ${o.error ?? o.reason}`);
      recordPhaseResult(a.run.telemetry, { date, phase: name, portfolioId, outcome: o, critical, durationMs: ms });
    },
  };
}

export function processPortfolioDate(a: PortfolioDateArgs, x: PortfolioDateInput): PortfolioDateOutcome {
  const { run } = a;
  const { portfolio, dateCtx, dateFailedPhase } = x;
  const d = dateCtx.date;
  const selected = new Set<PhaseName>([...dateCtx.datePhases, ...x.planned.phases]);
  const ctx: PortfolioDateContext = { run, date: d, dateContext: dateCtx, portfolio, lots: run.lotsByPortfolio.get(portfolio.id) ?? [], state: {}, selected };
  const rec = phaseRecorder(a, d, portfolio.id, x.dateErrors);
  let tracker = x.tracker;
  let failedPhase: PhaseName | null = null;
  let blockedBy: string | null = null;

  if (dateFailedPhase !== null) {
    for (const phase of PORTFOLIO_PHASES) if (selected.has(phase.name)) rec.record(phase.name, UPSTREAM_FAILED, 0, phase.critical);
    tracker = tracker.withPortfolio(portfolio.id, rec.entries, rec.metrics);
  } else {
    a.monitor?.beginPortfolio(d, portfolio.id, portfolio.name);
    try {
      let stale: PhaseName[] = [];
      const before = tracker;
      tracker = writeTransaction(run, () => {
        runPortfolioPhases(a, ctx, rec, x.index, x.count);
        stale = markDependentsStale(before, portfolio.id, selected, rec.entries, ctx.state.unchanged);
        return before.withPortfolio(portfolio.id, rec.entries, rec.metrics);
      });
      for (const p of stale) a.tally.countStale(p);
    } catch (err) {
      if (!(err instanceof CriticalFailure)) throw err;
      failedPhase = err.phase;
      if (err.outcome.reason === 'previous_day_missing') blockedBy = String(err.outcome.metrics['blocked_by']);
      tracker = recordRollback(tracker, portfolio.id, selected, rec, err);
    }
  }

  const ran = dateFailedPhase === null && failedPhase === null;
  // g.8: a re-run leaves exactly the rows a first run would have, and a first run that failed
  // here left none: the rows an earlier run wrote go with the failure (in the date's
  // transaction), when this run owned every phase whose rows that removes. A retry of stale
  // marks, snapshots and analytics is such a run: kept, the old snapshot let the later dates
  // roll forward from it and succeed on values the failure had left stale.
  const discarded = !ran && DISCARDED_WITH_A_FAILURE.every((p) => selected.has(p)) && run.store.discardPortfolioDate(portfolio.id, d, run.nowIso());
  const snap = ctx.state.snapshot;
  const marks = ctx.state.marks ?? [];
  // Keep the in-memory priced marks equal to the store: only marks that stay written count.
  if (!run.monitorOnly && ran) for (const m of marks) run.markHistory.record(m.positionId, d, m.price);
  const markCounts: Record<string, number> = {};
  for (const m of marks) if (m.isActive) markCounts[m.priceSource] = (markCounts[m.priceSource] ?? 0) + 1;
  if (dateFailedPhase !== null) a.monitor?.portfolioNotRun(d, portfolio.id, portfolio.name, dateFailedPhase);
  else a.monitor?.endPortfolio({ nav: snap?.totalValue ?? null, cash: snap?.cashValue ?? null, daily_pnl: snap?.dailyPnl ?? null, marks: markCounts, phases: rec.results }, failedPhase !== null);
  // The run's result counts the marks it wrote: a rolled-back portfolio-date's computed marks are
  // not in the store (the debugger above still sees what was computed).
  const writtenMarks = ran ? markCounts : {};
  return {
    tracker,
    blockedBy,
    // Discarded rows change what later dates read, as rewritten ones do (their dates become stale).
    rewroteMarks: discarded || (ran && (selected.has('marks') || selected.has('snapshots'))),
    marksChanged: discarded || (ran && (['marks', 'snapshots'] as const).some((p) => selected.has(p) && !ctx.state.unchanged?.has(p))),
    result: {
      portfolio_id: portfolio.id,
      name: portfolio.name,
      status: portfolioStatus(!ran, rec.results),
      nav: snap?.totalValue ?? null,
      daily_pnl: snap?.dailyPnl ?? null,
      cash: snap?.cashValue ?? null,
      phases: rec.results,
      analytics_jobs: ctx.state.analytics ? { ...ctx.state.analytics.jobs } : {},
      marks: writtenMarks,
    },
  };
}

/**
 * The selected phases in order, inside the portfolio-date's transaction. A critical failure is
 * thrown (CriticalFailure) to roll the transaction back; analytics and sector_tags are not
 * applicable to a portfolio with no position on the date.
 */
function runPortfolioPhases(a: PortfolioDateArgs, ctx: PortfolioDateContext, rec: PhaseRecorder, index: number, count: number): void {
  const { deps, run } = a;
  const { date: d, portfolio } = ctx;
  const noLots = lotsConsidered(ctx).length === 0;
  for (const phase of PORTFOLIO_PHASES) {
    if (!ctx.selected.has(phase.name)) continue;
    run.telemetry.recordMetric('phase_start', { date: d, phase: phase.name, scope: 'portfolio', portfolio_id: portfolio.id, portfolio_index: index, portfolio_count: count, chunk_index: ctx.dateContext.chunkIndex });
    const p0 = deps.clock.now();
    let o: PhaseOutcome;
    if (noLots && (phase.name === 'analytics' || phase.name === 'sector_tags')) o = { status: 'not_applicable', reason: 'no_positions', error: null, metrics: {} };
    else {
      const problem = phase.prerequisite?.(ctx) ?? null;
      o = problem
        ? { status: 'failed', reason: 'prerequisite_missing', error: problem, metrics: {} }
        : safeRun(deps.store, () => {
            deps.hooks?.beforePhase?.(phase.name, d, portfolio.id);
            return phase.run(ctx);
          });
    }
    const ms = deps.clock.now() - p0;
    // Traced before a critical failure rolls back, so the debugger sees the inputs that failed.
    if (a.monitor?.tracing) a.monitor.afterPhase(phase.name, { outcome: o, ...phaseTraceInputs(phase.name, ctx) });
    if (o.status === 'failed' && phase.critical) throw new CriticalFailure(phase.name, o);
    rec.record(phase.name, o, ms, phase.critical);
  }
}

/**
 * A portfolio-date rolled back by a critical failure: the failure, the earlier selected phases
 * rolled back and the later ones skipped (the date's tracking write, in the same date
 * transaction, carries them).
 */
function recordRollback(tracker: DateTracker, portfolioId: string, selected: ReadonlySet<PhaseName>, rec: PhaseRecorder, err: CriticalFailure): DateTracker {
  for (const k of Object.keys(rec.entries) as PhaseName[]) delete rec.entries[k];
  const at = PORTFOLIO_PHASES.findIndex((p) => p.name === err.phase);
  for (const p of PORTFOLIO_PHASES.slice(0, at)) {
    if (selected.has(p.name)) rec.record(p.name, { status: 'failed', reason: 'rolled_back', error: `rolled back: ${err.phase} failed`, metrics: {} }, 0, p.critical);
  }
  rec.record(err.phase, err.outcome, 0, true);
  for (const p of PORTFOLIO_PHASES.slice(at + 1)) if (selected.has(p.name)) rec.record(p.name, UPSTREAM_FAILED, 0, p.critical);
  return tracker.withPortfolio(portfolioId, rec.entries, rec.metrics);
}

/**
 * A portfolio-date's status in the summary: failed when it did not run or rolled back; partial
 * when a phase failed or the guard skipped its analytics; skipped when every phase was skipped
 * for a benign reason; success otherwise.
 */
export function portfolioStatus(failed: boolean, phases: PortfolioResult['phases']): PortfolioResult['status'] {
  if (failed) return 'failed';
  const results = Object.values(phases);
  if (results.some((r) => r.status === 'failed') || phases['analytics']?.reason === 'insufficient_marks') return 'partial';
  if (results.every(isBenignSkip)) return 'skipped';
  return 'success';
}

/**
 * g.8: a later phase that reads what a re-run phase wrote, and did not run itself, becomes
 * stale, unless the re-run wrote exactly the rows it replaced. Returns the phases it marked.
 */
function markDependentsStale(
  tracker: DateTracker,
  portfolioId: string,
  selected: ReadonlySet<PhaseName>,
  entries: Partial<Record<PhaseName, PhaseEntry>>,
  unchanged: ReadonlySet<PhaseName> = new Set(),
): PhaseName[] {
  const order = PORTFOLIO_PHASES.map((p) => p.name);
  const rewrote = order.filter((p) => selected.has(p) && entries[p]?.status === 'success' && !unchanged.has(p));
  if (rewrote.length === 0) return [];
  const marked: PhaseName[] = [];
  const dirty = new Set(PORTFOLIO_PHASES.filter((p) => rewrote.includes(p.name)).flatMap((p) => p.writes));
  for (const p of PORTFOLIO_PHASES) {
    if (selected.has(p.name)) {
      if (rewrote.includes(p.name)) for (const w of p.writes) dirty.add(w);
      continue;
    }
    if (!p.reads.some((r) => dirty.has(r))) continue;
    const existing = tracker.portfolioEntry(p.name, portfolioId);
    if (existing && existing.status === 'success') {
      entries[p.name] = { ...existing, status: 'stale' };
      marked.push(p.name);
    }
    for (const w of p.writes) dirty.add(w);
  }
  return marked;
}
