/**
 * Job market_beta (SPEC.md c.10 #1, d.9): one position_market_betas row per public marked lot
 * whose symbol has a Market Beta (90D) row of D (beta, alpha, R², standard error, p-value and
 * observations copied; window 90, OLS_SIMPLE, SPY), the portfolio's Market Beta (90D) into
 * factor_exposures, and the snapshot fields beta_calculated_90d (β_p),
 * beta_calculated_90d_r_squared (|MV|-weighted R² over lots with a beta) and
 * beta_calculated_90d_observations (their minimum observations).
 */
import { marketBetaSnapshotStats } from '../../calc/factor-aggregation';
import { MARKET_BETA_FACTOR } from '../../domain/factor-names';
import type { PositionMarketBetaRow } from '../../ports/analytics-store';
import { jobSuccess, type AnalyticsJob } from './job-types';
import { aggregateRegressionFactors } from './regression-aggregation';

export const marketBetaJob: AnalyticsJob = {
  name: 'market_beta',
  run(ctx) {
    const agg = aggregateRegressionFactors(ctx, [MARKET_BETA_FACTOR]);
    if (!agg.ok) return agg.result;
    const { pd } = ctx;
    const rows: PositionMarketBetaRow[] = [];
    const fits: { marketValue: number; rSquared: number; observations: number }[] = [];
    for (const { lot, rows: symbolRows } of agg.lotsWithRows) {
      const r = symbolRows.get(MARKET_BETA_FACTOR)!;
      rows.push({
        portfolioId: pd.portfolio.id,
        positionId: lot.lot.id,
        calcDate: pd.date,
        beta: r.betaValue,
        alpha: r.alpha,
        rSquared: r.rSquared,
        stdError: r.stdError,
        pValue: r.pValue,
        observations: r.observations,
      });
      fits.push({ marketValue: lot.marketValue, rSquared: r.rSquared ?? NaN, observations: r.observations ?? 0 });
    }
    const market = agg.factors[0]!;
    const stats = marketBetaSnapshotStats(fits);
    pd.run.store.insertPositionMarketBetas(rows, ctx.nowIso);
    pd.run.store.insertFactorExposures(agg.factorRows, ctx.nowIso);
    pd.run.store.updateSnapshotAnalytics(
      pd.portfolio.id,
      pd.date,
      { betaCalculated90d: market.beta, betaCalculated90dRSquared: stats.rSquared, betaCalculated90dObservations: stats.observations },
      ctx.nowIso,
    );
    return jobSuccess({ ...agg.metrics, rows_position_market_betas: rows.length, beta: market.beta, coverage: market.coverage, r_squared: stats.rSquared, observations: stats.observations });
  },
};
