/**
 * Job ridge_factors (SPEC.md c.10 #5, d.7, d.9): position_factor_exposures rows for the six
 * ridge style factors (Value, Growth, Momentum, Quality, Size, Low Volatility) and one
 * factor_exposures row per style factor that at least one lot has a beta for.
 */
import { jobSuccess, type AnalyticsJob } from './job-types';
import { RIDGE_CONFIG } from './analytics-config';
import { positionFactorRows } from './position-factor-rows';
import { aggregateRegressionFactors } from './regression-aggregation';

const STYLE_NAMES = RIDGE_CONFIG.factors.map((f) => f.name);

export const ridgeFactorsJob: AnalyticsJob = {
  name: 'ridge_factors',
  run(ctx) {
    const agg = aggregateRegressionFactors(ctx, STYLE_NAMES);
    if (!agg.ok) return agg.result;
    const { pd } = ctx;
    const rows = positionFactorRows(agg.lotsWithRows, ctx.cache.factorIds.byName, pd.date);
    pd.run.store.insertPositionFactorExposures(rows, ctx.nowIso);
    pd.run.store.insertFactorExposures(agg.factorRows, ctx.nowIso);
    return jobSuccess({ ...agg.metrics, rows_position_factor_exposures: rows.length, betas: Object.fromEntries(agg.factors.map((f) => [f.name, f.beta])) });
  },
};
