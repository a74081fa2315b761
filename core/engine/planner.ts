/**
 * Planning a run (SPEC.md g.2, g.3, c.11, m.3, m.5): which dates, which portfolios and
 * phases on each, and why. Usage problems (a date after the target date, a non-trading
 * --target-date, unknown portfolios, missing prerequisites) are BatchdeskError('usage').
 */
import { BatchdeskError, usageError } from '../api/errors';
import type { RunOptions } from '../api/run-options';
import {
  firstTradingDayOnOrAfter,
  isTradingDay,
  nextTradingDay,
  previousTradingDay,
  targetDate as targetDateOf,
  tradingDaysBetween,
} from '../calendar';
import { shortIds } from '../domain/short-ids';
import type { IsoDate } from '../domain/iso-date';
import { PHASE_NAMES, type PhaseName } from '../domain/phase';
import type { Lot, RealizedEvent } from '../domain/portfolio';
import { FACTOR_ETFS } from '../domain/symbols';
import { rebuildCommandFor } from '../maintenance/interrupted-rebuild';
import { underlyingOf } from '../phases/market-data/symbols-needed';
import { marksInPlace, uncoveredSymbols } from '../phases/marks';
import type { EngineStore } from '../ports/engine-store';
import type { HistoryRecord, PortfolioRecord, TrackingRecord } from '../ports/store';
import { chunkDates } from './chunks';
import { PURGED_PORTFOLIOS_KEY } from './date-tracker';
import { dependentsOf, PHASE_TABLE } from './phase-table';
import { resolvePortfolioIds } from './portfolio-scope';
import type { PlannedDate, PlannedPortfolio, RunPlan, SkippedPortfolio } from './plan-types';
import { resumeChain, runToResume } from './resume-options';

export type PlannerStore = Pick<
  EngineStore,
  'latestSnapshotDate' | 'loadTrackingRange' | 'getRun' | 'latestResumable' | 'hasMarks' | 'snapshotOf' | 'loadTracking' | 'previousSnapshot' | 'loadRealizedEvents' | 'loadPrices' | 'missingPriceSymbols'
>;

export interface PlannerInput {
  readonly options: RunOptions;
  readonly nowMs: number;
  /** Every non-deleted portfolio. */
  readonly portfolios: readonly PortfolioRecord[];
  readonly lotsByPortfolio: ReadonlyMap<string, readonly Lot[]>;
  readonly store: PlannerStore;
  /** Appended to the commands its refusals advise (` --db PATH`), so they act on this database as printed. */
  readonly commandSuffix?: string;
  /**
   * A dry run's view of a killed run: the run of a stale lock, which still reads 'running'. A run
   * takes that lock over (marking the run interrupted) before it plans; a dry run changes nothing
   * and plans a resume of it as the run would.
   */
  readonly deadRunId?: string | null;
}

const DATE_PHASES: readonly PhaseName[] = ['market_data', 'fundamentals'];

function ordered(phases: Iterable<PhaseName>): PhaseName[] {
  const set = new Set(phases);
  return PHASE_NAMES.filter((p) => set.has(p));
}

/** Producer phases of each phase's inputs (c.11), from the declarations. */
function producersOf(name: PhaseName): PhaseName[] {
  const p = PHASE_TABLE.find((x) => x.name === name)!;
  const idx = PHASE_TABLE.indexOf(p);
  return PHASE_TABLE.slice(0, idx)
    .filter((q) => q.writes.some((w) => p.reads.includes(w)))
    .map((q) => q.name);
}

function earliestEntry(lots: readonly Lot[] | undefined): IsoDate | null {
  let min: IsoDate | null = null;
  for (const l of lots ?? []) if (min === null || l.entryDate < min) min = l.entryDate;
  return min;
}

/**
 * A requested date must be settled: on or before the target date (its place in the calendar is
 * checked by the options schema). Also used by rebuild before it purges anything.
 */
export function checkSettledDate(d: IsoDate, target: IsoDate, flag: string): void {
  if (d > target) throw usageError(`${flag} ${d}: its close is not settled yet (the target date, the latest settled trading day, is ${target})`);
}

function scopePortfolios(input: PlannerInput): PortfolioRecord[] {
  const { options } = input;
  const byId = new Map(input.portfolios.map((p) => [p.id, p]));
  const requested = resolvePortfolioIds(input.portfolios, options.portfolios);
  const list = requested.length ? requested.map((id) => byId.get(id)!) : input.portfolios.filter((p) => p.isActive);
  return [...new Set(list)].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1));
}

function selectedPhases(options: RunOptions): PhaseName[] {
  const chosen = options.phases.length ? ordered(options.phases) : [...PHASE_NAMES];
  if (!options.withPrerequisites) return chosen;
  const all = new Set(chosen);
  for (const p of chosen) for (const q of producersOf(p)) all.add(q);
  return ordered(all);
}

interface PortfolioCursor {
  readonly next: IsoDate | null;
  readonly reason: 'after_watermark' | 'new_portfolio' | 'no_positions';
  readonly firstEntry: IsoDate | null;
}

function cursorOf(p: PortfolioRecord, input: PlannerInput, incomplete: IsoDate | null): PortfolioCursor {
  const lots = input.lotsByPortfolio.get(p.id);
  const firstEntry = earliestEntry(lots);
  if (!firstEntry) return { next: null, reason: 'no_positions', firstEntry: null };
  const latest = input.store.latestSnapshotDate(p.id);
  if (latest === null) return { next: firstTradingDayOnOrAfter(firstEntry), reason: 'new_portfolio', firstEntry };
  let next = nextTradingDay(latest);
  if (incomplete && incomplete < next && incomplete >= firstEntry) next = incomplete;
  return { next, reason: 'after_watermark', firstEntry };
}

function portfolioStatusIn(t: TrackingRecord, phase: PhaseName, portfolioId: string): { status: string; reason: string | null } | null {
  const entry = (t.phaseStatus as Record<string, { portfolios?: Record<string, { status: string; reason: string | null }> }> | null)?.[phase];
  return entry?.portfolios?.[portfolioId] ?? null;
}

/**
 * The inputs a --phase selection lacks (c.11), gathered per phase and producer over the plan:
 * said once each with its dates and portfolios by name, not once per portfolio-date.
 */
class PrerequisiteGaps {
  private readonly byPair = new Map<string, { phase: PhaseName; needs: PhaseName; dates: Set<IsoDate>; portfolios: Set<string>; symbols: Set<string> }>();

  /** `symbols`: the inputs found missing, when the check names them (marks: symbols with no close and no missing_prices row). */
  add(phase: PhaseName, needs: PhaseName, date: IsoDate, portfolioId: string | null, symbols: readonly string[] = []): void {
    const key = `${phase}|${needs}`;
    const gap = this.byPair.get(key) ?? this.byPair.set(key, { phase, needs, dates: new Set(), portfolios: new Set(), symbols: new Set() }).get(key)!;
    gap.dates.add(date);
    if (portfolioId !== null) gap.portfolios.add(portfolioId);
    for (const s of symbols) gap.symbols.add(s);
  }

  /**
   * "analytics needs snapshots on 23 dates (2025-06-30 .. 2025-07-31) of 5 portfolios (A, B, C and 2 more)";
   * "marks needs market_data on 2025-07-01 (no close and no missing_prices row for MSFT)".
   */
  words(nameOf: (id: string) => string): string[] {
    const some = (items: readonly string[]) => (items.length > 3 ? `${items.slice(0, 3).join(', ')} and ${items.length - 3} more` : items.join(', '));
    return [...this.byPair.values()].map((g) => {
      const dates = [...g.dates].sort();
      const when = dates.length === 1 ? `on ${dates[0]}` : `on ${dates.length} dates (${dates[0]} .. ${dates[dates.length - 1]})`;
      const names = [...g.portfolios].map(nameOf).sort();
      const who = names.length === 0 ? '' : names.length === 1 ? ` of portfolio ${some(names)}` : ` of ${names.length} portfolios (${some(names)})`;
      const what = g.symbols.size ? ` (no close and no missing_prices row for ${some([...g.symbols].sort())})` : '';
      return `${g.phase} needs ${g.needs} ${when}${who}${what}`;
    });
  }

  /** The selected phases with the producers they lack, in the phase table's order. */
  phasesToAdd(selected: readonly string[]): PhaseName[] {
    const wanted = new Set<string>([...selected, ...[...this.byPair.values()].map((g) => g.needs)]);
    return PHASE_NAMES.filter((p) => wanted.has(p));
  }
}

/**
 * The price cache as the marks prerequisite reads it, per date and only when asked: whether a
 * symbol has a valid close (positive and finite; a close flagged as a jump is used, e.4) and
 * which symbols have a missing_prices row.
 */
function storedCloses(store: PlannerStore, lotsByPortfolio: ReadonlyMap<string, readonly Lot[]>) {
  const symbols = [...new Set([...FACTOR_ETFS, ...[...lotsByPortfolio.values()].flat().flatMap((l) => [l.symbol, underlyingOf(l) ?? l.symbol])])];
  const closed = new Map<IsoDate, Set<string>>();
  const missing = new Map<IsoDate, Set<string>>();
  return {
    has(d: IsoDate): (symbol: string) => boolean {
      let set = closed.get(d);
      if (!set) closed.set(d, (set = new Set(store.loadPrices(symbols, d, d).filter((p) => Number.isFinite(p.close) && p.close > 0).map((p) => p.symbol))));
      return (s) => set.has(s);
    },
    missing(d: IsoDate): ReadonlySet<string> {
      return missing.get(d) ?? missing.set(d, store.missingPriceSymbols(d)).get(d)!;
    },
  };
}

/**
 * A lot's realized events, for the planned portfolios, read once and only when asked: the
 * prerequisite check needs them only for a portfolio-date without stored marks.
 */
function realizedEventsOf(store: PlannerStore, dates: readonly PlannedDate[]): (lotId: string) => readonly RealizedEvent[] {
  let byLot: Map<string, RealizedEvent[]> | null = null;
  return (lotId) => {
    if (!byLot) {
      byLot = new Map();
      const ids = [...new Set(dates.flatMap((d) => d.portfolios.map((p) => p.portfolioId)))];
      for (const e of store.loadRealizedEvents(ids)) (byLot.get(e.positionId) ?? byLot.set(e.positionId, []).get(e.positionId)!).push(e);
    }
    return byLot.get(lotId) ?? [];
  };
}

function dateStatusIn(t: TrackingRecord, phase: PhaseName): string | null {
  return ((t.phaseStatus as Record<string, { status?: string }> | null)?.[phase]?.status as string | undefined) ?? null;
}

/** The planned phases of one portfolio on a retried date, and the earliest phase whose failure put them there. */
interface RetryCell {
  readonly phases: Set<PhaseName>;
  cause: PhaseName;
  /** The portfolio's entries were removed by a purge limited to it (j.4): every phase is redone. */
  purged?: boolean;
}

/**
 * g.3 retry rows: the failed, skipped-by-failure, guard-skipped or stale cells plus their
 * dependents. A date a run left unfinished (killed: closed as failed, `interrupted`, when its
 * lock was taken over; or still open) recorded nothing for the portfolios whose work it had not
 * committed: each such portfolio processed on the date (`firstEntry` on or before it) is redone
 * from its first phase, after the date phases that did not succeed (m.1: its rows rolled back).
 */
function retryCells(
  t: TrackingRecord,
  scope: readonly PortfolioRecord[],
  selected: ReadonlySet<PhaseName>,
  firstEntry: ReadonlyMap<string, IsoDate | null>,
): { date: PhaseName[]; portfolios: Map<string, RetryCell>; legacy: boolean } {
  const portfolios = new Map<string, RetryCell>();
  const datePhases = new Set<PhaseName>();
  const add = (pid: string, cause: PhaseName, phases: Iterable<PhaseName>) => {
    let cell = portfolios.get(pid);
    if (!cell) portfolios.set(pid, (cell = { phases: new Set(), cause }));
    else if (PHASE_NAMES.indexOf(cause) < PHASE_NAMES.indexOf(cell.cause)) cell.cause = cause;
    for (const p of phases) if (selected.has(p)) cell.phases.add(p);
  };
  if (!t.phaseStatus) {
    const legacyFailed = t.status === 'failed';
    if (legacyFailed) {
      for (const p of DATE_PHASES) if (selected.has(p)) datePhases.add(p);
      for (const p of scope) add(p.id, 'market_data', PHASE_NAMES.filter((x) => !DATE_PHASES.includes(x)));
    }
    return { date: ordered(datePhases), portfolios, legacy: legacyFailed };
  }
  for (const dp of DATE_PHASES) {
    const st = dateStatusIn(t, dp);
    if (st === 'failed' || st === 'stale') {
      if (selected.has(dp)) datePhases.add(dp);
      const later = dp === 'market_data' ? PHASE_NAMES.filter((x) => !DATE_PHASES.includes(x)) : dependentsOf(dp).filter((x) => !DATE_PHASES.includes(x));
      for (const p of scope) add(p.id, dp, later);
    }
  }
  const portfolioPhases = PHASE_NAMES.filter((x) => !DATE_PHASES.includes(x));
  const unfinished = t.completedAt === null || t.interrupted === true;
  const listed = t.metadata?.[PURGED_PORTFOLIOS_KEY];
  const purged = new Set(Array.isArray(listed) ? listed.filter((x): x is string => typeof x === 'string') : []);
  for (const p of scope) {
    let recorded = false;
    for (const phase of portfolioPhases) {
      const e = portfolioStatusIn(t, phase, p.id);
      if (!e) continue;
      recorded = true;
      const redo = e.status === 'failed' || e.status === 'stale' || (e.status === 'skipped' && (e.reason === 'upstream_failed' || e.reason === 'insufficient_marks' || e.reason === 'cancelled'));
      if (redo) add(p.id, phase, [phase, ...dependentsOf(phase)]);
    }
    const entry = firstEntry.get(p.id) ?? null;
    if (!recorded && entry !== null && entry <= t.runDate && purged.has(p.id)) {
      add(p.id, portfolioPhases[0]!, portfolioPhases);
      portfolios.get(p.id)!.purged = true;
    } else if (unfinished && !recorded && entry !== null && entry <= t.runDate) {
      const notDone = DATE_PHASES.filter((dp) => dateStatusIn(t, dp) !== 'success');
      for (const dp of notDone) if (selected.has(dp)) datePhases.add(dp);
      add(p.id, notDone[0] ?? portfolioPhases[0]!, portfolioPhases);
    }
  }
  return { date: ordered(datePhases), portfolios, legacy: false };
}

/** The batch run id (h.5: `batch_...`) of the run that last wrote a tracking row; rows written before it was recorded give the run's id. */
function batchRunIdOf(t: TrackingRecord): string {
  const id = t.metadata?.['batch_run_id'];
  return typeof id === 'string' && id ? id : (t.runId ?? 'unknown');
}

function planRetry(input: PlannerInput, scope: readonly PortfolioRecord[], selected: ReadonlySet<PhaseName>, target: IsoDate): PlannedDate[] {
  const { options } = input;
  let rows: TrackingRecord[];
  if (options.targetDate) rows = input.store.loadTrackingRange(options.targetDate, options.targetDate);
  else if (options.startDate) rows = input.store.loadTrackingRange(options.startDate, options.endDate ?? target);
  else rows = input.store.loadTrackingRange(null, target).filter((r) => r.status === 'failed' || r.status === 'partial' || r.status === 'stale' || (r.completedAt === null && r.status !== 'imported'));
  const firstEntry = new Map(scope.map((p) => [p.id, earliestEntry(input.lotsByPortfolio.get(p.id))]));
  const out: PlannedDate[] = [];
  for (const t of rows) {
    if (t.runDate > target) continue;
    const cells = retryCells(t, scope, selected, firstEntry);
    const planned: PlannedPortfolio[] = [];
    for (const p of scope) {
      const cell = cells.portfolios.get(p.id);
      // g.3: `retry:<phase>:<batch_run_id>` names the phase that failed (or went stale), not the first one redone.
      if (cell && cell.phases.size) planned.push({ portfolioId: p.id, phases: ordered(cell.phases), reason: cells.legacy ? 'retry_legacy' : cell.purged ? 'retry_purged' : `retry:${cell.cause}:${batchRunIdOf(t)}` });
    }
    if (planned.length === 0 && cells.date.length === 0) continue;
    out.push({ date: t.runDate, datePhases: cells.date, portfolios: planned, skipped: [] });
  }
  return out;
}

/**
 * The portfolios whose first planned snapshot cannot be computed: the equity chain (d.4) needs
 * the previous trading day's snapshot, and the plan neither has it nor runs it, so that date
 * and every later one of the portfolio would fail with previous_day_missing (g.3). Said in the
 * plan, before anything runs, with the date to start from.
 */
function brokenChainWarnings(dates: readonly PlannedDate[], scope: readonly PortfolioRecord[], store: PlannerStore): string[] {
  // Portfolio names by (first planned date, latest snapshot before it): one line per gap.
  const gaps = new Map<string, { first: IsoDate; latest: IsoDate; names: string[] }>();
  for (const p of scope) {
    const first = dates.find((pd) => pd.portfolios.some((pp) => pp.portfolioId === p.id && pp.phases.includes('snapshots')));
    if (!first) continue;
    const previous = store.previousSnapshot(p.id, first.date);
    if (!previous || previous.snapshotDate === previousTradingDay(first.date)) continue;
    const key = `${first.date}|${previous.snapshotDate}`;
    const gap = gaps.get(key) ?? gaps.set(key, { first: first.date, latest: previous.snapshotDate, names: [] }).get(key)!;
    gap.names.push(p.name);
  }
  return [...gaps.values()].map(
    (g) =>
      `${g.names.join(', ')} ${g.names.length === 1 ? 'has' : 'have'} no snapshot for ${previousTradingDay(g.first)} (the latest before ${g.first} is ${g.latest}): ` +
      `the planned dates from ${g.first} would fail (previous_day_missing); start at ${nextTradingDay(g.latest)} instead`,
  );
}

/**
 * Why a rebuild's stopped run (history mode 'rebuild': its backfill or retry, j.5) is not
 * resumed, and what to do: a resume would redo the backfill's dates only, while the rebuild
 * purged the range before and verifies it after, so the rebuild is what to run again. Its
 * range, portfolios and the options that changed what it computed are the run's options, as
 * the rebuild gave them. `latest` when `--resume` named no run: only such runs are left, so
 * nothing is resumable.
 */
function rebuildRunRefusal(run: HistoryRecord, latest: boolean, commandSuffix: string): string {
  const o = (run.options ?? {}) as Partial<RunOptions>;
  const range = o.startDate && o.endDate ? ` of ${o.startDate} .. ${o.endDate}` : '';
  const rerun = o.startDate && o.endDate ? `\`${rebuildCommandFor({ range: { start: o.startDate, end: o.endDate }, portfolioIds: o.portfolios ?? [], options: { chunkDays: o.chunkDays, marketData: o.marketData, csvDir: o.csvDir } }, commandSuffix)}\`` : 'the same rebuild command';
  const step = `was a step of the rebuild${range}, which a resume cannot finish (the rebuild purged the range before that run and verifies it after); run the rebuild again with ${rerun}`;
  return latest ? `there is no interrupted or cancelled run to resume: the latest one, ${run.batchRunId}, ${step}` : `run ${run.batchRunId} ${step}`;
}

export function planRun(input: PlannerInput): RunPlan {
  const { options } = input;
  const target = targetDateOf(input.nowMs);
  const scope = scopePortfolios(input);
  const selected = selectedPhases(options);
  const selectedSet = new Set(selected);
  const warnings: string[] = [];
  let resumedRunId: string | null = null;

  if (options.resume) {
    const dead = input.deadRunId ? input.store.getRun(input.deadRunId) : null;
    const run = runToResume(input.store, options.resume, dead);
    if (!run) throw usageError(options.resume === 'latest' ? 'there is no interrupted or cancelled run to resume' : `run ${options.resume} not found; see \`batchdesk history${input.commandSuffix ?? ''}\``);
    const stopped = run.status === 'interrupted' || run.status === 'cancelled' || (run.status === 'running' && run.id === dead?.id);
    if (!stopped) throw usageError(`run ${run.id} ended ${run.status}; only interrupted or cancelled runs can be resumed`);
    if (run.mode === 'rebuild') throw usageError(rebuildRunRefusal(run, options.resume === 'latest', input.commandSuffix ?? ''));
    if (run.resumedBy) throw usageError(`run ${run.batchRunId} was resumed already, by ${run.resumedBy}; see \`batchdesk history${input.commandSuffix ?? ''}\``);
    // A stopped resume continues the plan of the run it resumed: the first run of the chain
    // holds the plan's options, and what any run of the chain finished is done.
    const chain = resumeChain(input.store, run);
    const chainIds = new Set(chain.map((r) => r.id));
    const first = chain[chain.length - 1]!;
    const stored = first.options as RunOptions;
    // Planned as of the first run's start: the dates it resolved (its target date included), not
    // the later ones a run today would add (g.2: a resume runs the plan of the run it resumes).
    const startedMs = Date.parse(first.startedAt);
    const inner = planRun({ ...input, nowMs: Number.isFinite(startedMs) ? Math.min(startedMs, input.nowMs) : input.nowMs, options: { ...stored, resume: undefined, dryRun: options.dryRun, triggeredBy: options.triggeredBy } });
    resumedRunId = run.id;
    const dates = inner.dates
      .map((pd) => {
        const t = input.store.loadTracking(pd.date);
        const done = (pid: string, phases: readonly PhaseName[]) =>
          t !== null && t.completedAt !== null && t.runId !== null && chainIds.has(t.runId) && phases.every((ph) => portfolioStatusIn(t, ph, pid)?.status === 'success');
        return { ...pd, portfolios: pd.portfolios.filter((p) => !done(p.portfolioId, p.phases)).map((p) => ({ ...p, reason: `resume:${run.batchRunId}` })) };
      })
      .filter((pd) => pd.portfolios.length > 0);
    return {
      ...inner,
      mode: 'resume',
      dates,
      chunks: chunkDates(dates.map((d) => d.date), stored.chunkDays ?? 0),
      resumedRunId,
      targetDerivation: `the target date of the run resumed, ${first.batchRunId}, as of its start`,
    };
  }

  let dates: PlannedDate[];
  let upToDate: string | null = null;
  const datePhasesFor = (portfolios: readonly PlannedPortfolio[]) => (portfolios.length ? DATE_PHASES.filter((p) => selectedSet.has(p)) : []);
  const entryOf = new Map(scope.map((p) => [p.id, earliestEntry(input.lotsByPortfolio.get(p.id))]));

  // The dates asked for are checked alike for a retry (m.5, k.3: a usage error, exit 2).
  if (options.targetDate) {
    checkSettledDate(options.targetDate, target, '--target-date');
    if (!isTradingDay(options.targetDate)) throw usageError(`--target-date ${options.targetDate} is not a trading day; the previous trading day is ${previousTradingDay(options.targetDate)}`);
  } else if (options.startDate) {
    checkSettledDate(options.startDate, target, '--start-date');
    checkSettledDate(options.endDate ?? target, target, '--end-date');
  }
  if (options.retryFailedPhases) {
    dates = planRetry(input, scope, selectedSet, target);
  } else if (options.targetDate || options.startDate) {
    let days: readonly IsoDate[];
    if (options.targetDate) {
      days = [options.targetDate];
    } else {
      const start = options.startDate!;
      const end = options.endDate ?? target;
      days = tradingDaysBetween(start, end);
      if (days.length === 0) upToDate = `Nothing to run: ${start === end ? `${start} is not a trading day` : `no trading day from ${start} to ${end}`} (weekends and NYSE holidays are not processed)`;
    }
    dates = days.map((d) => {
      const planned: PlannedPortfolio[] = [];
      const skipped: SkippedPortfolio[] = [];
      for (const p of scope) {
        const first = entryOf.get(p.id) ?? null;
        if (!first) skipped.push({ portfolioId: p.id, reason: 'no_positions' });
        else if (d < first) skipped.push({ portfolioId: p.id, reason: 'before_first_entry' });
        else planned.push({ portfolioId: p.id, phases: selected.filter((x) => !DATE_PHASES.includes(x)), reason: 'explicit' });
      }
      return { date: d, datePhases: datePhasesFor(planned), portfolios: planned, skipped };
    });
  } else {
    const incomplete = input.store.loadTrackingRange(null, target).find((t) => t.completedAt === null && t.status !== 'imported')?.runDate ?? null;
    const cursors = new Map(scope.map((p) => [p.id, cursorOf(p, input, incomplete)]));
    const nexts = [...cursors.values()].map((c) => c.next).filter((n): n is IsoDate => n !== null);
    const first = nexts.length ? nexts.reduce((a, b) => (a < b ? a : b)) : null;
    if (!first || first > target) {
      upToDate = `Already up to date as of ${target}`;
      dates = [];
    } else {
      dates = tradingDaysBetween(first, target).map((d) => {
        const planned: PlannedPortfolio[] = [];
        const skipped: SkippedPortfolio[] = [];
        for (const p of scope) {
          const c = cursors.get(p.id)!;
          if (c.next === null) skipped.push({ portfolioId: p.id, reason: 'no_positions' });
          else if (c.firstEntry && d < c.firstEntry) skipped.push({ portfolioId: p.id, reason: 'before_first_entry' });
          else if (d < c.next) skipped.push({ portfolioId: p.id, reason: 'up_to_date' });
          else planned.push({ portfolioId: p.id, phases: selected.filter((x) => !DATE_PHASES.includes(x)), reason: c.reason });
        }
        return { date: d, datePhases: datePhasesFor(planned), portfolios: planned, skipped };
      });
    }
  }
  const requested = dates;
  dates = dates.filter((d) => d.portfolios.length > 0 || d.datePhases.length > 0);
  // Nothing to do is said plainly, as for an empty automatic range, and records no run.
  if (dates.length === 0 && upToDate === null) {
    if (options.retryFailedPhases) {
      upToDate = `Nothing to retry as of ${target}: no failed, skipped-by-failure, guard-skipped or stale phase in the tracked dates`;
    } else {
      const reasons = new Map<string, number>();
      for (const sk of requested.flatMap((d) => d.skipped)) reasons.set(sk.reason, (reasons.get(sk.reason) ?? 0) + 1);
      // In words: "5 before first entry" (the reason codes of g.3, their underscores as spaces).
      const why = [...reasons].map(([r, n]) => `${n} ${r.replace(/_/g, ' ')}`).join(', ');
      upToDate = `Nothing to run: no portfolio in scope is processed on the requested dates${why ? ` (portfolio-dates left out: ${why})` : ''}`;
    }
  }

  // Prerequisites (c.11): inputs of selected phases whose producers are not selected.
  if (!options.withPrerequisites && !options.retryFailedPhases) {
    const gaps = new PrerequisiteGaps();
    const eventsOf = realizedEventsOf(input.store, dates);
    const closes = storedCloses(input.store, input.lotsByPortfolio);
    for (const pd of dates) {
      for (const pp of pd.portfolios) {
        const has = new Set<PhaseName>([...pd.datePhases, ...pp.phases]);
        if (has.has('marks') && !has.has('market_data')) {
          // A date-level input (no portfolio of its own): a close or a missing_prices row for every symbol needed, as the phase checks it.
          const uncovered = uncoveredSymbols(input.lotsByPortfolio.get(pp.portfolioId) ?? [], pd.date, closes.has(pd.date), closes.missing(pd.date));
          if (uncovered.length) gaps.add('marks', 'market_data', pd.date, null, uncovered);
        }
        const marksMissing = !has.has('marks') && !marksInPlace(input.store.hasMarks(pp.portfolioId, pd.date), input.lotsByPortfolio.get(pp.portfolioId) ?? [], eventsOf, pd.date);
        if (has.has('snapshots') && marksMissing) gaps.add('snapshots', 'marks', pd.date, pp.portfolioId);
        if (has.has('analytics') && !has.has('snapshots') && !input.store.snapshotOf(pp.portfolioId, pd.date)) gaps.add('analytics', 'snapshots', pd.date, pp.portfolioId);
        if (has.has('analytics') && marksMissing) gaps.add('analytics', 'marks', pd.date, pp.portfolioId);
      }
    }
    const nameOf = new Map(input.portfolios.map((p) => [p.id, p.name]));
    const words = gaps.words((id) => nameOf.get(id) ?? id);
    if (words.length) {
      const fix = `Add the producer phases (--phase ${gaps.phasesToAdd(options.phases).join(',')}), or let the run add them (--with-prerequisites)`;
      // g.4: a dry run shows the plan with the gap among its warnings, as it does a closed gate or a held lock.
      if (options.dryRun) warnings.push(`missing prerequisites for --phase: ${words.join('; ')}; the run is refused as planned. ${fix}`);
      else throw new BatchdeskError('usage', `missing prerequisites for --phase: ${words.join('; ')}. ${fix}`, { problems: words });
    }
  }

  // g.8: one warning per date, naming the portfolios (by name and short id) whose later snapshots go
  // stale if the re-run changes a value (the run knows only once it has written them).
  const short = shortIds(input.portfolios.map((p) => p.id));
  const nameOf = new Map(input.portfolios.map((p) => [p.id, `${p.name} (${short(p.id)})`]));
  // A date before a portfolio's first snapshot is no re-run: it becomes the new baseline, and
  // every later date of the portfolio goes stale whatever the values (g.4, g.8).
  const names = (pps: readonly PlannedPortfolio[]) => pps.map((pp) => nameOf.get(pp.portfolioId) ?? pp.portfolioId).join(', ');
  for (const pd of dates) {
    const staled = pd.portfolios.filter((pp) => {
      if (options.retryFailedPhases || !(pp.phases.includes('snapshots') || pp.phases.includes('marks'))) return false;
      const latest = input.store.latestSnapshotDate(pp.portfolioId);
      return latest !== null && latest > pd.date && !dates.some((x) => x.date > pd.date && x.portfolios.some((y) => y.portfolioId === pp.portfolioId));
    });
    const baseline: PlannedPortfolio[] = [];
    const rerun: PlannedPortfolio[] = [];
    for (const pp of staled) {
      const isNewBaseline = input.store.previousSnapshot(pp.portfolioId, pd.date) === null && input.store.snapshotOf(pp.portfolioId, pd.date) === null;
      (isNewBaseline ? baseline : rerun).push(pp);
    }
    if (baseline.length > 0) {
      warnings.push(`${pd.date} comes before the first snapshot of ${names(baseline)}: processing it makes it the new baseline, and every later date of ${baseline.length === 1 ? 'that portfolio' : 'those portfolios'} stale`);
    }
    if (rerun.length > 0) warnings.push(`re-running ${pd.date} makes later snapshots of ${names(rerun)} stale if its marks or snapshot change, unless they are re-run too`);
  }

  if (!options.monitorOnly) warnings.push(...brokenChainWarnings(dates, scope, input.store));

  return {
    targetDate: target,
    targetDerivation: 'the latest trading day whose close is settled, at 16:30 America/New_York',
    mode: options.monitorOnly ? 'monitor' : options.retryFailedPhases ? 'retry' : 'normal',
    selectedPhases: selected,
    portfolioScope: options.portfolios.length ? scope.map((p) => p.id) : 'all',
    dates,
    chunks: chunkDates(dates.map((d) => d.date), options.chunkDays),
    warnings,
    refusedBy: [],
    upToDateMessage: upToDate,
    resumedRunId,
  };
}
