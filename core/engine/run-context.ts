/**
 * Engine dependencies and the per-run context built from them: the raw inputs are read once
 * per run (they do not change during a run), the price table per chunk.
 */
import type { RunOptions } from '../api/run-options';
import type { AbortSignalLike } from '../domain/abort-signal';
import type { EquityChange, Lot, RealizedEvent } from '../domain/portfolio';
import { formatTimestamp } from '../domain/timestamp';
import type { Clock } from '../ports/clock';
import type { EngineStore } from '../ports/engine-store';
import type { PriceSource, ProfileSource } from '../ports/market-data';
import type { Random } from '../ports/random';
import type { GateChange, LockHolder, PortfolioRecord } from '../ports/store';
import type { Telemetry, TelemetrySink } from '../telemetry/record-metric';
import { MarketDataRunState } from '../phases/market-data/run-state';
import type { IsoDate } from '../domain/iso-date';
import type { RunContext } from './phase-types';
import type { DerivedRowsReader, TraceWriter } from '../ports/derived-rows';
import { MarkHistory } from './mark-history';
import { PriceTable } from './price-table';
import { parseEngineSettings, type EngineSettings } from './settings';

export interface EngineHost {
  readonly holder: LockHolder;
  readonly host: string;
  readonly pid: number;
  readonly appVersion: string;
  /** File name only (h.2 run_start.database). */
  readonly databaseName: string;
  isPidAlive(pid: number): boolean;
}

export interface GuardReport {
  readonly status: 'pass' | 'fail';
  readonly findings: readonly unknown[];
  /** Set when the guard opened or closed the gate (emitted as a gate_changed metric). */
  readonly gateChange?: GateChange | null;
}

/** A portfolio-date a run processed (its phases ran, whatever their outcome). */
export interface ProcessedPortfolioDate {
  readonly date: IsoDate;
  readonly portfolioId: string;
}

export interface EngineDeps {
  readonly store: EngineStore;
  readonly clock: Clock;
  readonly random: Random;
  readonly sinks: readonly TelemetrySink[];
  readonly priceSources: readonly PriceSource[];
  readonly profileSource: ProfileSource | null;
  readonly host: EngineHost;
  /** Throw on invalid telemetry payloads (tests). */
  readonly strictTelemetry?: boolean;
  /**
   * The regression guard after a normal run (SPEC.md i.4) over the portfolio-dates the run
   * processed; absent = not run.
   */
  readonly postRunGuard?: (processed: readonly ProcessedPortfolioDate[], runId: string) => GuardReport;
  /**
   * The run_id of a lock this process already holds (a rebuild's, j.5): the run works under
   * it instead of taking its own, heartbeats it, and leaves it for the holder to release.
   */
  readonly inheritLock?: string;
  /**
   * Appended to each command the run's messages advise (the lock and gate refusals, a resume or
   * seed refusal): the CLI's ` --db PATH` when the user chose a database, so the advice acts on
   * this database as printed. Absent: the commands as typed for the default database.
   */
  readonly commandSuffix?: string;
  /** Monitor-only (g.12): reads stored and computed rows for the difference report. */
  readonly derivedRows?: DerivedRowsReader;
  /** Monitor-only with --trace: receives one JSON document per file (relative path). */
  readonly trace?: TraceWriter;
  /**
   * Lets the host handle its pending events (a Ctrl-C, a cancel message) between dates: with
   * cached prices a backfill never waits on I/O, so without it those events would only be
   * handled once the run had finished.
   */
  readonly yieldToHost?: () => Promise<void>;
  /**
   * Calls `fn` every `ms` until the returned stop function is called. The run beats its lock
   * with it (g.6), so a run that waits on a provider (a prefetch, retries, a rate limit) keeps
   * its lock fresh; the callback runs at the run's awaits, never inside a transaction. Absent,
   * the run beats only between portfolio-dates and chunks.
   */
  readonly every?: (ms: number, fn: () => void) => () => void;
  /**
   * Called with the run's telemetry once the run has one, and with null once the run is over:
   * the host records its own events of the run through it (`run --sql-echo`, SPEC.md h.1).
   */
  readonly bindRunTelemetry?: (telemetry: Telemetry | null) => void;
  /** Test seams: called after each committed portfolio-date and before each phase. */
  readonly hooks?: {
    readonly afterPortfolioDate?: (date: IsoDate, portfolioId: string) => void;
    readonly beforePhase?: (phase: string, date: IsoDate, portfolioId: string | null) => void;
  };
}

export interface RunControl {
  /** Graceful cancel: finish the current portfolio-date, then stop. */
  readonly signal: AbortSignalLike;
  /** Stop at once. */
  readonly hardSignal?: AbortSignalLike;
}

/** Stored settings with the run's flag overrides applied: a flag gets past a bad stored value of its setting. */
export function resolveRunSettings(stored: Record<string, unknown>, options: RunOptions): EngineSettings {
  return parseEngineSettings(stored, {
    ...(options.marketData ? { 'market_data.mode': options.marketData } : {}),
    ...(options.csvDir ? { 'market_data.csv_dir': options.csvDir } : {}),
    ...(options.impliedVol !== undefined ? { 'options.implied_vol': options.impliedVol } : {}),
    ...(options.riskFreeRate !== undefined ? { 'options.risk_free_rate': options.riskFreeRate } : {}),
    ...(options.maxMissingMarks !== undefined ? { 'guard.max_missing_marks': options.maxMissingMarks } : {}),
  });
}

export interface RunInputs {
  readonly portfolios: readonly PortfolioRecord[];
  readonly lotsByPortfolio: Map<string, Lot[]>;
  readonly eventsByLot: Map<string, RealizedEvent[]>;
  readonly equityChangesByPortfolio: Map<string, EquityChange[]>;
}

export function loadRunInputs(store: EngineStore): RunInputs {
  const portfolios = store.listPortfolios();
  const ids = portfolios.map((p) => p.id);
  const lotsByPortfolio = new Map<string, Lot[]>(ids.map((id) => [id, []]));
  for (const lot of store.loadLots(ids)) lotsByPortfolio.get(lot.portfolioId)?.push(lot);
  const eventsByLot = new Map<string, RealizedEvent[]>();
  for (const e of store.loadRealizedEvents(ids)) (eventsByLot.get(e.positionId) ?? eventsByLot.set(e.positionId, []).get(e.positionId)!).push(e);
  const equityChangesByPortfolio = new Map<string, EquityChange[]>();
  for (const c of store.loadEquityChanges(ids)) (equityChangesByPortfolio.get(c.portfolioId) ?? equityChangesByPortfolio.set(c.portfolioId, []).get(c.portfolioId)!).push(c);
  return { portfolios, lotsByPortfolio, eventsByLot, equityChangesByPortfolio };
}

export function createRunContext(args: {
  deps: EngineDeps;
  options: RunOptions;
  settings: EngineSettings;
  inputs: RunInputs;
  telemetry: Telemetry;
  runId: string;
  batchRunId: string;
  signal: AbortSignalLike;
  neededSymbols: readonly string[];
}): RunContext {
  const { deps, inputs } = args;
  const store = deps.store;
  return {
    runId: args.runId,
    batchRunId: args.batchRunId,
    monitorOnly: args.options.monitorOnly,
    options: args.options,
    settings: args.settings,
    store,
    clock: deps.clock,
    random: deps.random,
    telemetry: args.telemetry,
    signal: args.signal,
    priceSources: deps.priceSources,
    profileSource: deps.profileSource,
    portfolios: new Map(inputs.portfolios.map((p) => [p.id, p])),
    lotsByPortfolio: inputs.lotsByPortfolio,
    eventsByLot: inputs.eventsByLot,
    equityChangesByPortfolio: inputs.equityChangesByPortfolio,
    profiles: store.loadProfiles(),
    factors: store.loadFactors(),
    scenarios: store.loadScenarios(),
    prices: new PriceTable('2000-01-03' as IsoDate, '2000-01-03' as IsoDate),
    marketData: new MarketDataRunState(store.loadFetchLog(args.neededSymbols)),
    markHistory: new MarkHistory((ids) => store.loadPricedMarks(ids)),
    memo: new Map(),
    commandSuffix: deps.commandSuffix ?? '',
    nowIso: () => formatTimestamp(deps.clock.now()),
  };
}
