import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { checkIn, checkJson } from './columns';
import { portfolios, positions } from './portfolios';
import { factorDefinitions, stressTestScenarios } from './reference';

/**
 * Physical design of the derived tables: every unique key of SPEC.md b.3 is declared with the
 * processed date first. The constraint is the same set of columns; the order makes a
 * backfill append each date's rows at the end of the index (instead of scattering them across
 * it), lets the date index the spec lists be this same index, and serves the per-portfolio-date
 * deletes and date-range purges directly.
 */

/** symbol_factor_exposures (derived, date level; SPEC.md b.3, d.6-d.8). */
export const symbolFactorExposures = sqliteTable(
  'symbol_factor_exposures',
  {
    id: text('id').primaryKey(),
    symbol: text('symbol').notNull(),
    factorId: text('factor_id').notNull().references(() => factorDefinitions.id),
    calculationDate: text('calculation_date').notNull(),
    betaValue: real('beta_value').notNull(),
    rSquared: real('r_squared'),
    observations: integer('observations'),
    qualityFlag: text('quality_flag'),
    calculationMethod: text('calculation_method'),
    regularizationAlpha: real('regularization_alpha'),
    regressionWindowDays: integer('regression_window_days'),
    alpha: real('alpha'),
    stdError: real('std_error'),
    pValue: real('p_value'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('symbol_factor_exposures_uq').on(t.calculationDate, t.symbol, t.factorId),
    checkIn('symbol_factor_exposures_method_in', t.calculationMethod, [
      'ridge_regression', 'spread_regression', 'ols_market', 'ols_ir', 'provider',
    ]),
  ],
);

/** factor_exposures (derived, portfolio level; SPEC.md b.3, d.9). */
export const factorExposures = sqliteTable(
  'factor_exposures',
  {
    id: text('id').primaryKey(),
    portfolioId: text('portfolio_id').notNull().references(() => portfolios.id),
    factorId: text('factor_id').notNull().references(() => factorDefinitions.id),
    calculationDate: text('calculation_date').notNull(),
    exposureValue: real('exposure_value').notNull(),
    exposureDollar: real('exposure_dollar'),
    coverage: real('coverage'),
    createdAt: text('created_at'),
    updatedAt: text('updated_at'),
  },
  (t) => [
    uniqueIndex('factor_exposures_uq').on(t.calculationDate, t.portfolioId, t.factorId),
    index('factor_exposures_portfolio_date_idx').on(t.portfolioId, t.calculationDate),
  ],
);

/** position_factor_exposures (derived; SPEC.md b.3, d.9). */
export const positionFactorExposures = sqliteTable(
  'position_factor_exposures',
  {
    id: text('id').primaryKey(),
    positionId: text('position_id').notNull().references(() => positions.id),
    factorId: text('factor_id').notNull().references(() => factorDefinitions.id),
    calculationDate: text('calculation_date').notNull(),
    exposureValue: real('exposure_value').notNull(),
    qualityFlag: text('quality_flag'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('position_factor_exposures_uq').on(t.calculationDate, t.positionId, t.factorId),
  ],
);

/** position_market_betas (derived; SPEC.md b.3, d.9). */
export const positionMarketBetas = sqliteTable(
  'position_market_betas',
  {
    id: text('id').primaryKey(),
    portfolioId: text('portfolio_id').notNull().references(() => portfolios.id),
    positionId: text('position_id').notNull().references(() => positions.id),
    calcDate: text('calc_date').notNull(),
    beta: real('beta').notNull(),
    alpha: real('alpha'),
    rSquared: real('r_squared'),
    stdError: real('std_error'),
    pValue: real('p_value'),
    observations: integer('observations'),
    windowDays: integer('window_days').notNull().default(90),
    method: text('method').notNull().default('OLS_SIMPLE'),
    marketIndex: text('market_index').notNull().default('SPY'),
    createdAt: text('created_at'),
    updatedAt: text('updated_at'),
  },
  (t) => [
    uniqueIndex('position_market_betas_uq').on(t.calcDate, t.portfolioId, t.positionId, t.method, t.windowDays),
  ],
);

/** position_interest_rate_betas (derived; SPEC.md b.3, d.9). */
export const positionInterestRateBetas = sqliteTable(
  'position_interest_rate_betas',
  {
    id: text('id').primaryKey(),
    portfolioId: text('portfolio_id').notNull().references(() => portfolios.id),
    positionId: text('position_id').notNull().references(() => positions.id),
    irBeta: real('ir_beta').notNull(),
    rSquared: real('r_squared'),
    calculationDate: text('calculation_date').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('position_interest_rate_betas_uq').on(t.calculationDate, t.positionId),
  ],
);

/** position_volatility (derived; SPEC.md b.3, d.10). */
export const positionVolatility = sqliteTable(
  'position_volatility',
  {
    id: text('id').primaryKey(),
    positionId: text('position_id').notNull().references(() => positions.id),
    calculationDate: text('calculation_date').notNull(),
    realizedVol21d: real('realized_vol_21d'),
    realizedVol63d: real('realized_vol_63d'),
    volDaily: real('vol_daily'),
    volWeekly: real('vol_weekly'),
    volMonthly: real('vol_monthly'),
    expectedVol21d: real('expected_vol_21d'),
    volTrend: text('vol_trend'),
    volTrendStrength: real('vol_trend_strength'),
    volPercentile: real('vol_percentile'),
    observations: integer('observations'),
    modelRSquared: real('model_r_squared'),
    createdAt: text('created_at'),
    updatedAt: text('updated_at'),
  },
  (t) => [
    uniqueIndex('position_volatility_uq').on(t.calculationDate, t.positionId),
    checkIn('position_volatility_trend_in', t.volTrend, ['increasing', 'decreasing', 'stable']),
  ],
);

/** correlation_calculations (derived; SPEC.md b.3, d.11). */
export const correlationCalculations = sqliteTable(
  'correlation_calculations',
  {
    id: text('id').primaryKey(),
    portfolioId: text('portfolio_id').notNull().references(() => portfolios.id),
    durationDays: integer('duration_days').notNull(),
    calculationDate: text('calculation_date').notNull(),
    overallCorrelation: real('overall_correlation'),
    correlationConcentrationScore: real('correlation_concentration_score'),
    effectivePositions: real('effective_positions'),
    dataQuality: text('data_quality'),
    minPositionValue: real('min_position_value'),
    minPortfolioWeight: real('min_portfolio_weight'),
    filterMode: text('filter_mode').default('both'),
    correlationThreshold: real('correlation_threshold').default(0.7),
    positionsIncluded: integer('positions_included'),
    positionsExcluded: integer('positions_excluded'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('correlation_calculations_uq').on(t.calculationDate, t.portfolioId, t.durationDays),
  ],
);

/** pairwise_correlations (derived; SPEC.md b.3, d.11): n^2 rows per calculation, self pairs included. */
export const pairwiseCorrelations = sqliteTable(
  'pairwise_correlations',
  {
    id: text('id').primaryKey(),
    correlationCalculationId: text('correlation_calculation_id')
      .notNull()
      .references(() => correlationCalculations.id, { onDelete: 'cascade' }),
    symbol1: text('symbol_1').notNull(),
    symbol2: text('symbol_2').notNull(),
    correlationValue: real('correlation_value').notNull(),
    dataPoints: integer('data_points'),
    statisticalSignificance: real('statistical_significance'),
  },
  (t) => [uniqueIndex('pairwise_correlations_uq').on(t.correlationCalculationId, t.symbol1, t.symbol2)],
);

/** stress_test_results (derived; SPEC.md b.3, d.12). */
export const stressTestResults = sqliteTable(
  'stress_test_results',
  {
    id: text('id').primaryKey(),
    portfolioId: text('portfolio_id').notNull().references(() => portfolios.id),
    scenarioId: text('scenario_id').notNull().references(() => stressTestScenarios.id),
    calculationDate: text('calculation_date').notNull(),
    directPnl: real('direct_pnl'),
    correlatedPnl: real('correlated_pnl'),
    correlationEffect: real('correlation_effect'),
    factorImpacts: text('factor_impacts'),
    calculationMetadata: text('calculation_metadata'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('stress_test_results_uq').on(t.calculationDate, t.portfolioId, t.scenarioId),
    index('stress_test_results_scenario_idx').on(t.scenarioId),
    checkJson('stress_test_results_factor_impacts_json', t.factorImpacts),
    checkJson('stress_test_results_metadata_json', t.calculationMetadata),
  ],
);
