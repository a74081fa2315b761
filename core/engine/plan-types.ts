/** The plan a run executes (SPEC.md g.4): dates in chunks, per date the portfolios with phases and reasons. */
import type { IsoDate } from '../domain/iso-date';
import type { PhaseName } from '../domain/phase';
import type { FetchMode, FetchRange } from '../phases/market-data/fetch-plan';
import type { PriceSourceName } from '../ports/market-data';

export interface PlannedPortfolio {
  readonly portfolioId: string;
  readonly phases: readonly PhaseName[];
  readonly reason: string;
}

export interface SkippedPortfolio {
  readonly portfolioId: string;
  readonly reason: string;
}

export interface PlannedDate {
  readonly date: IsoDate;
  /** Date-scoped phases that run on this date. */
  readonly datePhases: readonly PhaseName[];
  readonly portfolios: readonly PlannedPortfolio[];
  readonly skipped: readonly SkippedPortfolio[];
}

export interface RunPlan {
  readonly targetDate: IsoDate;
  readonly targetDerivation: string;
  readonly mode: 'normal' | 'monitor' | 'retry' | 'resume';
  readonly selectedPhases: readonly PhaseName[];
  readonly portfolioScope: 'all' | readonly string[];
  readonly dates: readonly PlannedDate[];
  readonly chunks: readonly (readonly IsoDate[])[];
  readonly warnings: readonly string[];
  /** A dry run: the error codes of what would refuse a run now (`locked`, `gate_closed`, `usage`), each also a warning. */
  readonly refusedBy: readonly string[];
  /** Set when the automatic range is empty. */
  readonly upToDateMessage: string | null;
  readonly resumedRunId: string | null;
  /** A dry run: the market-data fetch plan of each chunk (g.4). */
  readonly fetches?: readonly ChunkFetchPreview[];
  /** A dry run: the fetch plans' ranges over all chunks, each counted once (fetch-preview.ts). */
  readonly fetchTotal?: FetchTotal;
}

/** The ranges of a dry run's fetch plans over all chunks, a range that several chunks lack counted once. */
export interface FetchTotal {
  readonly ranges: number;
  /** Trading days in those ranges. */
  readonly requestedDays: number;
}

/** A chunk's market-data fetch plan in a dry run (g.4; fetch-preview.ts). */
export interface ChunkFetchPreview {
  readonly index: number;
  readonly firstDate: IsoDate;
  readonly lastDate: IsoDate;
  /** False when no date of the chunk runs market_data: the chunk reads the cache only. */
  readonly marketData: boolean;
  /** The needed symbols, sorted. */
  readonly symbols: readonly string[];
  readonly ranges: readonly FetchRange[];
  /** Trading days in the ranges. */
  readonly requestedDays: number;
  readonly estimatedRequests: number;
  readonly fetchMode: FetchMode;
  /** The source chain, in the order it is asked. */
  readonly sources: readonly PriceSourceName[];
}
