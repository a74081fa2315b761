/**
 * Read queries behind the app's views (SPEC.md 0.4 "read queries for the views", h.7, i):
 * tracking grid, date detail, missing prices, portfolios, snapshots, marks with provenance,
 * analytics per portfolio and date, database facts and the recent telemetry ring. They read
 * through the host's read-only connection and hide dates whose tracking row is not complete
 * (completed_at unset, SPEC.md g.7, m.1) unless `includeIncomplete` is set.
 */
import { z } from 'zod';
import { calendarDateSchema } from '../../calendar/calendar-range-error';
import { isoDateSchema } from '../../domain/iso-date';
import { PHASE_NAMES } from '../../domain/phase';
import { defineCommand } from '../command-definition';
import { endNotBeforeStart } from '../date-range';
import { telemetryEventSchema } from '../telemetry-events';

const nullableNumber = z.number().nullable();
const range = {
  startDate: calendarDateSchema.optional(),
  endDate: calendarDateSchema.optional(),
  /** Also return dates whose tracking row is not complete (a running or interrupted date). */
  includeIncomplete: z.boolean().default(false),
};

/** A stored close flagged `jump` (SPEC.md e.4): kept and used, listed for review. */
export const suspectPriceRowSchema = z.object({
  date: isoDateSchema,
  symbol: z.string(),
  close: z.number(),
  previousDate: isoDateSchema.nullable(),
  previousClose: nullableNumber,
  /** close / previous close − 1, as a fraction. */
  change: nullableNumber,
  dataSource: z.string(),
});
export type SuspectPriceRow = z.infer<typeof suspectPriceRowSchema>;

/** One phase entry of a tracking row's phase_status (SPEC.md h.4). */
export const phaseCellSchema = z.object({
  status: z.string(),
  startedAt: z.string().nullable(),
  durationMs: nullableNumber,
  reason: z.string().nullable(),
  error: z.string().nullable(),
});
export type PhaseCell = z.infer<typeof phaseCellSchema>;

export const trackingPhaseSchema = phaseCellSchema.extend({
  /** Portfolio-scoped phases: each portfolio's entry. Null for date-scoped phases. */
  portfolios: z.record(z.string(), phaseCellSchema).nullable(),
});
export type TrackingPhase = z.infer<typeof trackingPhaseSchema>;

export const trackingRowSchema = z.object({
  date: isoDateSchema,
  status: z.string(),
  complete: z.boolean(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  runId: z.string().nullable(),
  batchRunId: z.string().nullable(),
  mode: z.string().nullable(),
  phases: z.partialRecord(z.enum(PHASE_NAMES), trackingPhaseSchema),
  missingPriceCount: z.number().int(),
  fallbackCount: z.number().int(),
  modelCount: z.number().int(),
  coveragePct: nullableNumber,
  usableCoveragePct: nullableNumber,
  jobsExpected: z.number().int(),
  jobsCompleted: z.number().int(),
  errors: z.array(z.string()),
});
export type TrackingRow = z.infer<typeof trackingRowSchema>;

export const portfolioSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  accountName: z.string(),
  isActive: z.boolean(),
  deleted: z.boolean(),
  equityBalance: nullableNumber,
  initialEquity: nullableNumber,
  positions: z.number().int(),
  firstEntryDate: z.string().nullable(),
  latestSnapshotDate: z.string().nullable(),
});
export type PortfolioSummary = z.infer<typeof portfolioSummarySchema>;

export const MISSING_REASONS = ['no_data', 'provider_error', 'rate_limited', 'stale_beyond_fallback', 'invalid_price', 'not_listed_yet'] as const;
export const missingPriceRowSchema = z.object({
  date: isoDateSchema,
  symbol: z.string(),
  reason: z.enum(MISSING_REASONS),
  resolution: z.enum(['fallback', 'missing']),
  fallbackPriceDate: z.string().nullable(),
  /** Calendar days between the fallback close and the date; null without a fallback. */
  fallbackAgeDays: z.number().int().nullable(),
  /**
   * Trading days between the fallback close and the date (1: the previous trading day), the unit
   * of the five-trading-day fallback window (e.6); null without a fallback.
   */
  fallbackAgeTradingDays: z.number().int().nullable(),
  lastKnownPriceDate: z.string().nullable(),
  provider: z.string().nullable(),
  detail: z.string().nullable(),
  positionsAffected: z.number().int(),
  portfoliosAffected: z.number().int(),
});
export type MissingPriceRow = z.infer<typeof missingPriceRowSchema>;

export const snapshotRowSchema = z.object({
  date: isoDateSchema,
  totalValue: z.number(),
  cashValue: z.number(),
  longValue: z.number(),
  shortValue: z.number(),
  grossExposure: z.number(),
  netExposure: z.number(),
  dailyPnl: nullableNumber,
  dailyReturn: nullableNumber,
  cumulativePnl: nullableNumber,
  dailyCapitalFlow: nullableNumber,
  equityBalance: nullableNumber,
  numPositions: z.number().int(),
  numUnmarkedPositions: z.number().int(),
  isBaseline: z.boolean(),
  realizedVolatility21d: nullableNumber,
  realizedVolatility63d: nullableNumber,
  expectedVolatility21d: nullableNumber,
  volatilityTrend: z.string().nullable(),
  volatilityPercentile: nullableNumber,
  betaCalculated90d: nullableNumber,
  betaProvider1y: nullableNumber,
  hhi: nullableNumber,
  effectiveNumPositions: nullableNumber,
  top3Concentration: nullableNumber,
  top10Concentration: nullableNumber,
});
export type SnapshotRow = z.infer<typeof snapshotRowSchema>;

export const markRowSchema = z.object({
  positionId: z.string(),
  symbol: z.string(),
  positionType: z.string(),
  investmentClass: z.string(),
  underlyingSymbol: z.string().nullable(),
  isActive: z.boolean(),
  quantity: z.number(),
  multiplier: z.number(),
  price: nullableNumber,
  priceDate: z.string().nullable(),
  priceSource: z.enum(['exact', 'fallback', 'model', 'entry', 'missing']),
  marketValue: nullableNumber,
  costBasis: nullableNumber,
  unrealizedPnl: nullableNumber,
  dailyPnl: z.number(),
  prevPrice: nullableNumber,
  prevPriceDate: z.string().nullable(),
  prevBasis: z.string().nullable(),
  closedQuantity: z.number(),
  closingPnl: z.number(),
  underlyingPrice: nullableNumber,
  impliedVol: nullableNumber,
  delta: nullableNumber,
  gamma: nullableNumber,
  theta: nullableNumber,
  vega: nullableNumber,
  flags: z.unknown(),
  computedAt: z.string(),
});
export type MarkRow = z.infer<typeof markRowSchema>;

export const factorExposureSchema = z.object({
  factorId: z.string(),
  name: z.string(),
  factorType: z.string().nullable(),
  exposureValue: z.number(),
  exposureDollar: nullableNumber,
  coverage: nullableNumber,
});
export type FactorExposure = z.infer<typeof factorExposureSchema>;

export const stressResultSchema = z.object({
  scenarioId: z.string(),
  scenarioKey: z.string(),
  name: z.string(),
  category: z.string().nullable(),
  severity: z.string().nullable(),
  directPnl: nullableNumber,
  correlatedPnl: nullableNumber,
  correlationEffect: nullableNumber,
  factorImpacts: z.unknown(),
});
export type StressResult = z.infer<typeof stressResultSchema>;

export const positionVolatilitySchema = z.object({
  positionId: z.string(),
  symbol: z.string(),
  realizedVol21d: nullableNumber,
  realizedVol63d: nullableNumber,
  expectedVol21d: nullableNumber,
  volTrend: z.string().nullable(),
  volPercentile: nullableNumber,
  observations: z.number().int().nullable(),
});

export const correlationSchema = z.object({
  durationDays: z.number().int(),
  overallCorrelation: nullableNumber,
  concentrationScore: nullableNumber,
  effectivePositions: nullableNumber,
  dataQuality: z.string().nullable(),
  positionsIncluded: z.number().int().nullable(),
  positionsExcluded: z.number().int().nullable(),
  pairs: z.array(z.object({ symbol1: z.string(), symbol2: z.string(), value: z.number(), dataPoints: z.number().int().nullable() })),
});
export type Correlation = z.infer<typeof correlationSchema>;

export const analyticsViewSchema = z.object({
  portfolioId: z.string(),
  /** The date shown: the requested one, else the latest complete date with a snapshot; null when there is none. */
  date: isoDateSchema.nullable(),
  snapshot: snapshotRowSchema.nullable(),
  factorExposures: z.array(factorExposureSchema),
  stressTests: z.array(stressResultSchema),
  positionVolatility: z.array(positionVolatilitySchema),
  correlations: z.array(correlationSchema),
  sectorExposure: z.unknown(),
  /** The analytics job outcomes recorded in tracking for this portfolio-date (job -> { success, reason, metrics }). */
  jobs: z.record(z.string(), z.object({ success: z.boolean(), reason: z.string().nullable(), metrics: z.record(z.string(), z.unknown()) })),
});
export type AnalyticsView = z.infer<typeof analyticsViewSchema>;

const portfolioDate = z.object({ portfolioId: z.string().min(1), date: calendarDateSchema.optional() });

/** The run lock's holder (SPEC.md g.9) as the Data screen names it. */
const databaseLockSchema = z.object({
  /** What holds it, in words: run, rebuild, purge, restore, import or seed-demo. */
  what: z.string(),
  holder: z.enum(['cli', 'app', 'serve']),
  host: z.string(),
  pid: z.number().int(),
  acquiredAt: z.string(),
  heartbeatAt: z.string(),
});

export const viewCommands = {
  listPortfolios: defineCommand({
    summary: 'the portfolios with their lot counts and latest complete snapshot date',
    input: z.object({ includeDeleted: z.boolean().default(false) }).default({ includeDeleted: false }),
    output: z.object({ portfolios: z.array(portfolioSummarySchema) }),
    mutates: false,
  }),
  getTracking: defineCommand({
    summary: 'tracking rows (date x phase statuses and counters) for a range',
    input: z.object({ ...range, limit: z.number().int().min(1).max(20_000).default(5000) }).superRefine(endNotBeforeStart).default({ includeIncomplete: false, limit: 5000 }),
    output: z.object({
      dates: z.array(trackingRowSchema),
      truncated: z.boolean(),
      /**
       * Trading days between the first and the last listed date without a listed row: never
       * run, purged, or (unless includeIncomplete) not finished. A calendar shows them apart
       * from weekends and holidays.
       */
      untrackedTradingDays: z.array(isoDateSchema),
      /**
       * The latest settled trading day (SPEC.md f.3) at the host's clock; null when that lies
       * outside the trading calendar.
       */
      latestSettledDate: isoDateSchema.nullable(),
      /**
       * Trading days after the last listed date up to the latest settled date (and endDate):
       * not run yet. Empty when the listing is truncated.
       */
      tradingDaysAfterLast: z.array(isoDateSchema),
    }),
    mutates: false,
  }),
  getDateDetail: defineCommand({
    summary: "one date's tracking row in full: phase_status and metadata (phase metrics, job outcomes)",
    input: z.object({ date: calendarDateSchema, includeIncomplete: z.boolean().default(false) }),
    output: z.object({
      row: trackingRowSchema.nullable(),
      phaseStatus: z.record(z.string(), z.unknown()).nullable(),
      metadata: z.record(z.string(), z.unknown()).nullable(),
    }),
    mutates: false,
  }),
  getMissingPrices: defineCommand({
    summary: 'missing-price rows with reasons and the fallback used, filtered',
    input: z
      .object({
        ...range,
        symbols: z.array(z.string().min(1).max(64)).max(500).default([]),
        reasons: z.array(z.enum(MISSING_REASONS)).default([]),
        resolution: z.enum(['fallback', 'missing']).optional(),
        /** Only symbols held by this portfolio's lots active on the date. */
        portfolioId: z.string().min(1).optional(),
        limit: z.number().int().min(1).max(500_000).default(200_000),
      })
      .superRefine(endNotBeforeStart)
      .default({ includeIncomplete: false, symbols: [], reasons: [], limit: 200_000 }),
    output: z.object({ rows: z.array(missingPriceRowSchema), total: z.number().int(), truncated: z.boolean() }),
    mutates: false,
  }),
  getSuspectPrices: defineCommand({
    summary: "stored closes flagged as one-day jumps beyond the threshold (SPEC.md e.4's suspect prices), with the previous close",
    input: z
      .object({
        startDate: calendarDateSchema.optional(),
        endDate: calendarDateSchema.optional(),
        symbols: z.array(z.string().min(1).max(64)).max(500).default([]),
        limit: z.number().int().min(1).max(100_000).default(10_000),
      })
      .superRefine(endNotBeforeStart)
      .default({ symbols: [], limit: 10_000 }),
    output: z.object({ rows: z.array(suspectPriceRowSchema), total: z.number().int(), truncated: z.boolean() }),
    mutates: false,
  }),
  getSnapshots: defineCommand({
    summary: "a portfolio's daily snapshots (NAV, P&L, exposures, volatility) over a range",
    input: z.object({ portfolioId: z.string().min(1), ...range }).superRefine(endNotBeforeStart),
    output: z.object({ portfolioId: z.string(), rows: z.array(snapshotRowSchema) }),
    mutates: false,
  }),
  getMarks: defineCommand({
    summary: "a portfolio-date's positions with their marks and provenance",
    input: z.object({ portfolioId: z.string().min(1), date: calendarDateSchema, includeIncomplete: z.boolean().default(false) }),
    output: z.object({ portfolioId: z.string(), date: isoDateSchema, snapshot: snapshotRowSchema.nullable(), marks: z.array(markRowSchema) }),
    mutates: false,
  }),
  getAnalytics: defineCommand({
    summary: 'factor exposures, stress results, volatility and correlations of a portfolio-date',
    input: portfolioDate,
    output: analyticsViewSchema,
    mutates: false,
  }),
  getFactorExposures: defineCommand({
    summary: "a portfolio-date's factor exposures (serve: GET /api/analytics/factors)",
    input: portfolioDate,
    output: z.object({ portfolioId: z.string(), date: isoDateSchema.nullable(), factorExposures: z.array(factorExposureSchema) }),
    mutates: false,
  }),
  getStressResults: defineCommand({
    summary: "a portfolio-date's stress test results (serve: GET /api/analytics/stress-tests)",
    input: portfolioDate,
    output: z.object({ portfolioId: z.string(), date: isoDateSchema.nullable(), stressTests: z.array(stressResultSchema) }),
    mutates: false,
  }),
  getDatabaseInfo: defineCommand({
    summary: 'the database file, its row counts per table, the gate and maintenance state, the lock holder',
    input: z.object({}).default({}),
    output: z.object({
      path: z.string(),
      name: z.string(),
      sizeBytes: z.number().int(),
      rowCounts: z.record(z.string(), z.number().int()),
      latestCompleteDate: z.string().nullable(),
      gate: z.record(z.string(), z.unknown()).nullable(),
      maintenance: z.record(z.string(), z.unknown()).nullable(),
      lock: databaseLockSchema.nullable(),
    }),
    mutates: false,
  }),
  getMaintenanceState: defineCommand({
    summary: 'whether a rebuild holds the database in maintenance (serve marks data responses "rebuilding": true)',
    input: z.object({}).default({}),
    output: z.object({ active: z.boolean(), reason: z.string().nullable(), since: z.string().nullable() }),
    mutates: false,
  }),
  recentEvents: defineCommand({
    summary: 'the in-memory telemetry ring (last 5,000 events) and the latest run start, for rebuilding a live view after a reload',
    input: z.object({ afterSeq: z.number().int().min(0).optional(), runId: z.string().optional(), limit: z.number().int().min(1).max(5000).default(5000) }).default({ limit: 5000 }),
    output: z.object({
      events: z.array(telemetryEventSchema),
      /** The latest run's run_start (of runId when given), kept after a long run has pushed it out of the ring. */
      runStart: telemetryEventSchema.nullable(),
    }),
    mutates: false,
  }),
} as const;
