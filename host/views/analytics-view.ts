/**
 * Analytics of one portfolio-date (SPEC.md b.3, d.9-d.13): factor exposures, stress results,
 * position volatility, correlations, sector exposure and the job outcomes from tracking.
 * `factorExposuresFor` and `stressResultsFor` are also the queries behind `serve`'s
 * GET /api/analytics/factors and /stress-tests (SPEC.md k.2, i.8 `verify views`).
 */
import { z } from 'zod';
import type { AnalyticsView, Correlation, FactorExposure, StressResult } from '../../core/api/commands/view-commands';
import type { SqliteDatabase } from '../../db/open-database';
import { includeFlag, visibleDateSql } from './completeness';
import { parseJsonColumn } from './json-column';
import { latestSnapshotDate, snapshotOn } from './snapshots-view';

type Db = Record<string, string | number | null>;
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

export function factorExposuresFor(db: SqliteDatabase, portfolioId: string, date: string, includeIncomplete = false): FactorExposure[] {
  const rows = db
    .prepare(
      `SELECT x.factor_id, f.name, f.factor_type, x.exposure_value, x.exposure_dollar, x.coverage
       FROM factor_exposures x JOIN factor_definitions f ON f.id = x.factor_id
       WHERE x.portfolio_id = ? AND x.calculation_date = ? AND ${visibleDateSql('x.calculation_date')}
       ORDER BY coalesce(f.display_order, 999), f.name`,
    )
    .all(portfolioId, date, includeFlag(includeIncomplete)) as Db[];
  return rows.map((r) => ({
    factorId: r['factor_id'] as string,
    name: r['name'] as string,
    factorType: (r['factor_type'] as string | null) ?? null,
    exposureValue: r['exposure_value'] as number,
    exposureDollar: num(r['exposure_dollar']),
    coverage: num(r['coverage']),
  }));
}

export function stressResultsFor(db: SqliteDatabase, portfolioId: string, date: string, includeIncomplete = false): StressResult[] {
  const rows = db
    .prepare(
      `SELECT x.scenario_id, sc.scenario_id AS scenario_key, sc.name, sc.category, sc.severity, x.direct_pnl, x.correlated_pnl,
              x.correlation_effect, x.factor_impacts
       FROM stress_test_results x JOIN stress_test_scenarios sc ON sc.id = x.scenario_id
       WHERE x.portfolio_id = ? AND x.calculation_date = ? AND ${visibleDateSql('x.calculation_date')}
       ORDER BY coalesce(x.correlated_pnl, x.direct_pnl, 0), sc.name`,
    )
    .all(portfolioId, date, includeFlag(includeIncomplete)) as Db[];
  return rows.map((r) => ({
    scenarioId: r['scenario_id'] as string,
    scenarioKey: r['scenario_key'] as string,
    name: r['name'] as string,
    category: (r['category'] as string | null) ?? null,
    severity: (r['severity'] as string | null) ?? null,
    directPnl: num(r['direct_pnl']),
    correlatedPnl: num(r['correlated_pnl']),
    correlationEffect: num(r['correlation_effect']),
    factorImpacts: parseJsonColumn(r['factor_impacts'], z.unknown()),
  }));
}

function positionVolatility(db: SqliteDatabase, portfolioId: string, date: string): AnalyticsView['positionVolatility'] {
  const rows = db
    .prepare(
      `SELECT x.position_id, p.symbol, x.realized_vol_21d, x.realized_vol_63d, x.expected_vol_21d, x.vol_trend, x.vol_percentile, x.observations
       FROM position_volatility x JOIN positions p ON p.id = x.position_id
       WHERE p.portfolio_id = ? AND x.calculation_date = ? ORDER BY p.symbol`,
    )
    .all(portfolioId, date) as Db[];
  return rows.map((r) => ({
    positionId: r['position_id'] as string,
    symbol: r['symbol'] as string,
    realizedVol21d: num(r['realized_vol_21d']),
    realizedVol63d: num(r['realized_vol_63d']),
    expectedVol21d: num(r['expected_vol_21d']),
    volTrend: (r['vol_trend'] as string | null) ?? null,
    volPercentile: num(r['vol_percentile']),
    observations: (r['observations'] as number | null) ?? null,
  }));
}

function correlations(db: SqliteDatabase, portfolioId: string, date: string): Correlation[] {
  const calcs = db
    .prepare(
      `SELECT id, duration_days, overall_correlation, correlation_concentration_score, effective_positions, data_quality, positions_included, positions_excluded
       FROM correlation_calculations WHERE portfolio_id = ? AND calculation_date = ? ORDER BY duration_days`,
    )
    .all(portfolioId, date) as Db[];
  const pairs = db.prepare(`SELECT symbol_1, symbol_2, correlation_value, data_points FROM pairwise_correlations WHERE correlation_calculation_id = ? ORDER BY symbol_1, symbol_2`);
  return calcs.map((c) => ({
    durationDays: c['duration_days'] as number,
    overallCorrelation: num(c['overall_correlation']),
    concentrationScore: num(c['correlation_concentration_score']),
    effectivePositions: num(c['effective_positions']),
    dataQuality: (c['data_quality'] as string | null) ?? null,
    positionsIncluded: (c['positions_included'] as number | null) ?? null,
    positionsExcluded: (c['positions_excluded'] as number | null) ?? null,
    pairs: (pairs.all(c['id']) as Db[]).map((p) => ({
      symbol1: p['symbol_1'] as string,
      symbol2: p['symbol_2'] as string,
      value: p['correlation_value'] as number,
      dataPoints: (p['data_points'] as number | null) ?? null,
    })),
  }));
}

const jobsJson = z.record(z.string(), z.object({ success: z.boolean(), reason: z.string().nullable(), metrics: z.record(z.string(), z.unknown()).default({}) }));

function jobOutcomes(db: SqliteDatabase, portfolioId: string, date: string): AnalyticsView['jobs'] {
  const r = db.prepare(`SELECT metadata FROM batch_run_tracking WHERE run_date = ? AND completed_at IS NOT NULL`).get(date) as { metadata: string | null } | undefined;
  const meta = parseJsonColumn(r?.metadata, z.object({ portfolios: z.record(z.string(), z.unknown()) }).loose());
  const an = z.object({ analytics: z.object({ jobs: jobsJson }).loose() }).loose().safeParse(meta?.portfolios[portfolioId]);
  return an.success ? an.data.analytics.jobs : {};
}

export function analyticsView(db: SqliteDatabase, portfolioId: string, requested: string | undefined): AnalyticsView {
  const date = requested ?? latestSnapshotDate(db, portfolioId);
  if (!date) return { portfolioId, date: null, snapshot: null, factorExposures: [], stressTests: [], positionVolatility: [], correlations: [], sectorExposure: null, jobs: {} };
  const snapshot = snapshotOn(db, portfolioId, date, false);
  const sector = db
    .prepare(`SELECT s.sector_exposure FROM portfolio_snapshots s WHERE s.portfolio_id = ? AND s.snapshot_date = ? AND ${visibleDateSql('s.snapshot_date')}`)
    .get(portfolioId, date, 0) as { sector_exposure: string | null } | undefined;
  const visible = snapshot !== null;
  return {
    portfolioId,
    date: date as AnalyticsView['date'],
    snapshot,
    factorExposures: factorExposuresFor(db, portfolioId, date),
    stressTests: stressResultsFor(db, portfolioId, date),
    positionVolatility: visible ? positionVolatility(db, portfolioId, date) : [],
    correlations: visible ? correlations(db, portfolioId, date) : [],
    sectorExposure: parseJsonColumn(sector?.sector_exposure, z.unknown()),
    jobs: visible ? jobOutcomes(db, portfolioId, date) : {},
  };
}
