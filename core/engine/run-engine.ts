/**
 * The orchestrator (SPEC.md g.6): one loop over a declared phase table. It validates the
 * options and the phase order, takes a dead holder's stale lock away, plans, takes the run
 * lock, checks the gate, writes the history row, then per chunk prefetches prices and per date
 * runs the date-scoped phases, the analytics symbol stage and one transaction per
 * portfolio-date (date-run.ts, portfolio-date.ts).
 * Cancellation stops at a portfolio-date boundary; a crash leaves every committed
 * portfolio-date intact and nothing of the one in progress. What the run counts is kept in a
 * RunTally (run-tally.ts); the summary is built from it at the end (run-summary.ts).
 */
import { BatchdeskError, EXIT } from '../api/errors';
import type { RunOptions } from '../api/run-options';
import { gateFromSetting, type Gate } from '../api/commands/diagnostics-commands';
import type { IsoDate } from '../domain/iso-date';
import type { PhaseName } from '../domain/phase';
import { formatTimestamp } from '../domain/timestamp';
import { isOptionContractSymbol } from '../domain/symbols';
import { takeoverWarnings, takeoverWords } from '../maintenance/takeover-words';
import { chunkPriceTable, prefetchChunk } from '../phases/market-data/prefetch';
import { cachedOnlyContracts, symbolsOfPlannedDate } from '../phases/market-data/symbols-needed';
import type { EngineStore } from '../ports/engine-store';
import type { LockRecord, LockTakeover } from '../ports/store';
import { createTelemetry, type Telemetry, type TelemetrySink } from '../telemetry/record-metric';
import { processDate, type DateRunArgs } from './date-run';
import { previewFetches } from './fetch-preview';
import { historyActivitySink, type ActivityLog } from './history-activity';
import { lockedError } from './locked-error';
import { MonitorRecorder } from './monitor-recorder';
import { CriticalFailure } from './phase-run';
import { PHASE_TABLE, validatePhaseOrder } from './phase-table';
import type { RunContext } from './phase-types';
import type { PlannedDate, RunPlan } from './plan-types';
import { planRun } from './planner';
import { isLockStale } from './lock-staleness';
import { createRunContext, loadRunInputs, resolveRunSettings, type EngineDeps, type GuardReport, type RunControl } from './run-context';
import { buildRunSummary, runVerdict, upToDateSummary, type DateResult, type RunSummary, type RunVerdict, type UpToDateSummary } from './run-summary';
import { RunTally } from './run-tally';
import { sourcesProblem } from './settings';

export type RunResult =
  | { readonly kind: 'plan'; readonly plan: RunPlan; readonly exitCode: number }
  | { readonly kind: 'up_to_date'; readonly plan: RunPlan; readonly message: string; readonly summary: UpToDateSummary; readonly exitCode: number }
  | { readonly kind: 'run'; readonly plan: RunPlan; readonly summary: RunSummary; readonly exitCode: number };


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

/** What runBatch works out before it decides whether to run: settings, inputs, the plan and the lock it finds. */
interface PreparedRun {
  readonly deps: EngineDeps;
  readonly monitor: MonitorRecorder | null;
  readonly startedMs: number;
  readonly storedSettings: ReturnType<EngineStore['loadSettings']>;
  readonly settings: RunContext['settings'];
  readonly inputs: ReturnType<typeof loadRunInputs>;
  readonly plan: RunPlan;
  /** The `--db` suffix of the commands the messages advise. */
  readonly db: string;
  readonly isStale: (l: LockRecord) => boolean;
  /** The lock is the one a parent handed this run (deps.inheritLock). */
  readonly inherited: boolean;
  /** What refuses the run: another holder of the lock, a closed gate (m.16). */
  readonly refusals: readonly BatchdeskError[];
  /**
   * The stale lock the run took away before planning (g.11), with what that cleaned up: every
   * non-dry run does, so that one with nothing to do still releases a dead holder's lock (and
   * closes a killed rebuild) as `history --running` says the next run does.
   */
  readonly staleTakeover: LockTakeover | null;
}

/** Plans (and for a dry run, stops); otherwise executes the plan. */
export async function runBatch(baseDeps: EngineDeps, input: RunOptions, control: RunControl): Promise<RunResult> {
  const p = prepareRun(baseDeps, input);
  const { deps, plan, settings, inputs, startedMs } = p;
  const store = deps.store;
  if (input.dryRun) return dryRunResult(p, input, control);
  // m.16: a live holder of the lock, then a closed gate, refuse the run before anything else,
  // also when there is nothing to do (what the plan read may be that holder's work in progress;
  // a closed gate says the stored results are in doubt, whatever is left to run).
  if (p.refusals[0]) throw withTakeoverWords(p.refusals[0], p.staleTakeover, input);
  if (plan.upToDateMessage) {
    const summary = upToDateSummary({
      mode: input.monitorOnly ? 'monitor' : plan.mode,
      database: deps.host.databaseName,
      targetDate: plan.targetDate,
      options: input,
      marketDataMode: settings['market_data.mode'],
      warnings: [...plan.warnings, ...takeoverWarnings(p.staleTakeover)],
      message: plan.upToDateMessage,
    });
    return { kind: 'up_to_date', plan, message: plan.upToDateMessage, summary, exitCode: EXIT.ok };
  }
  const { runId, batchRunId } = newRunIds(deps);
  const nowIso = () => formatTimestamp(deps.clock.now());
  const lockId = p.inherited ? deps.inheritLock! : runId;
  const takeover = p.inherited ? null : acquireRunLock(p, runId);
  // g.6 checks the gate after the lock is taken: taking over a killed rebuild's lock closes it.
  const closedNow = takeover?.gateChange ? runRefusals({ held: null, gate: gateFromSetting(store.loadSettings()['gate']), input, db: p.db })[0] : undefined;
  if (closedNow) {
    store.releaseLock(runId);
    throw withTakeoverWords(closedNow, takeover, input);
  }

  const activity: ActivityLog = [];
  const telemetry = createTelemetry({ clock: deps.clock, strict: deps.strictTelemetry ?? false, runId, sinks: [...deps.sinks, historyActivitySink(activity)] });
  for (const t of [p.staleTakeover, takeover]) if (t?.gateChange) reportGateChange(telemetry, t.gateChange);
  // A run under a rebuild's lock is the rebuild's own backfill or retry (j.5): mode 'rebuild'
  // (b.4), which keeps `run --resume` off it (a resume cannot finish a rebuild).
  const mode = p.inherited ? 'rebuild' : input.monitorOnly ? 'monitor' : plan.mode === 'retry' ? 'retry' : plan.mode === 'resume' ? 'resume' : 'normal';
  deps.bindRunTelemetry?.(telemetry);
  const scopedIds = plan.portfolioScope === 'all' ? [] : plan.portfolioScope;
  try {
    const retention = settings['history.retention_days'];
    if (!input.monitorOnly) store.pruneHistory(formatTimestamp(startedMs - retention * 86_400_000));
    store.startRun({
      id: runId,
      batchRunId,
      triggeredBy: input.triggeredBy,
      startedAt: nowIso(),
      mode,
      // The portfolios as resolved (a short id given on the command line is stored in full, as run_start reports it).
      options: { ...input, portfolios: [...scopedIds], ...(plan.resumedRunId ? { resumed_run_id: plan.resumedRunId } : {}) },
      totalJobs: plan.dates.length,
      portfolioId: scopedIds.length === 1 ? scopedIds[0]! : null,
      host: deps.host.host,
      pid: deps.host.pid,
      appVersion: deps.host.appVersion,
    });
    const symbolsByDate = new Map(plan.dates.map((pd) => [pd.date, symbolsOfPlannedDate(pd, inputs.lotsByPortfolio, settings['market_data.fetch_option_contracts'])]));
    const neededSymbols = [...new Set([...symbolsByDate.values()].flatMap((s) => [...s]))];
    const run = createRunContext({ deps, options: input, settings, inputs, telemetry, runId, batchRunId, signal: control.signal, neededSymbols });
    const plannedLots = [...new Set(plan.dates.flatMap((pd) => pd.portfolios.map((pp) => pp.portfolioId)))].flatMap((id) => inputs.lotsByPortfolio.get(id) ?? []);
    const cachedContracts = cachedOnlyContracts(plannedLots, settings['market_data.fetch_option_contracts']);
    return await execute({ deps, run, plan, control, telemetry, activity, mode, startedMs, lockId, monitor: p.monitor, symbolsByDate, cachedContracts });
  } finally {
    deps.bindRunTelemetry?.(null);
    try {
      if (!p.inherited) store.releaseLock(runId);
    } catch {
      // A failing disk may refuse even this; the lock is then stale (dead pid) for the next run.
    }
  }
}

function prepareRun(baseDeps: EngineDeps, input: RunOptions): PreparedRun {
  validatePhaseOrder(PHASE_TABLE);
  const monitor = input.monitorOnly && baseDeps.derivedRows ? new MonitorRecorder(baseDeps.derivedRows, input.trace ? (baseDeps.trace ?? null) : null, input.trace ?? null) : null;
  const deps = monitor ? monitoredDeps(baseDeps, monitor) : baseDeps;
  const store = deps.store;
  const startedMs = deps.clock.now();
  const settingsBefore = store.loadSettings();
  const settings = resolveRunSettings(settingsBefore, input);
  const inputs = loadRunInputs(store);
  const staleAfter = settings['lock.stale_after_ms'];
  const isStale = (l: LockRecord) => isLockStale(l, startedMs, staleAfter, deps.host);
  // g.11: a run killed without a word (kill -9, a crash) still reads 'running' and holds a
  // stale lock; a run first takes that lock away, which marks the run interrupted (so a resume
  // finds it) and closes a killed rebuild, also when it then has nothing to do. A dry run changes nothing.
  const staleTakeover = !input.dryRun && deps.inheritLock === undefined ? store.clearStaleLock(isStale, formatTimestamp(startedMs)) : null;
  // The takeover may have closed the gate (a killed rebuild's): the gate below is the one after it.
  const storedSettings = staleTakeover?.gateChange ? store.loadSettings() : settingsBefore;
  const db = deps.commandSuffix ?? '';
  // m.16: the lock is checked (read) before the gate. A dry run leaves a dead holder's lock in place: it plans as if taken over.
  const held = store.readLock();
  const deadRunId = input.dryRun && held && isStale(held) ? held.runId : null;
  const plan = withTakeoverNote(staleTakeover, () =>
    planRun({ options: input, nowMs: startedMs, portfolios: inputs.portfolios, lotsByPortfolio: inputs.lotsByPortfolio, store, commandSuffix: db, deadRunId }),
  );
  const inherited = deps.inheritLock !== undefined && held !== null && held.runId === deps.inheritLock;
  const refusals = runRefusals({ held: held && !inherited && !isStale(held) ? held : null, gate: gateFromSetting(storedSettings['gate']), input, db });
  return { deps, monitor, startedMs, storedSettings, settings, inputs, plan, db, isStale, inherited, refusals, staleTakeover };
}

/** A closed gate's findings in words: how many, and the first one's message and date. */
function gateFindingsText(gate: Gate): string {
  const findings = gate.findings ?? [];
  const first = findings[0];
  return `${findings.length} finding(s)${first ? `, the first on ${first.date}: ${first.message}` : ''}`;
}

/** `verify guard`'s range flags over a closed gate's failed dates (empty when it records none). */
function gateRangeFlags(gate: Gate): string {
  const dates = [...(gate.dates ?? [])].sort();
  return dates.length ? ` --start-date ${dates[0]} --end-date ${dates[dates.length - 1]}` : '';
}

/**
 * The last way past a closed gate, `--ignore-gate`, for a run the CLI starts: the app and serve
 * have no such option (a closed gate disables their Start), so their refusals leave it out.
 */
function ignoreGateWay(input: Pick<RunOptions, 'triggeredBy'>, verb: 'start' | 'start the run'): string {
  return input.triggeredBy === 'app' || input.triggeredBy === 'serve' ? '' : `, or ${verb} with --ignore-gate`;
}

/** What refuses a run (m.16): a live holder of the run lock, then a closed gate (unless ignored, or monitor-only). */
function runRefusals(a: { held: LockRecord | null; gate: Gate; input: RunOptions; db: string }): BatchdeskError[] {
  const { gate, input, db } = a;
  return [
    a.held ? lockedError(a.held, db) : null,
    gate.state === 'closed' && !input.ignoreGate && !input.monitorOnly
      ? new BatchdeskError(
          'gate_closed',
          `the regression gate is closed since ${gate.since ?? 'an earlier run'} (${gateFindingsText(gate)}); fix the data and run \`batchdesk verify guard${gateRangeFlags(gate)}${db}\`${gateRangeFlags(gate) ? ', which reopens it once it passes over the failed dates' : ''}, reopen it with \`batchdesk verify guard --reopen --reason TEXT${db}\`${ignoreGateWay(input, 'start')}`,
          { findings: gate.findings ?? [] },
        )
      : null,
  ].filter((e): e is BatchdeskError => e !== null);
}

/** A dry run (g.4): the plan, with what would refuse the run as warnings instead of refusing, and the fetches it would make. */
async function dryRunResult(p: PreparedRun, input: RunOptions, control: RunControl): Promise<RunResult> {
  const { deps, plan, settings } = p;
  const sources = sourcesProblem(p.storedSettings, settings, input, p.db);
  const warnings = [...plan.warnings, ...p.refusals.map((e) => `a run now would be refused: ${e.message}`), ...(sources ? [`a run now would be refused: ${sources}`] : [])];
  const refusedBy = [...p.refusals.map((e) => e.code), ...(sources ? ['usage'] : [])];
  const fetches = await previewFetches({ store: deps.store, settings, plan, lotsByPortfolio: p.inputs.lotsByPortfolio, sources: deps.priceSources.map((s) => s.name), chain: deps.priceSources, signal: control.signal, nowMs: p.startedMs });
  return { kind: 'plan', plan: { ...plan, warnings, refusedBy, fetches: fetches.chunks, fetchTotal: fetches.total }, exitCode: EXIT.ok };
}

/**
 * Takes the run lock, or throws the refusal naming its live holder. Returns the stale lock it
 * took over, with what that cleaned up after its dead holder (a killed rebuild closed, the gate
 * closed over its range: reported as `gate_changed` once the run's telemetry exists).
 */
function acquireRunLock(p: PreparedRun, runId: string): LockTakeover | null {
  const { deps } = p;
  const nowIso = () => formatTimestamp(deps.clock.now());
  const acquired = deps.store.acquireLock(
    { kind: 'run', runId, holder: deps.host.holder, host: deps.host.host, pid: deps.host.pid, acquiredAt: nowIso(), heartbeatAt: nowIso() },
    p.isStale,
    nowIso(),
  );
  if (!acquired.acquired) throw lockedError(acquired.holder, p.db);
  return acquired.tookOver;
}

/**
 * A gate refusal that a takeover's own gate change caused (a killed rebuild's lock taken over):
 * what the takeover found and the ways out instead; any other refusal as it is.
 */
function withTakeoverWords(refusal: BatchdeskError, takeover: LockTakeover | null, input: RunOptions): BatchdeskError {
  const words = takeover ? takeoverWords(takeover) : null;
  return refusal.code === 'gate_closed' && words ? new BatchdeskError(refusal.code, `${words}${ignoreGateWay(input, 'start the run')}`, refusal.details) : refusal;
}

/**
 * `plan()`, with a refusal it throws (a resume with nothing to resume, say) also saying what the
 * takeover before it did: the run stops there, and the gate that takeover closed would go unsaid.
 */
function withTakeoverNote<T>(takeover: LockTakeover | null, plan: () => T): T {
  try {
    return plan();
  } catch (err) {
    const words = takeover ? takeoverWords(takeover) : null;
    if (!(err instanceof BatchdeskError) || !words) throw err;
    throw new BatchdeskError(err.code, `${err.message.replace(/\.$/, '')}. Nothing was run, but ${words}`, err.details);
  }
}

/** A change of the gate as the run reports it (i.4): the `gate_changed` metric, an error when it closed. */
function reportGateChange(telemetry: Telemetry, change: NonNullable<LockTakeover['gateChange']>): void {
  telemetry.metric('gate_changed', null, { tags: { state: change.state, reason: change.reason }, level: change.state === 'closed' ? 'error' : 'info' });
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
  activity: ActivityLog;
  mode: string;
  startedMs: number;
  /** The run_id of the lock row this run heartbeats (its own, or an inherited one). */
  lockId: string;
  /** Monitor-only difference recorder (g.12). */
  monitor: MonitorRecorder | null;
  /** The symbols each planned date needs (e.2). */
  symbolsByDate: ReadonlyMap<IsoDate, ReadonlySet<string>>;
  /** Option contracts whose cached closes every chunk's price table holds, unfetched (d.2.2). */
  cachedContracts: readonly string[];
}

type DateArgs = ExecuteArgs & DateRunArgs;

async function execute(a: ExecuteArgs): Promise<RunResult> {
  const { deps, run, plan } = a;
  const store = deps.store;
  const tally = new RunTally();
  let lastHeartbeat = deps.clock.now();
  const heartbeat = (force = false) => {
    const now = deps.clock.now();
    if (!force && now - lastHeartbeat < run.settings['lock.heartbeat_interval_ms']) return;
    lastHeartbeat = now;
    const iso = formatTimestamp(now);
    store.heartbeat(a.lockId, iso);
    store.progressRun(run.runId, { ...tally.progress(), heartbeatAt: iso });
    a.telemetry.metric('heartbeat', null, { level: 'debug' });
  };
  const wantsStop = () => run.signal.aborted || (a.control.hardSignal?.aborted ?? false) || store.isCancelRequested();
  const ctx: DateArgs = { ...a, tally, heartbeat, wantsStop };
  recordRunStart(a);

  let cancelled = false;
  let fatal: Error | null = null;
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
    const plannedByDate = new Map(plan.dates.map((d) => [d.date, d]));
    for (let ci = 0; ci < plan.chunks.length && !cancelled; ci++) cancelled = await runChunk(ctx, ci, plannedByDate);
    if (!run.monitorOnly) markStaleAfterRewrites(run, tally, plan);
  } catch (err) {
    fatal = err as Error;
    tally.errors.push(`fatal: ${(err as Error).message}`);
  } finally {
    stopBeating?.();
  }

  const guard = fatal || cancelled ? null : runPostRunGuard(ctx);
  const monitorReport = a.monitor ? a.monitor.report() : null;
  const verdict = runVerdict({ results: tally.results, cancelled, fatal: fatal !== null, monitorClean: monitorReport ? monitorReport.clean : null, guardStatus: guard?.status ?? null });
  const completedMs = deps.clock.now();
  const summary = buildRunSummary({
    runId: run.runId,
    batchRunId: run.batchRunId,
    mode: a.mode,
    verdict,
    startedMs: a.startedMs,
    completedMs,
    database: deps.host.databaseName,
    targetDate: plan.targetDate,
    options: { ...run.options },
    plannedDates: plan.dates.map((pd) => pd.date),
    tally,
    marketData: {
      // The symbols needed, option contracts left out whether or not they are fetched.
      symbols: new Set([...a.symbolsByDate.values()].flatMap((syms) => [...syms].filter((sym) => !isOptionContractSymbol(sym)))).size,
      counters: run.marketData.counters,
      mode: run.settings['market_data.mode'],
      sources: run.priceSources.map((s) => s.name),
    },
    guard,
    monitor: monitorReport,
    warnings: plan.warnings,
    disabledSinks: a.telemetry.disabledSinks,
  });
  fatal = recordRunEnd(ctx, { summary, verdict, completedMs, cancelled, guardStatus: guard?.status ?? null, fatal });
  if (fatal) {
    if (fatal instanceof BatchdeskError) throw fatal;
    throw new BatchdeskError('io', `the run stopped: ${store.describeStorageError(fatal)}.`, { summary });
  }
  return { kind: 'run', plan, summary, exitCode: verdict.exitCode };
}

/** The run_start event, and once per run the offline notice. */
function recordRunStart(a: ExecuteArgs): void {
  const { deps, run, plan, telemetry } = a;
  const opts = run.options;
  telemetry.recordMetric('run_start', {
    batch_run_id: run.batchRunId,
    mode: a.mode,
    triggered_by: opts.triggeredBy,
    database: deps.host.databaseName,
    target_date: plan.targetDate,
    first_date: plan.dates[0]?.date ?? null,
    last_date: plan.dates[plan.dates.length - 1]?.date ?? null,
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
}

/** One chunk: the prefetch (or the price table from the cache), then its dates in order. Returns whether the run was cancelled in it. */
async function runChunk(a: DateArgs, ci: number, plannedByDate: ReadonlyMap<IsoDate, PlannedDate>): Promise<boolean> {
  const { deps, run, plan, tally } = a;
  const chunk = plan.chunks[ci]!;
  const chunkStart = deps.clock.now();
  const needByDate = new Map(chunk.map((d) => [d, a.symbolsByDate.get(d)!]));
  // The prefetch's report, its requests among them, goes to the first date that runs
  // market_data: that date's request counters include the prefetch's (market-data.ts).
  const prefetchDate = chunk.find((d) => plannedByDate.get(d)!.datePhases.includes('market_data'));
  let prefetchMetrics: Record<string, unknown> | null = null;
  if (prefetchDate !== undefined) {
    const r = await prefetchChunk(run, chunk, needByDate, plan.targetDate, { index: ci, count: plan.chunks.length }, a.cachedContracts);
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
    const all = [...new Set([...needByDate.values()].flatMap((s) => [...s]).concat(a.cachedContracts))];
    run.prices = chunkPriceTable(run, chunk, all);
  }
  let cancelled = false;
  const chunkResults: DateResult[] = [];
  for (const d of chunk) {
    await deps.yieldToHost?.();
    if (a.wantsStop()) {
      cancelled = true;
      break;
    }
    const r = await processDate(a, plannedByDate.get(d)!, ci, d === prefetchDate ? prefetchMetrics : null);
    tally.addDate(r.result);
    chunkResults.push(r.result);
    if (r.cancelled) {
      cancelled = true;
      break;
    }
  }
  const statuses = chunkResults.map((r) => r.status);
  tally.chunks.push({
    index: ci,
    first_date: chunk[0]!,
    last_date: chunk[chunk.length - 1]!,
    dates: chunkResults.length,
    status: cancelled ? 'cancelled' : statuses.includes('failed') ? 'failed' : statuses.includes('partial') ? 'partial' : 'completed',
    duration_seconds: (deps.clock.now() - chunkStart) / 1000,
  });
  a.telemetry.metric('chunk_result', chunkResults.length, {
    tags: { index: ci, first_date: chunk[0], last_date: chunk[chunk.length - 1], statuses, duration_ms: deps.clock.now() - chunkStart, missing_price_count: chunkResults.reduce((s, r) => s + r.missing_price_count, 0) },
  });
  a.heartbeat(true);
  if (!run.monitorOnly) deps.store.progressRun(run.runId, { ...tally.progress(), heartbeatAt: run.nowIso(), activityLog: a.activity });
  deps.store.checkpoint();
  return cancelled;
}

/**
 * The guard (i.4) over the run's dates, unless disabled: the portfolio-dates this run processed
 * (other portfolios' rows on those dates, imported or left by other runs, are not its output).
 * Null when it does not run.
 */
function runPostRunGuard(a: DateArgs): GuardReport | null {
  const { deps, run, telemetry } = a;
  const processed = a.tally.results.flatMap((r) => r.portfolios.filter((p) => p.status !== 'skipped' && p.status !== 'cancelled').map((p) => ({ date: r.date as IsoDate, portfolioId: p.portfolio_id })));
  if (run.monitorOnly || !run.options.guard || !run.settings['guard.after_run'] || !deps.postRunGuard || !processed.length) return null;
  const guard = deps.postRunGuard(processed, run.runId);
  telemetry.metric('guard_result', guard.findings.length, { tags: { status: guard.status }, level: guard.status === 'pass' ? 'info' : 'error' });
  if (guard.gateChange) reportGateChange(telemetry, guard.gateChange);
  return guard;
}

/**
 * The history row's end (h.6) and the run_result event. Returns the error that stops the run:
 * the one it had, or else a failure to write the row.
 */
function recordRunEnd(a: DateArgs, e: { summary: RunSummary; verdict: RunVerdict; completedMs: number; cancelled: boolean; guardStatus: string | null; fatal: Error | null }): Error | null {
  const { deps, run, plan, tally } = a;
  const { summary, verdict, completedMs } = e;
  let fatal = e.fatal;
  const phaseDurations: Record<string, number> = {};
  for (const [k, v] of Object.entries(tally.phases)) phaseDurations[k] = Math.round(v.duration_seconds * 1000) / 1000;
  phaseDurations['total_duration'] = summary.duration_seconds;
  // h.6's types: the text before ':', without the date and portfolio each error starts with
  // ("2025-07-14 snapshots[1d8ddd95]: ..." is of type "snapshots"), so that errors group by type.
  const prefixes = [...new Set(tally.errors.map((x) => x.split(':')[0]!.replace(/^\d{4}-\d{2}-\d{2} /, '').replace(/\[[^\]]*\]$/, '')))].slice(0, 5);
  try {
    deps.store.finishRun(run.runId, {
      status: verdict.status,
      completedAt: formatTimestamp(completedMs),
      ...tally.progress(),
      heartbeatAt: formatTimestamp(completedMs),
      phaseDurations,
      errorSummary: { count: tally.errors.length, types: prefixes, details: tally.errors.slice(0, 10) },
      summary,
      activityLog: a.activity,
    });
  } catch (err) {
    if (!fatal) fatal = err as Error;
  }
  a.telemetry.recordMetric('run_result', {
    status: verdict.status,
    exit_code: verdict.exitCode,
    dates_planned: plan.dates.length,
    dates_succeeded: verdict.counts.success,
    dates_partial: verdict.counts.partial,
    dates_failed: verdict.counts.failed,
    dates_skipped: summary.dates.skipped,
    duration_ms: completedMs - a.startedMs,
    cancelled: e.cancelled,
    guard_status: e.guardStatus,
  });
  return fatal;
}

/** The phases a rewrite of a portfolio's marks or snapshots makes stale on its later dates (g.8). */
const STALE_AFTER_REWRITE: readonly PhaseName[] = ['marks', 'snapshots', 'analytics'];

/**
 * g.8: later snapshot dates of a portfolio whose marks or snapshots changed value, and not
 * rewritten in this run (a date re-run after the change read the new values), become stale;
 * the run's phase totals count each entry it marked.
 */
function markStaleAfterRewrites(run: RunContext, tally: RunTally, plan: RunPlan): void {
  for (const [pid, changed] of tally.changed) {
    const earliest = [...changed].sort()[0];
    if (!earliest) continue;
    const rewritten = tally.rewritten.get(pid) ?? changed;
    const later = run.store.snapshotDatesAfter(pid, earliest).filter((x) => !rewritten.has(x));
    if (later.length === 0) continue;
    const marked = run.store.transaction(() => run.store.markStale(later, pid, STALE_AFTER_REWRITE, run.nowIso()));
    for (const m of marked) for (const p of m.phases) tally.countStale(p as PhaseName);
    const n = marked.length;
    if (n > 0) run.telemetry.metric('stale_marked', n, { portfolioId: pid, tags: { from: later[0], to: later[later.length - 1], after: earliest, target_date: plan.targetDate }, level: 'warn' });
  }
}
