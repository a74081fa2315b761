/**
 * The shape shared by the spread_factors and ridge_factors jobs (SPEC.md d.9): aggregate the
 * symbol regressions of a set of factors, then write one position_factor_exposures row per
 * (public marked lot, factor) whose symbol has that factor's row of D, carrying the symbol's
 * beta and quality flag, and one factor_exposures row per factor at least one lot has a beta
 * for.
 */
import type { IsoDate } from '../../domain/iso-date';
import type { PositionFactorExposureRow } from '../../ports/analytics-store';
import { jobSuccess, type AnalyticsJob, type JobName } from './job-types';
import { aggregateRegressionFactors, type LotBetas } from './regression-aggregation';

export function factorModelJob(name: JobName, factorNames: readonly string[]): AnalyticsJob {
  return {
    name,
    run(ctx) {
      const agg = aggregateRegressionFactors(ctx, factorNames);
      if (!agg.ok) return agg.result;
      const { pd } = ctx;
      const rows = positionFactorRows(agg.lotsWithRows, ctx.cache.factorIds.byName, pd.date);
      pd.run.store.insertPositionFactorExposures(rows, ctx.nowIso);
      pd.run.store.insertFactorExposures(agg.factorRows, ctx.nowIso);
      return jobSuccess({ ...agg.metrics, rows_position_factor_exposures: rows.length, betas: Object.fromEntries(agg.factors.map((f) => [f.name, f.beta])) });
    },
  };
}

function positionFactorRows(lots: readonly LotBetas[], factorIds: ReadonlyMap<string, string>, date: IsoDate): PositionFactorExposureRow[] {
  const out: PositionFactorExposureRow[] = [];
  for (const { lot, rows } of lots) {
    for (const [name, r] of rows) {
      const factorId = factorIds.get(name);
      if (factorId === undefined) continue;
      out.push({ positionId: lot.lot.id, factorId, calculationDate: date, exposureValue: r.betaValue, qualityFlag: r.qualityFlag });
    }
  }
  return out;
}
