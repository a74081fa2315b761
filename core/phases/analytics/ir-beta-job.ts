/**
 * Job ir_beta (SPEC.md c.10 #3, d.9): one position_interest_rate_betas row per public marked
 * lot whose symbol has an IR Beta row of D (ir_beta, r_squared), and the portfolio's IR Beta
 * β_IR = Σ w_i β_IR,i with signed weights into factor_exposures.
 */
import { IR_BETA_FACTOR } from '../../domain/factor-names';
import type { PositionIrBetaRow } from '../../ports/analytics-store';
import { jobSuccess, type AnalyticsJob } from './job-types';
import { aggregateRegressionFactors } from './regression-aggregation';

export const irBetaJob: AnalyticsJob = {
  name: 'ir_beta',
  run(ctx) {
    const agg = aggregateRegressionFactors(ctx, [IR_BETA_FACTOR]);
    if (!agg.ok) return agg.result;
    const { pd } = ctx;
    const rows: PositionIrBetaRow[] = agg.lotsWithRows.map(({ lot, rows: symbolRows }) => {
      const r = symbolRows.get(IR_BETA_FACTOR)!;
      return { portfolioId: pd.portfolio.id, positionId: lot.lot.id, irBeta: r.betaValue, rSquared: r.rSquared, calculationDate: pd.date };
    });
    pd.run.store.insertPositionIrBetas(rows, ctx.nowIso);
    pd.run.store.insertFactorExposures(agg.factorRows, ctx.nowIso);
    const ir = agg.factors[0]!;
    return jobSuccess({ ...agg.metrics, rows_position_interest_rate_betas: rows.length, beta: ir.beta, coverage: ir.coverage });
  },
};
