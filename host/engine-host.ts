/**
 * The engine host: the composition root that binds core to SQLite and the market-data
 * adapters. The CLI, `serve` and the Electron worker all run the engine through here.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { asciiJson } from '../core/api/ascii-json';
import { BatchdeskError, usageError } from '../core/api/errors';
import type { RunOptions } from '../core/api/run-options';
import { targetDate } from '../core/calendar';
import { lookbackStart } from '../core/calendar';
import type { IsoDate } from '../core/domain/iso-date';
import { isOptionContractSymbol, isPrivateLookingSymbol } from '../core/domain/symbols';
import { formatTimestamp, timestampToEpochMs } from '../core/domain/timestamp';
import { isLockStale } from '../core/engine/lock-staleness';
import { resolveRunSettings, type EngineDeps, type EngineHost, type RunControl } from '../core/engine/run-context';
import { withResumedOptions } from '../core/engine/resume-options';
import { runBatch, type RunResult } from '../core/engine/run-engine';
import { csvDirProblem, parseSettings, sourcesProblem, type EngineSettings } from '../core/engine/settings';
import type { Clock } from '../core/ports/clock';
import type { EngineStore } from '../core/ports/engine-store';
import type { FetchOutcome, PriceSource, ProfileSource, ProviderMetricListener } from '../core/ports/market-data';
import type { LockHolder, LockRecord } from '../core/ports/store';
import type { Telemetry, TelemetrySink } from '../core/telemetry/record-metric';
import type { ProviderMetricBinding } from '../core/phases/market-data/provider-metrics';
import type { TraceWriter } from '../core/ports/derived-rows';
import { createDerivedRowsReader } from '../db/derived-rows-reader';
import { createEngineStore } from '../db/engine-store';
import { postRunGuardFor } from './diagnostics/guard';
import { outputLocationProblem, outputPathError } from '../db/maintenance/database-paths';
import { openDatabase, openDatabaseToRead, refuseReadOnlyDatabase, type SqliteDatabase } from '../db/open-database';
import { createSyntheticGenerator, createSyntheticPriceSource, createSyntheticProfileSource, type SyntheticConfigInput } from '../market-data/synthetic';
import { assertCsvDirectory, CsvDirectorySource } from '../market-data/csv/csv-directory-source';
import { createYahooAdapter } from '../market-data/yahoo/yahoo-adapter';
import { yahooConfigFromSettings } from '../market-data/yahoo/yahoo-settings';
import { APP_VERSION } from './app-version';
import { systemClock, systemRandom } from './system-ports';

export interface OpenedDatabase {
  readonly db: SqliteDatabase;
  readonly store: EngineStore;
  readonly path: string;
  close(): void;
}

/**
 * The database with its store. `toRead`: for a command that only reads, an existing file that
 * is opened read-only when it cannot be written (db/open-database.ts openDatabaseToRead).
 */
export function openStore(path: string, options: { mustExist?: boolean; toRead?: boolean; sqlEcho?: (sql: string) => void } = {}): OpenedDatabase {
  const db = options.toRead ? openDatabaseToRead(path, { verbose: options.sqlEcho }) : openDatabase(path, { mustExist: options.mustExist, verbose: options.sqlEcho });
  return { db, store: createEngineStore(db), path, close: () => db.close() };
}

export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function engineHost(holder: LockHolder, dbPath: string): EngineHost {
  return { holder, host: hostname(), pid: process.pid, appVersion: APP_VERSION, databaseName: basename(dbPath), isPidAlive };
}

/** The stale-lock rule (m.17, core/engine/lock-staleness.ts) for this process, with the database's lock.stale_after_ms and the clock at each call. */
export function staleJudge(store: EngineStore, clock: Clock, dbPath: string): (l: LockRecord) => boolean {
  const staleAfter = parseSettings(store.loadSettings(), ['lock.stale_after_ms'])['lock.stale_after_ms'];
  const me = engineHost('cli', dbPath);
  return (l) => isLockStale(l, clock.now(), staleAfter, me);
}

/**
 * The synthetic generator configuration of a run: the one recorded in settings.synthetic (by
 * seed-demo, or by the first run that generated prices), else one derived from the lots (m.8:
 * each symbol anchored at its earliest lot's entry price on that date, else 100.00 at the window
 * start) with the run's seed. `recorded` says which; a run records a derived configuration only
 * once it generates prices with it (syntheticSources). A --seed other than the recorded one is
 * refused before this (sourcesProblem).
 */
export function syntheticConfigFor(store: EngineStore, seed: number | undefined, nowMs: number): { config: SyntheticConfigInput; recorded: boolean } {
  const stored = store.loadSettings()['synthetic'] as SyntheticConfigInput | undefined;
  if (stored) return { config: { ...stored, end: maxDate(stored.end as IsoDate, targetDate(nowMs)) }, recorded: true };
  const portfolios = store.listPortfolios();
  const lots = store.loadLots(portfolios.map((p) => p.id));
  const anchors: Record<string, { date: IsoDate; price: number }> = {};
  let earliest: IsoDate | null = null;
  for (const l of [...lots].sort((a, b) => (a.entryDate < b.entryDate ? -1 : 1))) {
    if (!earliest || l.entryDate < earliest) earliest = l.entryDate;
    if (l.investmentClass !== 'PUBLIC' || isPrivateLookingSymbol(l.symbol) || isOptionContractSymbol(l.symbol) || l.entryPrice <= 0) continue;
    if (!anchors[l.symbol]) anchors[l.symbol] = { date: l.entryDate, price: l.entryPrice };
  }
  const end = targetDate(nowMs);
  const start = lookbackStart(earliest ?? end, 400);
  return { config: { seed: seed ?? 42, profile: 'realistic', start, end, anchors }, recorded: false };
}

/**
 * The generator's price and profile sources. A configuration not recorded yet is recorded when
 * the generator first answers with prices or a profile, just before the run writes them, so
 * settings.synthetic never names a seed whose prices the database does not hold: a run that is
 * refused, finds everything cached, or is monitor-only (which writes no prices) records nothing.
 */
function syntheticSources(store: EngineStore, options: Pick<RunOptions, 'seed' | 'monitorOnly'>, nowMs: number): Sources {
  const { config, recorded } = syntheticConfigFor(store, options.seed, nowMs);
  const gen = createSyntheticGenerator(config);
  const prices = createSyntheticPriceSource(gen);
  const profiles = createSyntheticProfileSource(gen);
  if (recorded || options.monitorOnly) return { priceSources: [prices], profileSource: profiles };
  let pending = true;
  const recordOn = (outcome: FetchOutcome) => {
    if (!pending || outcome !== 'ok') return;
    store.transaction(() => store.setSetting('synthetic', config, formatTimestamp(nowMs)));
    pending = false;
  };
  const priceSource: PriceSource = {
    name: prices.name,
    async fetchPrices(request, signal) {
      const r = await prices.fetchPrices(request, signal);
      recordOn(r.outcome);
      return r;
    },
  };
  const profileSource: ProfileSource = {
    name: profiles.name,
    async fetchProfile(symbol, signal) {
      const r = await profiles.fetchProfile(symbol, signal);
      recordOn(r.outcome);
      return r;
    },
  };
  return { priceSources: [priceSource], profileSource };
}

function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a > b ? a : b;
}

export interface Sources {
  readonly priceSources: PriceSource[];
  readonly profileSource: ProfileSource | null;
}

/**
 * A resume reads the CSV folder of the run it resumes (g.11): one gone since is named as that
 * run's, with the way to give its new place, not as a --csv-dir the user never typed.
 */
function resumedCsvDirCheck(dir: string): void {
  if (!existsSync(dir)) throw usageError(`the run being resumed read prices from the CSV folder ${dir}, which no longer exists; give the folder's new place with --csv-dir DIR (the resume then reads that one)`);
}

/** The source chain of SPEC.md e.1 for the resolved mode. */
export function buildSources(
  store: EngineStore,
  settings: EngineSettings,
  options: Pick<RunOptions, 'seed' | 'allowMixedSources' | 'marketData' | 'monitorOnly' | 'csvDir'>,
  nowMs: number,
  extra: { fetch?: typeof fetch; providerClock?: Clock; onProviderMetric?: ProviderMetricListener; commandSuffix?: string } = {},
): Sources {
  const problem = csvDirProblem(settings, options) ?? sourcesProblem(store.loadSettings(), settings, options, extra.commandSuffix);
  if (problem) throw usageError(problem);
  const mode = settings['market_data.mode'];
  if (mode === 'synthetic') return syntheticSources(store, options, nowMs);
  const csvDir = settings['market_data.csv_dir'];
  if (csvDir) assertCsvDirectory(csvDir);
  const csv: PriceSource[] = csvDir ? [new CsvDirectorySource(csvDir)] : [];
  if (mode === 'offline') return { priceSources: csv, profileSource: null };
  const relay = providerMetricRelay(extra.onProviderMetric);
  const adapter = createYahooAdapter({
    config: yahooConfigFromSettings((k) => store.loadSettings()[k]),
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    ...(extra.fetch ? { transport: extra.fetch } : {}),
    ...(extra.providerClock ? { clock: extra.providerClock } : {}),
    onMetric: relay.emit,
  });
  const yahoo: PriceSource & ProfileSource & ProviderMetricBinding = {
    name: 'yahoo',
    fetchPrices: (request, signal) => adapter.fetchPrices(request, signal as AbortSignal),
    fetchProfile: (symbol, signal) => adapter.fetchProfile(symbol, signal as AbortSignal),
    bindProviderMetrics: relay.bind,
  };
  return { priceSources: [...csv, yahoo], profileSource: yahoo };
}

/**
 * The adapter reports provider metrics (provider_http_request, provider_retry, circuit_state) from
 * its construction on; the engine binds its run telemetry once the run has one
 * (core/phases/market-data/provider-metrics.ts). `also` receives every metric too (tests).
 */
function providerMetricRelay(also?: ProviderMetricListener): { emit: ProviderMetricListener; bind(listener: ProviderMetricListener | null): void } {
  let target: ProviderMetricListener | null = null;
  return {
    emit: (m) => {
      also?.(m);
      target?.(m);
    },
    bind: (listener) => {
      target = listener;
    },
  };
}

export interface RunOnDatabaseArgs {
  readonly dbPath: string;
  readonly options: RunOptions;
  readonly holder: LockHolder;
  readonly sinks: readonly TelemetrySink[];
  readonly control: RunControl;
  readonly clock?: Clock;
  /**
   * `run --sql-echo`: receives every SQL statement of the run's connection from its opening on,
   * and the run's telemetry while the run has one, to record them through it (SPEC.md k.2, h.1).
   */
  readonly sqlEcho?: { statement(sql: string): void; bindRunTelemetry(telemetry: Telemetry | null): void };
  readonly fetch?: typeof fetch;
  /**
   * The Yahoo adapter's time: its rate limiter's and its circuit's cooldowns. Default: the
   * machine's clock. Tests give one that moves with the work done, not with the machine's load.
   */
  readonly providerClock?: Clock;
  /** Every provider metric of the run's Yahoo adapter, besides the run's telemetry (tests). */
  readonly onProviderMetric?: ProviderMetricListener;
  /** The post-run guard; default: the regression guard and gate of SPEC.md i.4 on this database. */
  readonly postRunGuard?: EngineDeps['postRunGuard'];
  readonly hooks?: EngineDeps['hooks'];
  /** Run under a lock this process already holds (rebuild, j.5). */
  readonly inheritLock?: string;
  /** Appended to the commands the run's refusals advise (EngineDeps.commandSuffix): the CLI's ` --db PATH`. */
  readonly commandSuffix?: string;
}

/**
 * `--trace DIR`: one JSON file per document under DIR (created on first write). A DIR that is
 * a file, lies under one or cannot be written is refused up front, before anything runs, as
 * every output path is (an I/O error: database-paths.ts outputPathError).
 */
export function directoryTraceWriter(dir: string): TraceWriter {
  const root = resolve(dir);
  const problem = outputLocationProblem(join(root, 'trace.json'));
  if (problem) throw outputPathError('the trace files', root, problem, '--trace');
  return {
    write(relativePath, document) {
      const file = join(root, relativePath);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${asciiJson(document, 2)}\n`);
    },
  };
}

/** How often, at most, the run leaves the write lock free between dates for other processes' writes. */
export const WRITE_WINDOW_EVERY_MS = 250;
/** How long that window lasts: several tries of a `batchdesk cancel` polling every millisecond. */
export const WRITE_WINDOW_MS = 4;

/**
 * The engine's pause between dates (EngineDeps.yieldToHost): one turn of the event loop, so a
 * Ctrl-C (the CLI's signal handler) is seen at the next date instead of after the run; and at
 * most every WRITE_WINDOW_EVERY_MS a pause of WRITE_WINDOW_MS with no transaction open. A
 * backfill otherwise holds SQLite's write lock for each whole date and frees it only for
 * microseconds in between, so another process's short write, a `batchdesk cancel` above all,
 * waited for seconds to get in (SQLite serves writers in no order). The windows cost at most
 * WRITE_WINDOW_MS / WRITE_WINDOW_EVERY_MS (1.6%) of a run.
 */
export function betweenDates(now: () => number = () => performance.now()): () => Promise<void> {
  let lastWindow = now();
  return () => {
    const t = now();
    if (t - lastWindow < WRITE_WINDOW_EVERY_MS) return new Promise<void>((resolve) => setImmediate(resolve));
    return new Promise<void>((resolve) =>
      setTimeout(() => {
        lastWindow = now();
        resolve();
      }, WRITE_WINDOW_MS),
    );
  };
}

/** How often a run checks the database for a `batchdesk cancel` from another process. */
const CANCEL_POLL_MS = 500;

/**
 * The run's cancel signal: aborted by the caller's graceful or hard signal, or by a cancel
 * requested in the database (g.10). Requests in flight take this signal, so a cancel aborts
 * them at once; the engine still stops at a portfolio-date boundary.
 */
function cancelSignal(store: EngineStore, control: RunControl): { signal: AbortSignal; dispose(): void } {
  const abort = new AbortController();
  const stop = (why: unknown) => {
    if (!abort.signal.aborted) abort.abort(why);
  };
  const sources = [control.signal, control.hardSignal].filter((s): s is NonNullable<typeof s> => s !== undefined);
  const listeners = sources.map((s) => {
    const l = () => stop(s.reason ?? new Error('cancelled'));
    if (s.aborted) l();
    else s.addEventListener('abort', l, { once: true });
    return () => s.removeEventListener('abort', l);
  });
  const timer = setInterval(() => {
    try {
      if (store.isCancelRequested()) stop(new Error('cancel requested'));
    } catch {
      // A busy database is checked again at the next tick; the engine checks too.
    }
  }, CANCEL_POLL_MS);
  timer.unref();
  return {
    signal: abort.signal,
    dispose: () => {
      clearInterval(timer);
      for (const off of listeners) off();
    },
  };
}

/** How far a run's clock is moved forward at most to stay after the runs already recorded. */
const MAX_CLOCK_CATCH_UP_MS = 60 * 60 * 1000;

/**
 * The run's clock, moved forward when the latest run recorded in the database ended after
 * "now" (by at most an hour): a pinned clock (BATCHDESK_NOW) starts again at its instant in
 * every process, and a system clock can step back. Without this a later run's rows could carry
 * earlier timestamps than an earlier run's, and the guard's G1 (marks computed before
 * analytics, i.4) compares them: re-running analytics alone would then fail it. A real clock
 * is normally ahead of every recorded run and is left as it is; so is a history from a clock
 * set far ahead (more than the hour), which this cannot order.
 */
export function caughtUpClock(db: SqliteDatabase, clock: Clock): Clock {
  const latest = (db.prepare(`SELECT max(max(started_at, coalesce(completed_at, ''), coalesce(heartbeat_at, ''))) AS t FROM batch_run_history`).get() as { t: string | null }).t;
  const behind = latest ? timestampToEpochMs(latest) + 1 - clock.now() : 0;
  if (!(behind > 0 && behind <= MAX_CLOCK_CATCH_UP_MS)) return clock;
  return { now: () => clock.now() + behind };
}

/**
 * Opens the database, composes the engine and runs it; the database is closed afterwards. A
 * database that cannot be written is refused before anything runs (a dry run only reads).
 */
export async function runOnDatabase(args: RunOnDatabaseArgs): Promise<RunResult> {
  if (!args.options.dryRun) refuseReadOnlyDatabase(args.dbPath);
  const echo = args.sqlEcho;
  const opened = openStore(args.dbPath, { mustExist: true, toRead: args.options.dryRun, ...(echo ? { sqlEcho: (sql: string) => echo.statement(sql) } : {}) });
  const clock = caughtUpClock(opened.db, args.clock ?? systemClock());
  const cancel = cancelSignal(opened.store, args.control);
  try {
    // A resume runs with the continued run's price source and overrides unless it gives its own (g.11).
    const lock = args.options.resume ? opened.store.readLock() : null;
    const dead = lock?.runId && staleJudge(opened.store, clock, args.dbPath)(lock) ? opened.store.getRun(lock.runId) : null;
    const options = withResumedOptions(args.options, opened.store, dead);
    if (options.csvDir !== undefined && args.options.csvDir === undefined) resumedCsvDirCheck(options.csvDir);
    const settings = resolveRunSettings(opened.store.loadSettings(), options);
    // A dry run names the source chain in its fetch plan (g.4) and asks nothing of it. A chain a
    // run would refuse (mixed sources, another seed) is still named: the refusal is a plan
    // warning (runBatch), and the plan says what the run would ask once it is allowed.
    const sourceOptions = options.dryRun ? { ...options, allowMixedSources: true, seed: undefined } : options;
    const sources = buildSources(opened.store, settings, sourceOptions, clock.now(), {
      fetch: args.fetch,
      ...(args.providerClock ? { providerClock: args.providerClock } : {}),
      ...(args.onProviderMetric ? { onProviderMetric: args.onProviderMetric } : {}),
      ...(args.commandSuffix ? { commandSuffix: args.commandSuffix } : {}),
    });
    const deps: EngineDeps = {
      store: opened.store,
      clock,
      random: systemRandom(),
      sinks: args.sinks,
      priceSources: sources.priceSources,
      profileSource: sources.profileSource,
      host: engineHost(args.holder, args.dbPath),
      postRunGuard: args.postRunGuard ?? postRunGuardFor(opened.db, clock),
      yieldToHost: betweenDates(),
      every: (ms, fn) => {
        const timer = setInterval(fn, ms);
        timer.unref();
        return () => clearInterval(timer);
      },
      ...(args.hooks ? { hooks: args.hooks } : {}),
      ...(echo ? { bindRunTelemetry: (telemetry: Telemetry | null) => echo.bindRunTelemetry(telemetry) } : {}),
      ...(args.inheritLock ? { inheritLock: args.inheritLock } : {}),
      ...(args.commandSuffix ? { commandSuffix: args.commandSuffix } : {}),
      ...(options.monitorOnly ? { derivedRows: createDerivedRowsReader(opened.db) } : {}),
      ...(options.monitorOnly && options.trace ? { trace: directoryTraceWriter(options.trace) } : {}),
    };
    return await runBatch(deps, options, { ...args.control, signal: cancel.signal });
  } finally {
    cancel.dispose();
    opened.close();
  }
}
