/**
 * Analytics persistence (SPEC.md b.3 derived tables, c.10, d.6-d.13). Rows carry the values
 * the jobs computed; the store adds ids and timestamps. Writes happen inside the
 * portfolio-date transaction (job savepoints) or, for symbol rows, in prepareDate's own.
 */
import type { IsoDate } from '../domain/iso-date';

export type SymbolExposureMethod = 'ridge_regression' | 'spread_regression' | 'ols_market' | 'ols_ir' | 'provider';

export interface SymbolExposureRow {
  readonly symbol: string;
  readonly factorId: string;
  readonly calculationDate: IsoDate;
  readonly betaValue: number;
  readonly rSquared: number | null;
  readonly observations: number | null;
  readonly qualityFlag: string | null;
  readonly calculationMethod: SymbolExposureMethod;
  readonly regularizationAlpha: number | null;
  readonly regressionWindowDays: number | null;
  readonly alpha: number | null;
  readonly stdError: number | null;
  readonly pValue: number | null;
}

export interface FactorExposureRow {
  readonly portfolioId: string;
  readonly factorId: string;
  readonly calculationDate: IsoDate;
  readonly exposureValue: number;
  readonly exposureDollar: number | null;
  readonly coverage: number | null;
}

export interface PositionFactorExposureRow {
  readonly positionId: string;
  readonly factorId: string;
  readonly calculationDate: IsoDate;
  readonly exposureValue: number;
  readonly qualityFlag: string | null;
}

export interface PositionMarketBetaRow {
  readonly portfolioId: string;
  readonly positionId: string;
  readonly calcDate: IsoDate;
  readonly beta: number;
  readonly alpha: number | null;
  readonly rSquared: number | null;
  readonly stdError: number | null;
  readonly pValue: number | null;
  readonly observations: number | null;
}

export interface PositionIrBetaRow {
  readonly portfolioId: string;
  readonly positionId: string;
  readonly irBeta: number;
  readonly rSquared: number | null;
  readonly calculationDate: IsoDate;
}

export interface PositionVolatilityRow {
  readonly positionId: string;
  readonly calculationDate: IsoDate;
  readonly realizedVol21d: number | null;
  readonly realizedVol63d: number | null;
  readonly volDaily: number | null;
  readonly volWeekly: number | null;
  readonly volMonthly: number | null;
  readonly expectedVol21d: number | null;
  readonly volTrend: 'increasing' | 'decreasing' | 'stable' | null;
  readonly volTrendStrength: number | null;
  readonly volPercentile: number | null;
  readonly observations: number | null;
  readonly modelRSquared: number | null;
}

export interface CorrelationRow {
  readonly portfolioId: string;
  readonly durationDays: number;
  readonly calculationDate: IsoDate;
  readonly overallCorrelation: number | null;
  readonly effectivePositions: number | null;
  readonly dataQuality: string;
  readonly minPositionValue: number;
  readonly minPortfolioWeight: number;
  readonly filterMode: string;
  readonly correlationThreshold: number;
  readonly positionsIncluded: number;
  readonly positionsExcluded: number;
}

export interface PairwiseRow {
  readonly symbol1: string;
  readonly symbol2: string;
  readonly correlationValue: number;
  readonly dataPoints: number;
  readonly statisticalSignificance: number;
}

export interface StressResultRow {
  readonly portfolioId: string;
  /** stress_test_scenarios.id (the row id). */
  readonly scenarioRowId: string;
  readonly calculationDate: IsoDate;
  readonly directPnl: number;
  readonly correlatedPnl: number;
  readonly correlationEffect: number;
  readonly factorImpacts: unknown;
  readonly calculationMetadata: unknown;
}

/** The analytics columns of a snapshot (group portfolio_snapshots.analytics); omitted keys are left alone. */
export interface SnapshotAnalyticsFields {
  realizedVolatility21d?: number | null;
  realizedVolatility63d?: number | null;
  expectedVolatility21d?: number | null;
  volatilityTrend?: 'increasing' | 'decreasing' | 'stable' | null;
  volatilityPercentile?: number | null;
  betaCalculated90d?: number | null;
  betaCalculated90dRSquared?: number | null;
  betaCalculated90dObservations?: number | null;
  betaProvider1y?: number | null;
  sectorExposure?: Record<string, number> | null;
  hhi?: number | null;
  effectiveNumPositions?: number | null;
  top3Concentration?: number | null;
  top10Concentration?: number | null;
}

export interface RecentFactorExposure {
  readonly factorId: string;
  readonly calculationDate: IsoDate;
  readonly exposureValue: number;
  readonly exposureDollar: number | null;
}

export interface AnalyticsStore {
  /** Replaces D's symbol rows for these symbols (one transaction, by the caller). */
  replaceSymbolExposures(date: IsoDate, symbols: readonly string[], rows: readonly SymbolExposureRow[], nowIso: string): void;
  loadSymbolExposures(date: IsoDate): SymbolExposureRow[];
  /** The symbol's latest ols_market beta strictly before D (provider-beta fallback, d.9). */
  latestMarketBetaBefore(symbol: string, date: IsoDate, marketFactorId: string): number | null;
  /** Deletes the portfolio-date's analytics rows and nulls the snapshot's analytics columns. */
  clearPortfolioAnalytics(portfolioId: string, date: IsoDate, lotIds: readonly string[]): void;
  insertFactorExposures(rows: readonly FactorExposureRow[], nowIso: string): void;
  insertPositionFactorExposures(rows: readonly PositionFactorExposureRow[], nowIso: string): void;
  insertPositionMarketBetas(rows: readonly PositionMarketBetaRow[], nowIso: string): void;
  insertPositionIrBetas(rows: readonly PositionIrBetaRow[], nowIso: string): void;
  insertPositionVolatility(rows: readonly PositionVolatilityRow[], nowIso: string): void;
  insertCorrelation(row: CorrelationRow, pairs: readonly PairwiseRow[], nowIso: string): void;
  insertStressResults(rows: readonly StressResultRow[], nowIso: string): void;
  updateSnapshotAnalytics(portfolioId: string, date: IsoDate, fields: SnapshotAnalyticsFields, nowIso: string): void;
  /** The portfolio's most recent factor_exposures rows dated <= D (newest first). */
  recentFactorExposures(portfolioId: string, date: IsoDate, limit: number): RecentFactorExposure[];
}
