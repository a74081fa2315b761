/**
 * Job spread_factors (SPEC.md c.10 #4, d.8, d.9): position_factor_exposures rows for the four
 * spread factors (Growth-Value, Momentum, Size, Quality) and one factor_exposures row per
 * spread that at least one lot has a beta for.
 */
import { jobSuccess, type AnalyticsJob } from './job-types';
import { SPREAD_CONFIG } from './analytics-config';
import { positionFactorRows } from './position-factor-rows';
import { aggregateRegressionFactors } from './regression-aggregation';

const SPREAD_NAMES = SPREAD_CONFIG.definitions.map((d) => d.name);

export const spreadFactorsJob: AnalyticsJob = {
  name: 'spread_factors',
  run(ctx) {
    const agg = aggregateRegressionFactors(ctx, SPREAD_NAMES);
    if (!agg.ok) return agg.result;
    const { pd } = ctx;
    const rows = positionFactorRows(agg.lotsWithRows, ctx.cache.factorIds.byName, pd.date);
    pd.run.store.insertPositionFactorExposures(rows, ctx.nowIso);
    pd.run.store.insertFactorExposures(agg.factorRows, ctx.nowIso);
    return jobSuccess({ ...agg.metrics, rows_position_factor_exposures: rows.length, betas: Object.fromEntries(agg.factors.map((f) => [f.name, f.beta])) });
  },
};
