/**
 * What a phase is (SPEC.md c.1): a declaration (name, scope, critical, reads, writes) plus
 * its handler. Date-scoped handlers may await providers; portfolio-scoped handlers are
 * synchronous because they run inside the portfolio-date transaction.
 */
import type { AnalyticsRunnerOutcome } from '../phases/analytics/runner-outcome';
import type { SnapshotValues } from '../calc/snapshot';
import type { IsoDate } from '../domain/iso-date';
import type { LotMark } from '../domain/mark';
import type { PhaseName, PhaseOutcome } from '../domain/phase';
import type { EquityChange, Lot, RealizedEvent } from '../domain/portfolio';
import type { AbortSignalLike } from '../domain/abort-signal';
import type { Clock } from '../ports/clock';
import type { ProfileSource, PriceSource } from '../ports/market-data';
import type { Random } from '../ports/random';
import type { EngineStore } from '../ports/engine-store';
import type { FactorRecord, PortfolioRecord, ProfileRecord, ScenarioRecord } from '../ports/store';
import type { Telemetry } from '../telemetry/record-metric';
import type { RunOptions } from '../api/run-options';
import type { EngineSettings } from './settings';
import type { MarkHistory } from './mark-history';
import type { PriceTable } from './price-table';
import type { MarketDataRunState } from '../phases/market-data/run-state';

/** A table name or a column group (SPEC.md b.5). */
export type Resource = string;

export interface RunContext {
  readonly runId: string;
  readonly batchRunId: string;
  readonly monitorOnly: boolean;
  readonly options: RunOptions;
  readonly settings: EngineSettings;
  readonly store: EngineStore;
  readonly clock: Clock;
  readonly random: Random;
  readonly telemetry: Telemetry;
  readonly signal: AbortSignalLike;
  readonly priceSources: readonly PriceSource[];
  readonly profileSource: ProfileSource | null;
  readonly portfolios: ReadonlyMap<string, PortfolioRecord>;
  readonly lotsByPortfolio: ReadonlyMap<string, readonly Lot[]>;
  readonly eventsByLot: ReadonlyMap<string, readonly RealizedEvent[]>;
  readonly equityChangesByPortfolio: ReadonlyMap<string, readonly EquityChange[]>;
  profiles: Map<string, ProfileRecord>;
  readonly factors: readonly FactorRecord[];
  readonly scenarios: readonly ScenarioRecord[];
  prices: PriceTable;
  /** Run-scoped values a phase keeps between dates (each key documents what it caches). */
  readonly memo: Map<string, unknown>;
  /** Appended to the commands a phase's messages advise (EngineDeps.commandSuffix: the CLI's ` --db PATH`), else empty. */
  readonly commandSuffix: string;
  /** The lots' priced marks, kept equal to the store (previous marks, d.3). */
  readonly markHistory: MarkHistory;
  readonly marketData: MarketDataRunState;
  nowIso(): string;
}

export interface DateContext {
  readonly run: RunContext;
  readonly date: IsoDate;
  readonly chunkIndex: number;
  /** Portfolios planned on this date, in processing order. */
  readonly portfolioIds: readonly string[];
  /** The date-scoped phases this run runs on this date. */
  readonly datePhases: readonly PhaseName[];
  /** Per-date values later phases use (coverage, missing counts). */
  readonly shared: Map<string, unknown>;
}

export interface PortfolioDateState {
  marks?: LotMark[];
  snapshot?: SnapshotValues;
  analytics?: AnalyticsRunnerOutcome;
  /** Phases that rewrote exactly the rows they replaced: what reads them is not stale (g.8). */
  unchanged?: Set<PhaseName>;
}

/** Records that a phase's rewrite left its rows as they were (g.8). */
export function noteUnchanged(ctx: PortfolioDateContext, phase: PhaseName, changed: boolean): void {
  if (!changed) (ctx.state.unchanged ??= new Set()).add(phase);
}

export interface PortfolioDateContext {
  readonly run: RunContext;
  readonly date: IsoDate;
  readonly dateContext: DateContext;
  readonly portfolio: PortfolioRecord;
  readonly lots: readonly Lot[];
  readonly state: PortfolioDateState;
  /** Phases that run in this run for this portfolio-date: its own and the date's date-scoped ones (prerequisite checks use it). */
  readonly selected: ReadonlySet<PhaseName>;
}

interface DeclarationBase {
  readonly name: PhaseName;
  readonly critical: boolean;
  readonly reads: readonly Resource[];
  readonly writes: readonly Resource[];
}

export interface DatePhase extends DeclarationBase {
  readonly scope: 'date';
  run(ctx: DateContext): Promise<PhaseOutcome>;
}

export interface PortfolioPhase extends DeclarationBase {
  readonly scope: 'portfolio';
  /** Checks run when a producer of this phase's inputs is not selected (c.11); null = ok. */
  prerequisite?(ctx: PortfolioDateContext): string | null;
  run(ctx: PortfolioDateContext): PhaseOutcome;
  /** Once per date before the first portfolio-date transaction (analytics symbol stage, c.10). */
  prepareDate?(ctx: DateContext): PhaseOutcome;
}

export type PhaseDeclaration = DatePhase | PortfolioPhase;

export function outcome(status: PhaseOutcome['status'], metrics: Record<string, unknown> = {}, reason: string | null = null, error: string | null = null): PhaseOutcome {
  return { status, reason, error, metrics };
}
