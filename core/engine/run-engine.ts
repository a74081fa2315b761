/**
 * The orchestrator (SPEC.md g.6): one loop over a declared phase table. It validates the
 * options and the phase order, plans, takes the run lock, checks the gate, writes the
 * history row, then per chunk prefetches prices and per date runs the date-scoped phases,
 * the analytics symbol stage and one transaction per portfolio-date. Cancellation stops at
 * a portfolio-date boundary; a crash leaves every committed portfolio-date intact and
 * nothing of the one in progress.
 */
import { BatchdeskError, EXIT } from '../api/errors';
import type { RunOptions } from '../api/run-options';
import type { IsoDate } from '../domain/iso-date';
import type { DateStatus, PhaseName, PhaseOutcome } from '../domain/phase';
import { isActiveOn, type Lot } from '../domain/portfolio';
import { formatTimestamp } from '../domain/timestamp';
import { MARKET_DATA_SHARED_KEY, type MarketDataShared } from '../phases/market-data';
import { chunkPriceTable, prefetchChunk } from '../phases/market-data/prefetch';
import { symbolsOfPlannedDate } from '../phases/market-data/symbols-needed';
import type { LockRecord, RunStatus } from '../ports/store';
import { createTelemetry, type Telemetry } from '../telemetry/record-metric';
import { DateTracker, type PhaseEntry } from './date-tracker';
import { previewFetches } from './fetch-preview';
import { PHASE_TABLE, validatePhaseOrder } from './phase-table';
import type { DateContext, PortfolioDateContext, PortfolioPhase, RunContext } from './phase-types';
import type { PlannedDate, PlannedPortfolio, RunPlan } from './plan-types';
import { planRun } from './planner';
import { MonitorRecorder } from './monitor-recorder';
import { datePhaseTraceInputs, phaseTraceInputs } from './monitor-trace-inputs';
import type { EngineStore } from '../ports/engine-store';
import { lockedError } from './locked-error';
import { sourcesProblem } from './settings';
import { createRunContext, loadRunInputs, resolveRunSettings, type EngineDeps, type GuardReport, type RunControl } from './run-context';
import { groupBlocked, RUN_SUMMARY_SCHEMA, runVerdict, upToDateSummary, zeroPhaseTotals, type BlockedPortfolioDate, type DateResult, type PortfolioResult, type RunSummary, type UpToDateSummary } from './run-summary';

export type RunResult =
  | { readonly kind: 'plan'; readonly plan: RunPlan; readonly exitCode: number }
  | { readonly kind: 'up_to_date'; readonly plan: RunPlan; readonly message: string; readonly summary: UpToDateSummary; readonly exitCode: number }
  | { readonly kind: 'run'; readonly plan: RunPlan; readonly summary: RunSummary; readonly exitCode: number };

const DATE_PHASES = PHASE_TABLE.filter((p) => p.scope === 'date');
const PORTFOLIO_PHASES = PHASE_TABLE.filter((p): p is PortfolioPhase => p.scope === 'portfolio');
const BENIGN = new Set(['no_positions', 'not_selected']);

class CriticalFailure extends Error {
  constructor(
    readonly phase: PhaseName,
    readonly outcome: PhaseOutcome,
  ) {
    super(outcome.error ?? outcome.reason ?? 'critical failure');
  }
}

function randomHex(deps: EngineDeps, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(deps.random.next() * 16).toString(16);
  return s;
}

function newRunIds(deps: EngineDeps): { runId: string; batchRunId: string } {
  const h = randomHex(deps, 32);
  const runId = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20)}`;
  const ts = formatTimestamp(deps.clock.now());
  const batchRunId = `batch_${ts.slice(0, 10).replace(/-/g, '')}_${ts.slice(11, 19).replace(/:/g, '')}_${randomHex(deps, 4)}`;
  return { runId, batchRunId };
}

function entryOf(o: PhaseOutcome, durationMs: number, startedAt?: string): PhaseEntry {
  return { status: o.status, ...(startedAt ? { started_at: startedAt } : {}), duration_ms: durationMs, reason: o.reason, error: o.error };
}

function safeRun(fn: () => PhaseOutcome): PhaseOutcome {
  try {
    return fn();
  } catch (err) {
    if (err instanceof CriticalFailure) throw err;
    const e = err as Error & { code?: string };
    if (e.code === 'SQLITE_FULL' || e.code === 'SQLITE_READONLY' || e.code === 'SQLITE_IOERR' || e.code === 'SQLITE_CANTOPEN') throw err;
    return { status: 'failed', reason: 'exception', error: `${e.message}${e.code ? ` (${e.code})` : ''}`, metrics: {} };
  }
}

async function safeRunAsync(fn: () => Promise<PhaseOutcome>): Promise<PhaseOutcome> {
  try {
    return await fn();
  } catch (err) {
    const e = err as Error & { code?: string };
    if (e.code === 'SQLITE_FULL' || e.code === 'SQLITE_READONLY' || e.code === 'SQLITE_IOERR' || e.code === 'SQLITE_CANTOPEN') throw err;
    return { status: 'failed', reason: 'exception', error: `${e.message}${e.code ? ` (${e.code})` : ''}`, metrics: {} };
  }
}

/** Plans (and for a dry run, stops); otherwise executes the plan. */
export async function runBatch(baseDeps: EngineDeps, input: RunOptions, control: RunControl): Promise<RunResult> {
  validatePhaseOrder(PHASE_TABLE);
  const monitor = input.monitorOnly && baseDeps.derivedRows ? new MonitorRecorder(baseDeps.derivedRows, input.trace ? (baseDeps.trace ?? null) : null, input.trace ?? null) : null;
  const deps = monitor ? monitoredDeps(baseDeps, monitor) : baseDeps;
  const store = deps.store;
  const startedMs = deps.clock.now();
  const storedSettings = store.loadSettings();
  const settings = resolveRunSettings(storedSettings, input);
  const inputs = loadRunInputs(store);
  const staleAfter = settings['lock.stale_after_ms'];
  const isStale = (l: LockRecord) =>
    startedMs - Date.parse(l.heartbeatAt) > staleAfter || (l.host === deps.host.host && l.pid !== deps.host.pid && !deps.host.isPidAlive(l.pid));
  // g.11: a run killed without a word (kill -9, a crash) still reads 'running' and holds a
  // stale lock; resuming it first takes that lock away, which marks the run interrupted.
  if (input.resume && !input.dryRun && deps.inheritLock === undefined) store.clearStaleLock(isStale, formatTimestamp(startedMs));
  const db = deps.commandSuffix ?? '';
  const plan = planRun({ options: input, nowMs: startedMs, portfolios: inputs.portfolios, lotsByPortfolio: inputs.lotsByPortfolio, store, commandSuffix: db });

  // m.16: the lock is checked (read) before the gate. A dry run lists what would refuse the
  // run as plan warnings (g.4) instead of refusing.
  const held = store.readLock();
  const inherited = deps.inheritLock !== undefined && held !== null && held.runId === deps.inheritLock;
  const gate = storedSettings['gate'] as { state?: string; since?: string; findings?: unknown[] } | undefined;
  const refusals = [
    held && !inherited && !isStale(held) ? lockedError(held, db) : null,
    gate?.state === 'closed' && !input.ignoreGate && !input.monitorOnly
      ? new BatchdeskError(
          'gate_closed',
          `the regression gate is closed since ${gate.since ?? 'an earlier run'} (${(gate.findings ?? []).length} finding(s)); fix the data and run \`batchdesk verify guard${db}\`, reopen it with \`batchdesk verify guard --reopen --reason TEXT${db}\`, or start with --ignore-gate`,
          { findings: gate.findings ?? [] },
        )
      : null,
  ].filter((e): e is BatchdeskError => e !== null);
  if (input.dryRun) {
    const sources = sourcesProblem(storedSettings, settings, input, db);
    const warnings = [...plan.warnings, ...refusals.map((e) => `a run now would be refused: ${e.message}`), ...(sources ? [`a run now would be refused: ${sources}`] : [])];
    const refusedBy = [...refusals.map((e) => e.code), ...(sources ? ['usage'] : [])];
    const fetches = await previewFetches({ store, settings, plan, lotsByPortfolio: inputs.lotsByPortfolio, sources: deps.priceSources.map((s) => s.name), chain: deps.priceSources, signal: control.signal, nowMs: startedMs });
    return { kind: 'plan', plan: { ...plan, warnings, refusedBy, fetches: fetches.chunks, fetchTotal: fetches.total }, exitCode: EXIT.ok };
  }
  if (plan.upToDateMessage) {
    const summary = upToDateSummary({
      mode: input.monitorOnly ? 'monitor' : plan.mode,
      database: deps.host.databaseName,
      targetDate: plan.targetDate,
      options: input,
      marketDataMode: settings['market_data.mode'],
      warnings: plan.warnings,
      message: plan.upToDateMessage,
    });
    return { kind: 'up_to_date', plan, message: plan.upToDateMessage, summary, exitCode: EXIT.ok };
  }
  if (refusals[0]) throw refusals[0];
  const { runId, batchRunId } = newRunIds(deps);
  const nowIso = () => formatTimestamp(deps.clock.now());
  const lockId = inherited ? deps.inheritLock! : runId;
  if (!inherited) {
    const acquired = store.acquireLock(
      { kind: 'run', runId, holder: deps.host.holder, host: deps.host.host, pid: deps.host.pid, acquiredAt: nowIso(), heartbeatAt: nowIso() },
      isStale,
      nowIso(),
    );
    if (!acquired.acquired) throw lockedError(acquired.holder, db);
  }

  const activity: { timestamp: string; message: string; level: string }[] = [];
  const telemetry = createTelemetry({
    clock: deps.clock,
    strict: deps.strictTelemetry ?? false,
    runId,
    sinks: [
      ...deps.sinks,
      {
        name: 'history_activity_log',
        handle: (e) => {
          if (e.level === 'debug' || activity.length >= 5000) return;
          if (e.event === 'metric' && e.level === 'info') return;
          activity.push({ timestamp: e.ts, level: e.level, message: `${e.event}${'date' in e.payload ? ` ${String(e.payload.date)}` : ''}${'phase' in e.payload ? ` ${String(e.payload.phase)}` : ''}${'status' in e.payload ? ` ${String(e.payload.status)}` : ''}` });
        },
      },
    ],
  });
  const mode = input.monitorOnly ? 'monitor' : plan.mode === 'retry' ? 'retry' : plan.mode === 'resume' ? 'resume' : 'normal';
  deps.bindRunTelemetry?.(telemetry);
  try {
    const retention = settings['history.retention_days'];
    if (!input.monitorOnly) store.pruneHistory(formatTimestamp(startedMs - retention * 86_400_000));
    store.startRun({
      id: runId,
      batchRunId,
      triggeredBy: input.triggeredBy,
      startedAt: nowIso(),
      mode,
      options: { ...input, ...(plan.resumedRunId ? { resumed_run_id: plan.resumedRunId } : {}) },
      totalJobs: plan.dates.length,
      portfolioId: input.portfolios.length === 1 ? input.portfolios[0]! : null,
      host: deps.host.host,
      pid: deps.host.pid,
      appVersion: deps.host.appVersion,
    });
    const neededSymbols = [...new Set(plan.dates.flatMap((pd) => [...symbolsOfPlannedDate(pd, inputs.lotsByPortfolio, settings['market_data.fetch_option_contracts'])]))];
    const run = createRunContext({ deps, options: input, settings, inputs, telemetry, runId, batchRunId, signal: control.signal, neededSymbols });
    return await execute({ deps, run, plan, control, telemetry, activity, mode, startedMs, settings, lockId, monitor });
  } finally {
    deps.bindRunTelemetry?.(null);
    try {
      if (!inherited) store.releaseLock(runId);
    } catch {
      // A failing disk may refuse even this; the lock is then stale (dead pid) for the next run.
    }
  }
}

/**
 * Monitor-only: every rolled-back transaction lets the recorder read the computed rows first,
 * also when a critical phase failed in it (the rows computed before the failure).
 */
function monitoredDeps(deps: EngineDeps, monitor: MonitorRecorder): EngineDeps {
  const base = deps.store;
  const store: EngineStore = {
    ...base,
    rollbackOnly<T>(fn: () => T): T {
      return base.rollbackOnly(() => {
        let v: T;
        try {
          v = fn();
        } catch (err) {
          if (err instanceof CriticalFailure) monitor.beforeRollback();
          throw err;
        }
        monitor.beforeRollback();
        return v;
      });
    },
  };
  return { ...deps, store };
}

interface ExecuteArgs {
  deps: EngineDeps;
  run: RunContext;
  plan: RunPlan;
  control: RunControl;
  telemetry: Telemetry;
  activity: { timestamp: string; message: string; level: string }[];
  mode: string;
  startedMs: number;
  settings: RunContext['settings'];
  /** The run_id of the lock row this run heartbeats (its own, or an inherited one). */
  lockId: string;
  /** Monitor-only difference recorder (g.12). */
  monitor: MonitorRecorder | null;
}

async function execute(a: ExecuteArgs): Promise<RunResult> {
  const { deps, run, plan, telemetry } = a;
  const store = deps.store;
  const opts = run.options;
  const results: DateResult[] = [];
  const chunks: RunSummary['chunks'] = [];
  const phaseTotals = zeroPhaseTotals();
  const analyticsTotals = { jobs_expected: 0, jobs_completed: 0, jobs_failed: 0, jobs_skipped: 0, guard_skips: 0 };
  const errors: string[] = [];
  const blocked: BlockedPortfolioDate[] = [];
  const warnings: string[] = [...plan.warnings];
  let cancelled = false;
  let fatal: Error | null = null;
  let lastHeartbeat = deps.clock.now();
  const rewritten = new Map<string, Set<IsoDate>>();
  const countPhase = (name: string, o: { status: string }, ms: number) => {
    const t = phaseTotals[name]!;
    t.runs++;
    if (o.status === 'success') t.success++;
    else if (o.status === 'failed') t.failed++;
    else if (o.status === 'skipped') t.skipped++;
    else if (o.status === 'not_applicable') t.not_applicable++;
    else if (o.status === 'stale') t.stale++;
    t.duration_seconds += ms / 1000;
  };
  const heartbeat = (force = false) => {
    const now = deps.clock.now();
    if (!force && now - lastHeartbeat < run.settings['lock.heartbeat_interval_ms']) return;
    lastHeartbeat = now;
    const iso = formatTimestamp(now);
    store.heartbeat(a.lockId, iso);
    store.progressRun(run.runId, { completedJobs: results.filter((r) => r.status === 'success' || r.status === 'partial').length, failedJobs: results.filter((r) => r.status === 'failed').length, heartbeatAt: iso });
    telemetry.metric('heartbeat', null, { level: 'debug' });
  };
  const wantsStop = () => run.signal.aborted || (a.control.hardSignal?.aborted ?? false) || store.isCancelRequested();

  const firstDate = plan.dates[0]?.date ?? null;
  const lastDate = plan.dates[plan.dates.length - 1]?.date ?? null;
  telemetry.recordMetric('run_start', {
    batch_run_id: run.batchRunId,
    mode: a.mode,
    triggered_by: opts.triggeredBy,
    database: deps.host.databaseName,
    target_date: plan.targetDate,
    first_date: firstDate,
    last_date: lastDate,
    date_count: plan.dates.length,
    chunk_days: opts.chunkDays,
    chunk_count: plan.chunks.length,
    phases: [...plan.selectedPhases],
    portfolio_scope: plan.portfolioScope === 'all' ? 'all' : [...plan.portfolioScope],
    options: { ...opts },
    app_version: deps.host.appVersion,
  });
  if (run.settings['market_data.mode'] === 'offline' && !run.marketData.offlineNoticeGiven) {
    run.marketData.offlineNoticeGiven = true;
    const csvDir = run.settings['market_data.csv_dir'];
    const message = csvDir
      ? `offline mode: closes come from the local price cache and the CSV folder ${csvDir}; nothing is fetched from the network`
      : 'offline mode: using the local price cache only; nothing is fetched';
    telemetry.metric('market_data_mode', null, { tags: { mode: 'offline', message }, source: 'market_data', level: 'warn' });
  }

  const plannedByDate = new Map(plan.dates.map((d) => [d.date, d]));
  // g.6: a heartbeat every interval, also while the run waits on a provider. A failed beat
  // (a busy database) is tried again at the next tick.
  const stopBeating = deps.every?.(run.settings['lock.heartbeat_interval_ms'], () => {
    try {
      heartbeat(true);
    } catch {
      // the next tick or the next portfolio-date beats again
    }
  });
  try {
    for (let ci = 0; ci < plan.chunks.length && !cancelled; ci++) {
      const chunk = plan.chunks[ci]!;
      const chunkStart = deps.clock.now();
      const needByDate = new Map<IsoDate, Set<string>>();
      for (const d of chunk) needByDate.set(d, symbolsOfPlannedDate(plannedByDate.get(d)!, run.lotsByPortfolio, run.settings['market_data.fetch_option_contracts']));
      const usesMarketData = chunk.some((d) => plannedByDate.get(d)!.datePhases.includes('market_data'));
      let prefetchMetrics: Record<string, unknown> | null = null;
      // The prefetch's report, its requests among them, goes to the first date that runs
      // market_data: that date's request counters include the prefetch's (market-data.ts).
      const prefetchDate = chunk.find((d) => plannedByDate.get(d)!.datePhases.includes('market_data'));
      if (usesMarketData) {
        const r = await prefetchChunk(run, chunk, needByDate, plan.targetDate, { index: ci, count: plan.chunks.length });
        prefetchMetrics = {
          symbols: r.symbols,
          ranges: r.ranges,
          requested_days: r.requestedDays,
          fetch_mode: r.fetchMode,
          duration_ms: r.durationMs,
          requests_made: r.requests,
          first_date: chunk[0],
          last_date: chunk[chunk.length - 1],
          sources: r.sources,
        };
      } else {
        const all = [...new Set([...needByDate.values()].flatMap((s) => [...s]))];
        run.prices = chunkPriceTable(run, chunk, all);
      }
      const chunkResults: DateResult[] = [];
      for (const d of chunk) {
        await deps.yieldToHost?.();
        if (wantsStop()) {
          cancelled = true;
          break;
        }
        const r = await processDate({ ...a, results, errors, blocked, countPhase, analyticsTotals, heartbeat, wantsStop, rewritten }, plannedByDate.get(d)!, ci, d === prefetchDate ? prefetchMetrics : null);
        results.push(r.result);
        chunkResults.push(r.result);
        if (r.cancelled) {
          cancelled = true;
          break;
        }
      }
      const statuses = chunkResults.map((r) => r.status);
      chunks.push({
        index: ci,
        first_date: chunk[0]!,
        last_date: chunk[chunk.length - 1]!,
        dates: chunkResults.length,
        status: cancelled ? 'cancelled' : statuses.includes('failed') ? 'failed' : statuses.includes('partial') ? 'partial' : 'completed',
        duration_seconds: (deps.clock.now() - chunkStart) / 1000,
      });
      telemetry.metric('chunk_result', chunkResults.length, {
        tags: { index: ci, first_date: chunk[0], last_date: chunk[chunk.length - 1], statuses, duration_ms: deps.clock.now() - chunkStart, missing_price_count: chunkResults.reduce((s, r) => s + r.missing_price_count, 0) },
      });
      heartbeat(true);
      if (!run.monitorOnly) store.progressRun(run.runId, { completedJobs: results.filter((r) => r.status !== 'failed').length, failedJobs: results.filter((r) => r.status === 'failed').length, heartbeatAt: run.nowIso(), activityLog: a.activity });
      store.checkpoint();
    }
    if (!run.monitorOnly) markStaleAfterRewrites(run, rewritten, plan);
  } catch (err) {
    fatal = err as Error;
    errors.push(`fatal: ${(err as Error).message}`);
  } finally {
    stopBeating?.();
  }

  // Guard (i.4) over the run's dates, unless disabled: the portfolio-dates this run processed
  // (other portfolios' rows on those dates, imported or left by other runs, are not its output).
  let guard: GuardReport | null = null;
  const processed = results.flatMap((r) => r.portfolios.filter((p) => p.status !== 'skipped' && p.status !== 'cancelled').map((p) => ({ date: r.date as IsoDate, portfolioId: p.portfolio_id })));
  if (!fatal && !cancelled && !run.monitorOnly && opts.guard && run.settings['guard.after_run'] && deps.postRunGuard && processed.length) {
    guard = deps.postRunGuard(processed, run.runId);
    telemetry.metric('guard_result', guard.findings.length, { tags: { status: guard.status }, level: guard.status === 'pass' ? 'info' : 'error' });
    if (guard.gateChange) telemetry.metric('gate_changed', null, { tags: { state: guard.gateChange.state, reason: guard.gateChange.reason }, level: guard.gateChange.state === 'closed' ? 'error' : 'info' });
  }

  const monitorReport = a.monitor ? a.monitor.report() : null;
  const { status: runStatus, exitCode, counts } = runVerdict({ results, cancelled, fatal: fatal !== null, monitorClean: monitorReport ? monitorReport.clean : null, guardStatus: guard?.status ?? null });
  const completedMs = deps.clock.now();
  // A date cancelled part-way is redone by a resume: it is not run, like the dates never reached.
  const finished = new Set(results.filter((r) => r.status !== 'cancelled').map((r) => r.date));
  const notRun = plan.dates.map((pd) => pd.date).filter((d) => !finished.has(d));
  const mdc = run.marketData.counters;
  const summary: RunSummary = {
    schema: RUN_SUMMARY_SCHEMA,
    run_id: run.runId,
    batch_run_id: run.batchRunId,
    mode: a.mode,
    status: runStatus,
    exit_code: exitCode,
    started_at: formatTimestamp(a.startedMs),
    completed_at: formatTimestamp(completedMs),
    duration_seconds: (completedMs - a.startedMs) / 1000,
    database: deps.host.databaseName,
    target_date: plan.targetDate,
    options: { ...opts },
    dates: { planned: plan.dates.length, processed: results.length, ...counts, skipped: notRun.length, not_run_dates: notRun, first: firstDate, last: lastDate },
    chunks,
    phases: phaseTotals,
    market_data: {
      symbols: new Set(plan.dates.flatMap((pd) => [...symbolsOfPlannedDate(pd, run.lotsByPortfolio, false)])).size,
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
      mode: run.settings['market_data.mode'],
      sources: run.priceSources.map((s) => s.name),
      providers: mdc.providers,
    },
    analytics: analyticsTotals,
    results,
    guard: guard ? { status: guard.status, findings: [...guard.findings] } : null,
    ...(monitorReport ? { monitor: monitorReport } : {}),
    warnings: [
      ...warnings,
      ...(mdc.jumpsFlagged > 0 ? [`${mdc.jumpsFlagged} price(s) moved beyond the jump threshold in one day; they are kept and listed as suspect prices for review`] : []),
      ...(mdc.invalidPrices > 0 ? [`${mdc.invalidPrices} invalid close(s) (non-finite or not positive) were rejected and never stored`] : []),
      ...telemetry.disabledSinks.map((s) => `telemetry sink ${s} failed and was disabled`),
    ],
    errors: errors.slice(0, 100),
    blocked: groupBlocked(blocked),
  };
  const phaseDurations: Record<string, number> = {};
  for (const [k, v] of Object.entries(phaseTotals)) phaseDurations[k] = Math.round(v.duration_seconds * 1000) / 1000;
  phaseDurations['total_duration'] = summary.duration_seconds;
  const prefixes = [...new Set(errors.map((e) => e.split(':')[0]!))].slice(0, 5);
  try {
    store.finishRun(run.runId, {
      status: runStatus,
      completedAt: formatTimestamp(completedMs),
      completedJobs: counts.success + counts.partial,
      failedJobs: counts.failed,
      heartbeatAt: formatTimestamp(completedMs),
      phaseDurations,
      errorSummary: { count: errors.length, types: prefixes, details: errors.slice(0, 10) },
      summary,
      activityLog: a.activity,
    });
  } catch (err) {
    if (!fatal) fatal = err as Error;
  }
  telemetry.recordMetric('run_result', {
    status: runStatus,
    exit_code: exitCode,
    dates_planned: plan.dates.length,
    dates_succeeded: counts.success,
    dates_partial: counts.partial,
    dates_failed: counts.failed,
    dates_skipped: notRun.length,
    duration_ms: completedMs - a.startedMs,
    cancelled,
    guard_status: guard?.status ?? null,
  });
  if (fatal) {
    const e = fatal as Error & { code?: string };
    if (e instanceof BatchdeskError) throw e;
    const what = e.code === 'SQLITE_FULL' ? 'the disk is full' : e.code === 'SQLITE_READONLY' ? 'the database is read-only' : e.message;
    throw new BatchdeskError('io', `the run stopped: ${what}${e.code ? ` (${e.code})` : ''}. Every committed portfolio-date is intact; free space or fix the file, then run again to continue.`, { summary });
  }
  return { kind: 'run', plan, summary, exitCode };
}

interface DateArgs extends ExecuteArgs {
  results: DateResult[];
  errors: string[];
  blocked: BlockedPortfolioDate[];
  countPhase(name: string, o: { status: string }, ms: number): void;
  analyticsTotals: { jobs_expected: number; jobs_completed: number; jobs_failed: number; jobs_skipped: number; guard_skips: number };
  heartbeat(force?: boolean): void;
  wantsStop(): boolean;
  rewritten: Map<string, Set<IsoDate>>;
}

async function processDate(a: DateArgs, pd: PlannedDate, chunkIndex: number, prefetch: Record<string, unknown> | null): Promise<{ result: DateResult; cancelled: boolean }> {
  const { deps, run, telemetry } = a;
  const store = deps.store;
  const d = pd.date;
  const t0 = deps.clock.now();
  const writeTx = <T>(fn: () => T): T => (run.monitorOnly ? store.rollbackOnly(fn) : store.transaction(fn));
  a.monitor?.beginDate(d);
  let tracker = DateTracker.start(d, store.loadTracking(d), { runId: run.runId, batchRunId: run.batchRunId, mode: a.mode }, run.nowIso());
  const dateErrors: string[] = [];
  const blockedErrors = new Set<number>();
  const writeTracking = (t: DateTracker, status: string, completedAt: string | null) => store.writeTracking(t.toWrite(run.runId, status, completedAt, dateErrors), run.nowIso());
  writeTx(() => writeTracking(tracker, 'running', null));
  run.marketData.fetchedSymbols.clear();

  const dateCtx: DateContext = { run, date: d, chunkIndex, portfolioIds: pd.portfolios.map((p) => p.portfolioId), shared: new Map() };
  // The first critical date phase that failed: the date's portfolio-dates do not run.
  let dateFailedPhase: PhaseName | null = null;
  for (const phase of DATE_PHASES) {
    if (!pd.datePhases.includes(phase.name)) continue;
    const startedAt = run.nowIso();
    telemetry.recordMetric('phase_start', { date: d, phase: phase.name, scope: 'date', portfolio_id: null, portfolio_index: null, portfolio_count: pd.portfolios.length, chunk_index: chunkIndex });
    // Traced as the phase finds them: market_data fills closes and logs its requests.
    const traceInputs = a.monitor?.tracing ? datePhaseTraceInputs(phase.name, dateCtx) : null;
    const p0 = deps.clock.now();
    const o = await safeRunAsync(async () => {
      deps.hooks?.beforePhase?.(phase.name, d, null);
      return phase.run(dateCtx);
    });
    const ms = deps.clock.now() - p0;
    const metrics = phase.name === 'market_data' && prefetch ? { ...o.metrics, prefetch, fetch_mode: prefetch['fetch_mode'] } : o.metrics;
    tracker.setDatePhase(phase.name, entryOf(o, ms, startedAt), metrics);
    a.countPhase(phase.name, o, ms);
    if (o.status === 'failed') dateErrors.push(`${phase.name}: ${o.error ?? o.reason}`);
    telemetry.recordMetric(
      'phase_result',
      {
        date: d,
        phase: phase.name,
        portfolio_id: null,
        status: o.status,
        critical: phase.critical,
        duration_ms: ms,
        reason: o.reason,
        error: o.error,
        metrics,
        ...(phase.name === 'market_data' ? { missing_price_count: Number(o.metrics['missing_price_count'] ?? 0), fallback_count: Number(o.metrics['fallback_count'] ?? 0) } : {}),
      },
      { source: phase.name === 'market_data' ? 'market_data' : 'engine', level: o.status === 'failed' ? 'error' : 'info' },
    );
    if (o.status === 'failed' && phase.critical) dateFailedPhase ??= phase.name;
    if (traceInputs) a.monitor?.afterDatePhase(phase.name, { outcome: o, ...traceInputs });
  }
  const md = dateCtx.shared.get(MARKET_DATA_SHARED_KEY) as MarketDataShared | undefined;
  if (md) {
    tracker.setMeta('symbol_coverage', { requested: md.requested, exact: md.exact, fallback: md.fallback, missing: md.missing, coverage_pct: md.coveragePct, usable_coverage_pct: md.usableCoveragePct });
    tracker.setMeta('missing_price_count', md.missingSymbols.length);
    tracker.setMeta('fallback_count', md.fallback);
    tracker.setMeta('symbols_fetched', run.marketData.fetchedSymbols.size);
  }
  writeTx(() => writeTracking(tracker, 'running', null));

  // One transaction for the date's portfolio work: the symbol stage and every portfolio-date,
  // each in its own savepoint (all or nothing per portfolio-date, m.1), and the finished tracking
  // row. A crash or an I/O failure rolls the unfinished date back whole; a cancel finishes the
  // current portfolio-date and commits what is done. Fewer, larger commits keep a backfill's
  // write volume close to its row count (no await happens inside).
  let symbolStageFailed: string | null = null;
  const portfolioResults: PortfolioResult[] = [];
  let cancelled = false;
  let status: DateStatus = tracker.status();
  // Portfolios the planner left out of this date, with its reason code (g.3; an empty portfolio
  // is edge input, m.22: recorded, not an error).
  const skippedPortfolios = pd.skipped.map((sk) => ({ portfolio_id: sk.portfolioId, reason: sk.reason }));
  let dateTotals: ReturnType<DateTracker['portfolioTotals']> = tracker.portfolioTotals();
  const portfolioWork = (): void => {
    // The analytics symbol stage, once per date, before the portfolio transactions.
    const analyticsPlanned = dateFailedPhase === null && pd.portfolios.some((p) => p.phases.includes('analytics'));
    if (analyticsPlanned) {
      const analytics = PORTFOLIO_PHASES.find((p) => p.name === 'analytics')!;
      const traceInputs = a.monitor?.tracing ? datePhaseTraceInputs('analytics', dateCtx) : null;
      const s0 = deps.clock.now();
      const o = safeRun(() => analytics.prepareDate!(dateCtx));
      const stageMs = deps.clock.now() - s0;
      if (o.status === 'failed') {
        symbolStageFailed = o.error ?? o.reason;
        dateErrors.push(`analytics symbol stage: ${symbolStageFailed}`);
      }
      tracker.setMeta('analytics_symbol_stage', { status: o.status, reason: o.reason, error: o.error, duration_ms: stageMs, ...o.metrics });
      dateCtx.shared.set('symbol_stage_failed', symbolStageFailed);
      if (traceInputs) a.monitor?.afterDatePhase('analytics', { outcome: o, ...traceInputs });
    }

    for (let i = 0; i < pd.portfolios.length; i++) {
      const pp = pd.portfolios[i]!;
      const portfolio = run.portfolios.get(pp.portfolioId)!;
      if (a.wantsStop()) {
        cancelled = true;
        for (const rest of pd.portfolios.slice(i)) {
          const p = run.portfolios.get(rest.portfolioId)!;
          portfolioResults.push({ portfolio_id: p.id, name: p.name, status: 'cancelled', nav: null, daily_pnl: null, cash: null, phases: {}, analytics_jobs: {}, marks: {} });
        }
        break;
      }
      a.heartbeat();
      const errorsBefore = dateErrors.length;
      const r = processPortfolioDate(a, tracker, pp, portfolio, dateCtx, i, pd.portfolios.length, dateFailedPhase, dateErrors);
      if (r.blockedBy) {
        a.blocked.push({ date: d, portfolioId: portfolio.id, blockedBy: r.blockedBy });
        for (let k = errorsBefore; k < dateErrors.length; k++) blockedErrors.add(k);
      }
      tracker = r.tracker;
      portfolioResults.push(r.result);
      if (r.rewroteMarks) (a.rewritten.get(portfolio.id) ?? a.rewritten.set(portfolio.id, new Set()).get(portfolio.id)!).add(d);
      deps.hooks?.afterPortfolioDate?.(d, portfolio.id);
    }

    status = tracker.status();
    const completedAt = cancelled ? null : run.nowIso();
    // The run's totals count this run's portfolios; the date's count every portfolio of the
    // date, so re-running some of them keeps the others' share (h.4).
    const mine = tracker.portfolioTotals(pd.portfolios.map((p) => p.portfolioId));
    a.analyticsTotals.jobs_expected += mine.expected;
    a.analyticsTotals.jobs_completed += mine.completed;
    a.analyticsTotals.jobs_failed += mine.failed;
    a.analyticsTotals.guard_skips += mine.guard;
    dateTotals = tracker.portfolioTotals();
    tracker.setMeta('model_count', dateTotals.modelMarks);
    if (skippedPortfolios.length > 0) tracker.setMeta('skipped_portfolios', skippedPortfolios);
    tracker.setMeta('analytics_totals', { jobs_expected: dateTotals.expected, jobs_completed: dateTotals.completed, jobs_failed: dateTotals.failed, jobs_skipped: dateTotals.guard, jobs_not_applicable: dateTotals.notApplicable, guard_skips: dateTotals.guard });
    // Every portfolio-date's entry commits with its rows: this write is inside the date
    // transaction (a cancelled date keeps completed_at null and is redone by the next run).
    writeTx(() => writeTracking(tracker, cancelled ? 'running' : status, completedAt));
  };
  if (run.monitorOnly) portfolioWork();
  else store.transaction(portfolioWork);
  a.monitor?.endDate({ status, symbol_coverage: (tracker.metadataJson['symbol_coverage'] ?? null) as unknown, missing_price_count: md ? md.missingSymbols.length : 0, fallback_count: md ? md.fallback : 0, model_count: dateTotals.modelMarks }, dateFailedPhase !== null);
  // The run's error list leaves out blocked portfolio-dates: the summary groups them (g.3).
  a.errors.push(...dateErrors.filter((_, k) => !blockedErrors.has(k)).map((e) => `${d} ${e}`));
  const durationMs = deps.clock.now() - t0;
  const missing = md ? md.missingSymbols.length : 0;
  const fallback = md ? md.fallback : 0;
  telemetry.recordMetric(
    'date_result',
    {
      date: d,
      status: cancelled ? 'cancelled' : status,
      duration_ms: durationMs,
      portfolios_total: pd.portfolios.length,
      portfolios_succeeded: portfolioResults.filter((p) => p.status === 'success').length,
      portfolios_failed: portfolioResults.filter((p) => p.status === 'failed').length,
      portfolios_skipped: portfolioResults.filter((p) => p.status === 'skipped' || p.status === 'cancelled').length,
      phases: tracker.phaseAggregates(),
      symbol_coverage_pct: md ? md.coveragePct : null,
      missing_price_count: missing,
      fallback_count: fallback,
      model_count: dateTotals.modelMarks,
      analytics_jobs_expected: dateTotals.expected,
      analytics_jobs_completed: dateTotals.completed,
      errors: dateErrors.slice(0, 20),
    },
    { level: status === 'failed' ? 'error' : status === 'partial' ? 'warn' : 'info' },
  );
  return {
    result: {
      date: d,
      status: cancelled ? 'cancelled' : status,
      duration_seconds: durationMs / 1000,
      missing_price_count: missing,
      fallback_count: fallback,
      missing_symbols: md ? [...md.missingSymbols] : [],
      portfolios: portfolioResults,
      ...(skippedPortfolios.length > 0 ? { skipped_portfolios: skippedPortfolios } : {}),
      errors: dateErrors.slice(0, 20),
    },
    cancelled,
  };
}

function processPortfolioDate(
  a: DateArgs,
  trackerIn: DateTracker,
  pp: PlannedPortfolio,
  portfolio: RunContext['portfolios'] extends ReadonlyMap<string, infer P> ? P : never,
  dateCtx: DateContext,
  index: number,
  count: number,
  dateFailedPhase: PhaseName | null,
  dateErrors: string[],
): { tracker: DateTracker; result: PortfolioResult; rewroteMarks: boolean; blockedBy: string | null } {
  const { deps, run, telemetry } = a;
  const dateFailed = dateFailedPhase !== null;
  const store = deps.store;
  const d = dateCtx.date;
  const selected = new Set<PhaseName>(pp.phases);
  const lots = (run.lotsByPortfolio.get(portfolio.id) ?? []).filter((l) => l.entryDate <= d);
  const ctx: PortfolioDateContext = { run, date: d, dateContext: dateCtx, portfolio, lots: run.lotsByPortfolio.get(portfolio.id) ?? [], state: {}, selected };
  const entries: Partial<Record<PhaseName, PhaseEntry>> = {};
  const metrics: Partial<Record<PhaseName, unknown>> = {};
  const results: PortfolioResult['phases'] = {};
  const record = (name: PhaseName, o: PhaseOutcome, ms: number, critical: boolean) => {
    entries[name] = entryOf(o, ms);
    metrics[name] = o.metrics;
    results[name] = { status: o.status, duration_ms: ms, reason: o.reason, error: o.error };
    a.countPhase(name, o, ms);
    if (o.status === 'failed') dateErrors.push(`${name}[${portfolio.id.slice(0, 8)}]: ${o.error ?? o.reason}`);
    telemetry.recordMetric(
      'phase_result',
      {
        date: d,
        phase: name,
        portfolio_id: portfolio.id,
        status: o.status,
        critical,
        duration_ms: ms,
        reason: o.reason,
        error: o.error,
        metrics: o.metrics,
        ...(name === 'marks' ? { missing_price_count: Number(o.metrics['missing_price_count'] ?? 0), fallback_count: Number(o.metrics['fallback_count'] ?? 0) } : {}),
        ...(name === 'analytics' ? { analytics_skipped: o.reason === 'insufficient_marks' } : {}),
      },
      { source: name === 'analytics' ? 'analytics' : 'engine', level: o.status === 'failed' ? (critical ? 'error' : 'warn') : 'info' },
    );
  };
  const noLots = lots.filter((l) => isActiveOn(l, d) || (run.eventsByLot.get(l.id) ?? []).some((e) => e.tradeDate === d)).length === 0;
  let tracker = trackerIn;
  let failedPhase: PhaseName | null = null;
  let blockedBy: string | null = null;
  const writeTx = <T>(fn: () => T): T => (run.monitorOnly ? store.rollbackOnly(fn) : store.transaction(fn));

  const runPhases = (upstreamFailed: boolean, rolledBackFrom: PhaseName | null) => {
    let upstream = upstreamFailed;
    for (const phase of PORTFOLIO_PHASES) {
      if (!selected.has(phase.name)) continue;
      if (upstream) {
        record(phase.name, { status: 'skipped', reason: 'upstream_failed', error: null, metrics: {} }, 0, phase.critical);
        continue;
      }
      if (rolledBackFrom && phase.name === rolledBackFrom) {
        upstream = true;
        continue;
      }
      if (rolledBackFrom) {
        record(phase.name, { status: 'failed', reason: 'rolled_back', error: `rolled back: ${rolledBackFrom} failed in the same portfolio-date`, metrics: {} }, 0, phase.critical);
        continue;
      }
      telemetry.recordMetric('phase_start', { date: d, phase: phase.name, scope: 'portfolio', portfolio_id: portfolio.id, portfolio_index: index, portfolio_count: count, chunk_index: dateCtx.chunkIndex });
      const p0 = deps.clock.now();
      let o: PhaseOutcome;
      if (noLots && (phase.name === 'analytics' || phase.name === 'sector_tags')) o = { status: 'not_applicable', reason: 'no_positions', error: null, metrics: {} };
      else {
        const problem = phase.prerequisite?.(ctx) ?? null;
        o = problem
          ? { status: 'failed', reason: 'prerequisite_missing', error: problem, metrics: {} }
          : safeRun(() => {
              deps.hooks?.beforePhase?.(phase.name, d, portfolio.id);
              return phase.run(ctx);
            });
      }
      const ms = deps.clock.now() - p0;
      // Traced before a critical failure rolls back, so the debugger sees the inputs that failed.
      if (a.monitor?.tracing) a.monitor.afterPhase(phase.name, { outcome: o, ...phaseTraceInputs(phase.name, ctx) });
      if (o.status === 'failed' && phase.critical) throw new CriticalFailure(phase.name, o);
      record(phase.name, o, ms, phase.critical);
    }
  };

  if (dateFailed) {
    for (const phase of PORTFOLIO_PHASES) if (selected.has(phase.name)) record(phase.name, { status: 'skipped', reason: 'upstream_failed', error: null, metrics: {} }, 0, phase.critical);
    tracker = tracker.withPortfolio(portfolio.id, entries, metrics);
  } else {
    a.monitor?.beginPortfolio(d, portfolio.id, portfolio.name);
    try {
      const next = writeTx(() => {
        runPhases(false, null);
        markDependentsStale(tracker, portfolio.id, selected, entries);
        return tracker.withPortfolio(portfolio.id, entries, metrics);
      });
      tracker = next;
    } catch (err) {
      if (!(err instanceof CriticalFailure)) throw err;
      failedPhase = err.phase;
      if (err.outcome.reason === 'previous_day_missing') blockedBy = String(err.outcome.metrics['blocked_by']);
      // Rolled back: record the failure and the skipped later phases (the date's tracking write,
      // in the same date transaction, carries them).
      for (const k of Object.keys(entries) as PhaseName[]) delete entries[k];
      const crit = PORTFOLIO_PHASES.find((p) => p.name === err.phase)!;
      const before = PORTFOLIO_PHASES.slice(0, PORTFOLIO_PHASES.indexOf(crit)).filter((p) => selected.has(p.name));
      for (const p of before) record(p.name, { status: 'failed', reason: 'rolled_back', error: `rolled back: ${err.phase} failed`, metrics: {} }, 0, p.critical);
      record(err.phase, err.outcome, 0, true);
      for (const p of PORTFOLIO_PHASES.slice(PORTFOLIO_PHASES.indexOf(crit) + 1)) if (selected.has(p.name)) record(p.name, { status: 'skipped', reason: 'upstream_failed', error: null, metrics: {} }, 0, p.critical);
      tracker = tracker.withPortfolio(portfolio.id, entries, metrics);
    }
  }
  const snap = ctx.state.snapshot;
  const marks = ctx.state.marks ?? [];
  // Keep the in-memory priced marks equal to the store: only marks that stay written count.
  if (!run.monitorOnly && !dateFailed && failedPhase === null) for (const m of marks) run.markHistory.record(m.positionId, d, m.price);
  const markCounts: Record<string, number> = {};
  for (const m of marks) if (m.isActive) markCounts[m.priceSource] = (markCounts[m.priceSource] ?? 0) + 1;
  const anyFailed = Object.values(results).some((r) => r.status === 'failed');
  const guardSkip = results['analytics']?.reason === 'insufficient_marks';
  if (dateFailedPhase !== null) a.monitor?.portfolioNotRun(d, portfolio.id, portfolio.name, dateFailedPhase);
  else a.monitor?.endPortfolio({ nav: snap?.totalValue ?? null, cash: snap?.cashValue ?? null, daily_pnl: snap?.dailyPnl ?? null, marks: markCounts, phases: results }, failedPhase !== null);
  return {
    tracker,
    blockedBy,
    rewroteMarks: !dateFailed && failedPhase === null && (selected.has('marks') || selected.has('snapshots')),
    result: {
      portfolio_id: portfolio.id,
      name: portfolio.name,
      status: dateFailed || failedPhase ? 'failed' : anyFailed || guardSkip ? 'partial' : Object.values(results).every((r) => r.status === 'skipped' && BENIGN.has(r.reason ?? '')) ? 'skipped' : 'success',
      nav: snap?.totalValue ?? null,
      daily_pnl: snap?.dailyPnl ?? null,
      cash: snap?.cashValue ?? null,
      phases: results,
      analytics_jobs: ctx.state.analytics ? { ...ctx.state.analytics.jobs } : {},
      marks: markCounts,
    },
  };
}

/** g.8: a later phase that reads what a re-run phase wrote, and did not run itself, becomes stale. */
function markDependentsStale(tracker: DateTracker, portfolioId: string, selected: ReadonlySet<PhaseName>, entries: Partial<Record<PhaseName, PhaseEntry>>): void {
  const order = PORTFOLIO_PHASES.map((p) => p.name);
  const ran = order.filter((p) => selected.has(p) && entries[p]?.status === 'success');
  if (ran.length === 0) return;
  const dirty = new Set(PORTFOLIO_PHASES.filter((p) => ran.includes(p.name)).flatMap((p) => p.writes));
  for (const p of PORTFOLIO_PHASES) {
    if (selected.has(p.name)) {
      if (ran.includes(p.name)) for (const w of p.writes) dirty.add(w);
      continue;
    }
    if (!p.reads.some((r) => dirty.has(r))) continue;
    const existing = tracker.portfolioEntry(p.name, portfolioId);
    if (existing && existing.status === 'success') entries[p.name] = { ...existing, status: 'stale' };
    for (const w of p.writes) dirty.add(w);
  }
}

/** g.8: later snapshot dates of a portfolio whose marks or snapshots were rewritten, and not rewritten in this run, become stale. */
function markStaleAfterRewrites(run: RunContext, rewritten: ReadonlyMap<string, ReadonlySet<IsoDate>>, plan: RunPlan): void {
  for (const [pid, dates] of rewritten) {
    const earliest = [...dates].sort()[0];
    if (!earliest) continue;
    const later = run.store.snapshotDatesAfter(pid, earliest).filter((x) => !dates.has(x));
    if (later.length === 0) continue;
    const n = run.store.transaction(() => run.store.markStale(later, pid, ['marks', 'snapshots', 'analytics'], run.nowIso())).length;
    if (n > 0) run.telemetry.metric('stale_marked', n, { portfolioId: pid, tags: { from: later[0], to: later[later.length - 1], after: earliest, target_date: plan.targetDate }, level: 'warn' });
  }
}

