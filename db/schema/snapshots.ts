import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { checkBool, checkIn, checkJson } from './columns';
import { portfolios } from './portfolios';

/**
 * portfolio_snapshots (derived; SPEC.md b.3). Core columns belong to the snapshots phase;
 * the analytics columns (group portfolio_snapshots.analytics) to the analytics phase.
 */
export const portfolioSnapshots = sqliteTable(
  'portfolio_snapshots',
  {
    id: text('id').primaryKey(),
    portfolioId: text('portfolio_id').notNull().references(() => portfolios.id),
    snapshotDate: text('snapshot_date').notNull(),
    totalValue: real('total_value').notNull(),
    cashValue: real('cash_value').notNull(),
    longValue: real('long_value').notNull(),
    shortValue: real('short_value').notNull(),
    grossExposure: real('gross_exposure').notNull(),
    netExposure: real('net_exposure').notNull(),
    dailyPnl: real('daily_pnl'),
    dailyReturn: real('daily_return'),
    cumulativePnl: real('cumulative_pnl'),
    cumulativePnlRaw: real('cumulative_pnl_raw'),
    dailyRealizedPnl: real('daily_realized_pnl'),
    cumulativeRealizedPnl: real('cumulative_realized_pnl'),
    dailyCapitalFlow: real('daily_capital_flow'),
    cumulativeCapitalFlow: real('cumulative_capital_flow'),
    portfolioDelta: real('portfolio_delta'),
    portfolioGamma: real('portfolio_gamma'),
    portfolioTheta: real('portfolio_theta'),
    portfolioVega: real('portfolio_vega'),
    numPositions: integer('num_positions').notNull(),
    numLongPositions: integer('num_long_positions').notNull(),
    numShortPositions: integer('num_short_positions').notNull(),
    numUnmarkedPositions: integer('num_unmarked_positions').notNull().default(0),
    equityBalance: real('equity_balance'),
    isBaseline: integer('is_baseline').notNull().default(0),
    isComplete: integer('is_complete').notNull().default(1),
    runId: text('run_id'),
    computedAt: text('computed_at'),
    createdAt: text('created_at').notNull(),
    // group portfolio_snapshots.analytics
    realizedVolatility21d: real('realized_volatility_21d'),
    realizedVolatility63d: real('realized_volatility_63d'),
    expectedVolatility21d: real('expected_volatility_21d'),
    volatilityTrend: text('volatility_trend'),
    volatilityPercentile: real('volatility_percentile'),
    betaCalculated90d: real('beta_calculated_90d'),
    betaCalculated90dRSquared: real('beta_calculated_90d_r_squared'),
    betaCalculated90dObservations: integer('beta_calculated_90d_observations'),
    betaProvider1y: real('beta_provider_1y'),
    betaPortfolioRegression: real('beta_portfolio_regression'),
    sectorExposure: text('sector_exposure'),
    hhi: real('hhi'),
    effectiveNumPositions: real('effective_num_positions'),
    top3Concentration: real('top_3_concentration'),
    top10Concentration: real('top_10_concentration'),
    analyticsComputedAt: text('analytics_computed_at'),
  },
  (t) => [
    uniqueIndex('portfolio_snapshots_portfolio_date_uq').on(t.portfolioId, t.snapshotDate),
    index('portfolio_snapshots_date_idx').on(t.snapshotDate),
    checkBool('portfolio_snapshots_is_baseline_bool', t.isBaseline),
    checkBool('portfolio_snapshots_is_complete_bool', t.isComplete),
    checkIn('portfolio_snapshots_vol_trend_in', t.volatilityTrend, ['increasing', 'decreasing', 'stable']),
    checkJson('portfolio_snapshots_sector_exposure_json', t.sectorExposure),
  ],
);
