/**
 * The live view's state (SPEC.md h.7), built from the tracking table and the telemetry
 * stream: a date x phase grid with per-portfolio detail, the running cell, progress with an
 * ETA, running totals and a log tail. Pure functions: `applyBatch` folds one throttled batch
 * into a new state, `seedFromTracking` rebuilds the rows from the stored ones, and `gridView`
 * adds the dates still to run and the dates a cancelled run did not run. A monitor-only run
 * (g.12: the app's "Debug a date") publishes nothing, so its dates are kept apart from the
 * database's (`monitorRows`).
 */
import type { OtherProcessRun } from '../../core/api/commands/run-commands';
import type { CommandOutput } from '../../core/api/contract';
import { EXIT } from '../../core/api/errors';
import type { TrackingRow } from '../../core/api/commands/view-commands';
import type { TelemetryBatch } from '../../core/api/telemetry-throttle';
import type { EventPayload, TelemetryEvent } from '../../core/api/telemetry-events';
import { aggregateStatus as aggregatePhaseStatus, PHASE_NAMES, type PhaseName } from '../../core/domain/phase';
import type { EngineError } from '../engine-client/engine-error';

export interface PortfolioCell {
  readonly status: string;
  readonly reason: string | null;
  readonly error: string | null;
  readonly durationMs: number | null;
  readonly metrics: Readonly<Record<string, unknown>> | null;
}

export interface GridCell extends PortfolioCell {
  /** Portfolio-scoped phases: one entry per portfolio; empty for date-scoped phases. */
  readonly portfolios: Readonly<Record<string, PortfolioCell>>;
}

export interface GridRow {
  readonly date: string;
  readonly status: string;
  readonly cells: Readonly<Partial<Record<PhaseName, GridCell>>>;
  readonly missingPrices: number;
  readonly fallbacks: number;
  readonly jobsExpected: number;
  readonly jobsCompleted: number;
  /** The tracking row is complete (or the date finished in the live run). */
  readonly complete: boolean;
  /** Touched by the live run. */
  readonly live: boolean;
  readonly errors: readonly string[];
  /** Portfolios the live run processes on this date (from phase_start); null when unknown. */
  readonly portfolioCount: number | null;
}

export interface RunInfo {
  readonly runId: string | null;
  readonly batchRunId: string;
  readonly mode: string;
  readonly triggeredBy: string;
  readonly firstDate: string | null;
  readonly lastDate: string | null;
  readonly datesPlanned: number;
  readonly chunkCount: number;
  readonly phases: readonly string[];
  readonly startedAt: string;
}

export interface LogEntry {
  /** Unique among the lines of a state: the line's serial number (LiveState.logSerial). */
  readonly key: string;
  readonly seq: number;
  readonly ts: string;
  readonly level: TelemetryEvent['level'];
  readonly event: TelemetryEvent['event'];
  /** The event itself: the log words it (renderer/features/telemetry/log-words.ts), with the portfolio names it knows. */
  readonly origin: TelemetryEvent;
}

export interface Counters {
  readonly missingPrices: number;
  readonly fallbacks: number;
  readonly modelMarks: number;
  /**
   * Symbol ranges asked of the price sources: one `provider_request` event each, so the count
   * equals the run summary's `market_data.requests` (Yahoo's HTTP requests are
   * `provider_http_request` events, not counted here).
   */
  readonly providerRequests: number;
  readonly retries: number;
  readonly circuitState: string | null;
  readonly failedPhases: number;
}

/**
 * This window's last start request, until the run's first event: a run the engine refuses
 * (another process holds the lock, bad options; SPEC.md g.9, m.16) or ends before it starts
 * emits no event at all, only a run status, so the store follows that status meanwhile.
 */
export type RunStart =
  /** `resuming`: the cancelled run a resume continues and the dates left to it (its resume plan), when known. */
  | { readonly state: 'starting'; readonly resuming?: { readonly batchRunId: string; readonly dates: number } }
  | {
      readonly state: 'refused';
      readonly error: EngineError;
      readonly exitCode: number | null;
      /** The lock row of the process that holds the database, for a lock refusal. */
      readonly lockHolder: Readonly<Record<string, unknown>> | null;
    }
  /** The engine found nothing to run (its message), e.g. another process ran the dates meanwhile. */
  | { readonly state: 'nothing_to_run'; readonly message: string };

/** A row of `listRuns` (batch_run_history): a run of any process, this app's or another's. */
export type HistoryRun = CommandOutput<'listRuns'>['runs'][number];

/** What the store last saw of a run another process does on the file (SPEC.md g.9, i.5), read while this app runs none. */
export type OtherRunWatch =
  | { readonly state: 'none' }
  | { readonly state: 'running'; readonly run: OtherProcessRun }
  /**
   * The run it showed no longer holds the file (it ended, was cancelled, or its process is gone);
   * `status`: its history row's status once it let go (null when that row could not be read).
   */
  | { readonly state: 'finished'; readonly run: OtherProcessRun; readonly status: string | null }
  | { readonly state: 'error'; readonly error: unknown };

export interface LiveState {
  readonly phase: 'idle' | 'running' | 'finished';
  readonly run: RunInfo | null;
  readonly result: EventPayload<'run_result'> | null;
  /** The database's dates: tracking rows, and the dates a publishing live run touched. */
  readonly rows: Readonly<Record<string, GridRow>>;
  /** The dates a monitor-only live run computed (g.12): nothing of them is in the database. */
  readonly monitorRows: Readonly<Record<string, GridRow>>;
  /** This window asked the live run to cancel (g.10); cleared by the next run's start. */
  readonly cancelRequested: boolean;
  /** Dates the UI planned (plan preview) for the run it starts: shown as pending until they get a row or the run ends. */
  readonly plannedDates: readonly string[];
  /** Dates the finished run planned and did not finish because it was cancelled (g.10): shown as not run. */
  readonly notRunDates: readonly string[];
  readonly start: RunStart | null;
  /** The run the live run resumes (g.11), once read from the history: its id and batch run id. */
  readonly resumes: { readonly runId: string; readonly batchRunId: string } | null;
  /** The run of another process on the file, watched while this app runs none. */
  readonly otherRun: OtherRunWatch;
  /**
   * The history's latest run, whatever process did it, read while the run of another process is
   * watched and none holds the file (so also one that started and ended between two looks).
   */
  readonly latestRun: HistoryRun | null;
  readonly current: { readonly date: string; readonly phase: string; readonly portfolioId: string | null; readonly index: number | null; readonly count: number } | null;
  readonly datesDone: number;
  readonly recentDateMs: readonly number[];
  readonly counters: Counters;
  /** The latest LOG_CAPACITY log lines; older ones are dropped. */
  readonly log: readonly LogEntry[];
  /** Log lines received in all (dropped ones included): more than `log` holds once lines were dropped. */
  readonly logReceived: number;
  /**
   * The serial number the next log line's key takes. An event's own fields make no key: the
   * events of no run (a purge's, a restore's steps) carry no run id, and each operation numbers
   * its events from 1, so a purge's step 1 and a restore's step 1 would share one.
   */
  readonly logSerial: number;
  readonly lastSeq: number;
  /**
   * Timestamp (engine clock) of the live run's latest event up to its run_result: where its
   * duration ends. Events of no run (a purge's steps) and of other runs leave it as it is.
   */
  readonly runLastTs: string | null;
  /** Wall-clock receipt of the last batch (ms, performance.now()), for the ETA. */
  readonly updatedAt: number;
}

export const LOG_CAPACITY = 2000;

const ZERO: Counters = { missingPrices: 0, fallbacks: 0, modelMarks: 0, providerRequests: 0, retries: 0, circuitState: null, failedPhases: 0 };

export const EMPTY_LIVE: LiveState = {
  phase: 'idle',
  run: null,
  result: null,
  rows: {},
  monitorRows: {},
  cancelRequested: false,
  plannedDates: [],
  notRunDates: [],
  start: null,
  resumes: null,
  otherRun: { state: 'none' },
  latestRun: null,
  current: null,
  datesDone: 0,
  recentDateMs: [],
  counters: ZERO,
  log: [],
  logReceived: 0,
  logSerial: 0,
  lastSeq: 0,
  runLastTs: null,
  updatedAt: 0,
};

/** The six display classes of a raw status (issue 8: pending, running, ok, warning, failed, skipped). */
export type CellClass = 'pending' | 'running' | 'ok' | 'warning' | 'failed' | 'skipped';

export function cellClass(status: string | undefined | null): CellClass {
  switch (status) {
    case 'success':
    case 'not_applicable':
    case 'imported':
    case 'completed':
      return 'ok';
    case 'partial':
    case 'stale':
    case 'warning':
      return 'warning';
    case 'failed':
    case 'rolled_back':
    case 'interrupted':
      return 'failed';
    case 'skipped':
    case 'cancelled':
      return 'skipped';
    case 'running':
    case 'in_progress':
      return 'running';
    default:
      return 'pending';
  }
}

/**
 * Aggregate of a portfolio phase over its portfolios (SPEC.md h.4): the rule the tracking row
 * is written with (core/domain/phase.ts), so the live grid and the stored row agree; a phase
 * with no portfolio yet is pending.
 */
export function aggregateStatus(portfolios: readonly PortfolioCell[]): string {
  return portfolios.length === 0 ? 'pending' : aggregatePhaseStatus(portfolios);
}

const emptyRow = (date: string): GridRow => ({ date, status: 'pending', cells: {}, missingPrices: 0, fallbacks: 0, jobsExpected: 0, jobsCompleted: 0, complete: false, live: false, errors: [], portfolioCount: null });

/**
 * A stored row; `ended`: its run (this window's) is over, so an unfinished row was cancelled
 * rather than running. The host shows a date another run left open with that run's end.
 */
function rowFromTracking(t: TrackingRow, ended: boolean): GridRow {
  const cells: Partial<Record<PhaseName, GridCell>> = {};
  for (const name of PHASE_NAMES) {
    const p = t.phases[name];
    if (!p) continue;
    const portfolios: Record<string, PortfolioCell> = {};
    for (const [id, c] of Object.entries(p.portfolios ?? {})) portfolios[id] = { status: c.status, reason: c.reason, error: c.error, durationMs: c.durationMs, metrics: null };
    cells[name] = { status: p.status, reason: p.reason, error: p.error, durationMs: p.durationMs, metrics: null, portfolios };
  }
  return {
    date: t.date,
    status: t.complete || t.status !== 'running' ? t.status : ended ? 'cancelled' : 'running',
    cells,
    missingPrices: t.missingPriceCount,
    fallbacks: t.fallbackCount,
    jobsExpected: t.jobsExpected,
    jobsCompleted: t.jobsCompleted,
    complete: t.complete,
    live: false,
    errors: t.errors,
    portfolioCount: null,
  };
}

/**
 * Rebuilds the rows from the stored tracking rows (SPEC.md h.7). A date without one (purged,
 * or never finished) has no row, whatever the replayed events said: an incomplete date is
 * visible in no view (m.1). Only the dates the running live run is working on keep their live
 * rows, as their tracking rows lag behind its events. Once the live run is over, its
 * unfinished rows are the dates its cancel stopped (g.10).
 */
export function seedFromTracking(state: LiveState, rows: readonly TrackingRow[]): LiveState {
  const next: Record<string, GridRow> = {};
  if (state.phase === 'running') for (const r of Object.values(state.rows)) if (r.live) next[r.date] = r;
  const endedRun = state.phase === 'finished' ? (state.run?.runId ?? null) : null;
  for (const t of rows) {
    const live = next[t.date];
    if (live && (!t.complete || live.status === 'running')) continue;
    const stored = rowFromTracking(t, endedRun !== null && t.runId === endedRun);
    // A date the running live run has finished stays one it touched, now as stored.
    next[t.date] = live ? { ...stored, live: true } : stored;
  }
  return { ...state, rows: next };
}

/**
 * After a reload: the run's finished dates whose events have left the ring (a long backfill
 * emits far more than the ring holds) count from their tracking rows, so progress and the
 * running totals are whole again. Dates the replayed events finished are already counted.
 */
export function countTrackedDates(state: LiveState, rows: readonly TrackingRow[]): LiveState {
  const runId = state.run?.runId;
  if (!runId) return state;
  let { datesDone, counters } = state;
  for (const t of rows) {
    if (t.runId !== runId || !t.complete) continue;
    const replayed = state.rows[t.date];
    if (replayed?.live && replayed.complete) continue;
    let failedPhases = 0;
    for (const p of Object.values(t.phases)) {
      if (p.portfolios) failedPhases += Object.values(p.portfolios).filter((c) => c.status === 'failed').length;
      else if (p.status === 'failed') failedPhases++;
    }
    datesDone++;
    counters = {
      ...counters,
      missingPrices: counters.missingPrices + t.missingPriceCount,
      fallbacks: counters.fallbacks + t.fallbackCount,
      modelMarks: counters.modelMarks + t.modelCount,
      failedPhases: counters.failedPhases + failedPhases,
    };
  }
  return datesDone === state.datesDone ? state : { ...state, datesDone, counters };
}

export function withPlannedDates(state: LiveState, dates: readonly string[]): LiveState {
  return { ...state, plannedDates: dates };
}

export function withNotRunDates(state: LiveState, dates: readonly string[]): LiveState {
  return { ...state, notRunDates: dates };
}

export function withStart(state: LiveState, start: RunStart | null): LiveState {
  return { ...state, start };
}

export function withCancelRequested(state: LiveState): LiveState {
  return { ...state, cancelRequested: true };
}

/** `runId` (the live run, a resume) continues the run `resumedBatchRunId`; ignored once another run is live. */
export function withResumedRun(state: LiveState, runId: string, resumedBatchRunId: string): LiveState {
  return state.run?.runId === runId ? { ...state, resumes: { runId, batchRunId: resumedBatchRunId } } : state;
}

/**
 * A restore or an import replaced the database (the host's `database_replaced` event): the runs
 * this state shows (the live run, its log lines, the history's latest run, another process's run)
 * may not be in the new file, so they go; the rows stay until the tracking rows are read again
 * (seedFromTracking). A run in progress keeps everything: its events are still coming.
 */
export function withDatabaseReplaced(state: LiveState): LiveState {
  if (state.phase === 'running') return state;
  const log = state.log.filter((l) => l.origin.run_id === null);
  return { ...EMPTY_LIVE, rows: untouched(state.rows), log, logReceived: log.length, logSerial: state.logSerial, lastSeq: state.lastSeq, updatedAt: state.updatedAt };
}

/** A monitor-only run (g.12, `mode = 'monitor'`): computes and rolls back, publishes nothing. */
export function isMonitorRun(run: RunInfo | null): boolean {
  return run?.mode === 'monitor';
}

/**
 * The history's latest run when it started after the runs the state shows (this app's live run,
 * the run of another process watched): a run of another process seen only in the history, after
 * a reload or because it started and ended between two looks. Null when a shown run is the latest.
 */
export function laterHistoryRun(s: LiveState): HistoryRun | null {
  const h = s.latestRun;
  if (!h) return null;
  const other = s.otherRun.state === 'running' || s.otherRun.state === 'finished' ? s.otherRun.run : null;
  const shown = [s.run ? { id: s.run.runId, startedAt: s.run.startedAt } : null, other ? { id: other.runId, startedAt: other.startedAt } : null];
  return shown.every((r) => r === null || (r.id !== h.id && Date.parse(h.startedAt) > Date.parse(r.startedAt))) ? h : null;
}

/** The live run's state as the header and the Live screen name it: idle, running, or its outcome. */
export function runStateOf(s: LiveState): string {
  if (s.phase !== 'finished') return s.phase;
  return s.result?.cancelled ? 'cancelled' : (s.result?.status ?? 'finished');
}

/**
 * The live run's state as its chip shows it: the words (runStateOf's, except for a monitor-only
 * run whose comparison found differences) and the status class that colours it. A monitor-only
 * run that completed with exit code 4 found rows not the same as the stored ones (g.12; a debug
 * run has no guard): "completed, differences found", in the warning tone, as Debug a date says.
 */
export function runStateLabelOf(s: LiveState): { readonly words: string; readonly cls: string } {
  const state = runStateOf(s);
  if (state === 'completed' && isMonitorRun(s.run) && s.result?.exit_code === EXIT.checkFailed) return { words: 'completed, differences found', cls: 'warning' };
  return { words: state, cls: state };
}

/** What the live run is called: a monitor-only run is the debug kind, which publishes nothing. */
export function runKindOf(run: RunInfo | null): string {
  return isMonitorRun(run) ? 'monitor-only (debug) run' : 'run';
}

/**
 * The cancel this window asked for (g.10, m.4): requested while the run finishes its current
 * portfolio-date, then what it came to once the run_result arrived; null otherwise.
 */
export function cancelNoteOf(s: LiveState): string | null {
  if (!s.cancelRequested) return null;
  if (s.phase === 'running') return 'Cancel requested: the run stops after its current portfolio-date.';
  if (s.phase === 'finished' && s.result?.cancelled) return `Cancelled after ${s.datesDone} date${s.datesDone === 1 ? '' : 's'}.`;
  return null;
}

/**
 * What the grid shows: the rows, sorted by date, plus the planned dates without a row
 * (no row: pending) and the dates the cancelled run did not run (a `cancelled` row without
 * cells: each phase reads "not run"). Once the run has started, a planned date it has not
 * reached yet is pending too, not what an earlier run left there.
 */
export function gridView(state: LiveState): { dates: string[]; rows: Readonly<Record<string, GridRow>> } {
  const missing = state.notRunDates.filter((d) => !state.rows[d]);
  const queued = new Set(state.phase === 'running' && !isMonitorRun(state.run) ? state.plannedDates.filter((d) => state.rows[d] && !state.rows[d].live) : []);
  let rows = missing.length === 0 ? state.rows : { ...state.rows, ...Object.fromEntries(missing.map((d) => [d, { ...emptyRow(d), status: 'cancelled' }])) };
  if (queued.size > 0) rows = Object.fromEntries(Object.entries(rows).filter(([d]) => !queued.has(d)));
  const dates = new Set(Object.keys(rows));
  for (const d of state.plannedDates) dates.add(d);
  return { dates: [...dates].sort(), rows };
}

function setPortfolioCell(row: GridRow, phase: PhaseName, portfolioId: string, cell: PortfolioCell): GridRow {
  const prev = row.cells[phase];
  const portfolios = { ...(prev?.portfolios ?? {}), [portfolioId]: cell };
  // While the date runs, a phase that some portfolios have not reached yet is still in progress.
  const waiting = !row.complete && row.portfolioCount !== null && Object.keys(portfolios).length < row.portfolioCount;
  const status = waiting ? 'running' : aggregateStatus(Object.values(portfolios));
  const agg: GridCell = { status, reason: status === 'failed' ? cell.reason : (prev?.reason ?? null), error: cell.error ?? prev?.error ?? null, durationMs: (prev?.durationMs ?? 0) + (cell.durationMs ?? 0), metrics: prev?.metrics ?? null, portfolios };
  return { ...row, cells: { ...row.cells, [phase]: agg } };
}

/** The rows the live run's events go to: the database's, or a monitor-only run's own. */
function liveRowsOf(s: LiveState): Readonly<Record<string, GridRow>> {
  return isMonitorRun(s.run) ? s.monitorRows : s.rows;
}

/** The live run's row of a date: the one its events built, else a new one (not an earlier run's cells). */
function liveRowOf(s: LiveState, date: string): GridRow {
  const row = liveRowsOf(s)[date];
  return row?.live ? row : emptyRow(date);
}

/** The rows as no run has touched them yet: a new run starts from the stored rows, not the last run's. */
function untouched(rows: Readonly<Record<string, GridRow>>): Readonly<Record<string, GridRow>> {
  return Object.values(rows).some((r) => r.live) ? Object.fromEntries(Object.entries(rows).map(([d, r]) => [d, r.live ? { ...r, live: false } : r])) : rows;
}

function withLiveRow(s: LiveState, row: GridRow): LiveState {
  return isMonitorRun(s.run) ? { ...s, monitorRows: { ...s.monitorRows, [row.date]: row } } : { ...s, rows: { ...s.rows, [row.date]: row } };
}

function applyEvent(s: LiveState, e: TelemetryEvent, counts: Readonly<Record<string, number>>): LiveState {
  switch (e.event) {
    case 'run_start': {
      const p = e.payload;
      return {
        ...s,
        phase: 'running',
        result: null,
        rows: untouched(s.rows),
        monitorRows: {},
        cancelRequested: false,
        notRunDates: [],
        start: null,
        resumes: null,
        current: null,
        datesDone: 0,
        recentDateMs: [],
        counters: ZERO,
        run: { runId: e.run_id, batchRunId: p.batch_run_id, mode: p.mode, triggeredBy: p.triggered_by, firstDate: p.first_date, lastDate: p.last_date, datesPlanned: p.date_count, chunkCount: p.chunk_count, phases: p.phases, startedAt: e.ts },
      };
    }
    case 'phase_start': {
      const p = e.payload;
      const phase = p.phase as PhaseName;
      let row: GridRow = { ...liveRowOf(s, p.date), live: true, complete: false, status: 'running', portfolioCount: p.portfolio_count };
      if (p.portfolio_id) row = setPortfolioCell(row, phase, p.portfolio_id, { status: 'running', reason: null, error: null, durationMs: null, metrics: null });
      else row = { ...row, cells: { ...row.cells, [phase]: { status: 'running', reason: null, error: null, durationMs: null, metrics: null, portfolios: {} } } };
      return { ...withLiveRow(s, row), phase: s.phase === 'idle' ? 'running' : s.phase, current: { date: p.date, phase: p.phase, portfolioId: p.portfolio_id, index: p.portfolio_index, count: p.portfolio_count } };
    }
    case 'phase_result': {
      const p = e.payload;
      const phase = p.phase as PhaseName;
      const cell: PortfolioCell = { status: p.status, reason: p.reason, error: p.error, durationMs: p.duration_ms, metrics: p.metrics };
      let row = { ...liveRowOf(s, p.date), live: true };
      if (p.portfolio_id) row = setPortfolioCell(row, phase, p.portfolio_id, cell);
      else row = { ...row, cells: { ...row.cells, [phase]: { ...cell, portfolios: {} } } };
      const counters = p.status === 'failed' ? { ...s.counters, failedPhases: s.counters.failedPhases + 1 } : s.counters;
      return { ...withLiveRow(s, row), counters };
    }
    case 'date_result': {
      const p = e.payload;
      const prev = liveRowOf(s, p.date);
      const cells: Partial<Record<PhaseName, GridCell>> = { ...prev.cells };
      // The date is over: portfolio phases aggregate what they got (the engine's statuses below win).
      for (const [name, c] of Object.entries(cells) as [PhaseName, GridCell][]) {
        if (Object.keys(c.portfolios).length > 0) cells[name] = { ...c, status: aggregateStatus(Object.values(c.portfolios)) };
      }
      for (const [name, status] of Object.entries(p.phases)) {
        const c = cells[name as PhaseName];
        cells[name as PhaseName] = c ? { ...c, status } : { status, reason: null, error: null, durationMs: null, metrics: null, portfolios: {} };
      }
      const row: GridRow = {
        ...prev,
        cells,
        status: p.status,
        missingPrices: p.missing_price_count,
        fallbacks: p.fallback_count,
        jobsExpected: p.analytics_jobs_expected,
        jobsCompleted: p.analytics_jobs_completed,
        complete: p.status !== 'cancelled',
        live: true,
        errors: p.errors,
      };
      return {
        ...withLiveRow(s, row),
        datesDone: s.datesDone + (p.status === 'cancelled' ? 0 : 1),
        recentDateMs: [...s.recentDateMs, p.duration_ms].slice(-30),
        counters: { ...s.counters, missingPrices: s.counters.missingPrices + p.missing_price_count, fallbacks: s.counters.fallbacks + p.fallback_count, modelMarks: s.counters.modelMarks + p.model_count },
      };
    }
    case 'run_result':
      // What the run left undone is no longer pending: the store asks the engine which dates those are.
      return { ...s, phase: 'finished', result: e.payload, current: null, plannedDates: [] };
    case 'metric': {
      const p = e.payload;
      const n = counts[`metric:${p.name}`] ?? 1;
      if (p.name === 'provider_request') return { ...s, counters: { ...s.counters, providerRequests: s.counters.providerRequests + n } };
      if (p.name === 'provider_retry') return { ...s, counters: { ...s.counters, retries: s.counters.retries + n } };
      if (p.name === 'circuit_state') return { ...s, counters: { ...s.counters, circuitState: String(p.tags['state'] ?? p.value ?? 'unknown') } };
      return s;
    }
  }
}

/**
 * The live run's clock after `e`: an event of that run moves it while the run lasts, its
 * run_result last, so its duration is its own (not stretched by a later purge's steps).
 */
function withRunClock(s: LiveState, e: TelemetryEvent): LiveState {
  const own = e.run_id !== null && e.run_id === s.run?.runId;
  return own && (s.phase === 'running' || e.event === 'run_result') ? { ...s, runLastTs: e.ts } : s;
}

/** Folds one throttled batch into the state (one UI update). */
export function applyBatch(state: LiveState, batch: TelemetryBatch, nowMs: number): LiveState {
  let s = state;
  const log: LogEntry[] = [];
  for (const e of batch.events) {
    s = withRunClock(applyEvent(s, e, batch.counts), e);
    log.push({ key: String(s.logSerial + log.length), seq: e.seq, ts: e.ts, level: e.level, event: e.event, origin: e });
  }
  const last = batch.events[batch.events.length - 1];
  const merged = s.log.length + log.length > LOG_CAPACITY ? [...s.log, ...log].slice(-LOG_CAPACITY) : [...s.log, ...log];
  return { ...s, log: merged, logReceived: s.logReceived + log.length, logSerial: s.logSerial + log.length, lastSeq: last ? last.seq : s.lastSeq, updatedAt: nowMs };
}

/**
 * The live run's duration on the engine's clock (BATCHDESK_NOW may pin it): from its run_start
 * to its run_result, or to its latest event while it runs. Only its own events count: the
 * steps of a purge or a restore done after it have no run id and leave it as it was.
 */
export function elapsedOf(s: LiveState): number | null {
  if (!s.run || !s.runLastTs) return null;
  const ms = Date.parse(s.runLastTs) - Date.parse(s.run.startedAt);
  return Number.isFinite(ms) ? Math.max(0, ms) : null;
}

/** Progress in [0, 1] and the ETA in ms from the mean of recent date durations; null before the first date. */
export function progressOf(s: LiveState): { fraction: number; done: number; planned: number; etaMs: number | null } {
  const planned = s.run?.datesPlanned ?? 0;
  const done = Math.min(s.datesDone, planned || s.datesDone);
  const fraction = planned > 0 ? done / planned : s.phase === 'finished' ? 1 : 0;
  if (s.phase !== 'running' || s.recentDateMs.length === 0 || planned === 0) return { fraction, done, planned, etaMs: s.phase === 'finished' ? 0 : null };
  const mean = s.recentDateMs.reduce((a, b) => a + b, 0) / s.recentDateMs.length;
  return { fraction, done, planned, etaMs: Math.max(0, (planned - done) * mean) };
}
