/**
 * Job provider_beta (SPEC.md c.10 #2, d.9): the portfolio's Provider Beta (1Y).
 *
 * Lots: public marked lots of type LONG or SHORT with MV ≠ 0; none → not_applicable.
 * β_i = the profile beta when non-null and non-zero, else the symbol's ols_market beta of D,
 * else its latest ols_market beta before D. β_provider = Σ MV_i β_i / E over lots with a β
 * (providerBeta). No lot with a β → not_applicable. Writes factor_exposures Provider Beta (1Y)
 * (exposure_dollar = roundCents(β × E), coverage = Σ|MV| with a β / Σ|MV|) and the snapshot's
 * beta_provider_1y. The profile beta needs no symbol stage: when the stage failed, the OLS
 * fallbacks of D are unavailable and the job says so in its metrics.
 */
import { providerBeta, type ProviderBetaLot } from '../../calc/factor-aggregation';
import { MARKET_BETA_FACTOR, PROVIDER_BETA_FACTOR } from '../../domain/factor-names';
import { equityOf, publicMarkedLots } from './job-lots';
import { jobBenignSkip, jobFailed, jobNotApplicable, jobSuccess, type AnalyticsJob } from './job-types';

const usable = (b: number | null): b is number => b !== null && Number.isFinite(b);

export const providerBetaJob: AnalyticsJob = {
  name: 'provider_beta',
  run(ctx) {
    const { pd } = ctx;
    const { run } = pd;
    const lots = publicMarkedLots(ctx).filter((l) => (l.lot.positionType === 'LONG' || l.lot.positionType === 'SHORT') && l.marketValue !== 0 && Number.isFinite(l.marketValue));
    if (lots.length === 0) return jobNotApplicable({ positions: 0, detail: 'no_public_long_short_lots' });
    const equity = equityOf(ctx.snapshot);
    if (!(equity > 0) || !Number.isFinite(equity)) return jobBenignSkip('non_positive_equity', { positions: lots.length, equity });
    const betas = ctx.cache.symbolBetas();
    const table = betas.ok ? betas.table : null;
    const marketId = ctx.cache.factorIds.byName.get(MARKET_BETA_FACTOR) ?? null;
    const providerId = ctx.cache.factorIds.byName.get(PROVIDER_BETA_FACTOR);
    if (providerId === undefined) return jobFailed('factor_definitions_missing', { positions: lots.length, missing_factors: [PROVIDER_BETA_FACTOR] });

    let covered = 0;
    let gross = 0;
    const inputs: ProviderBetaLot[] = lots.map((l) => {
      const profile = run.profiles.get(l.lot.symbol)?.beta ?? null;
      const onDate = table?.row(l.lot.symbol, MARKET_BETA_FACTOR)?.betaValue ?? null;
      const needBefore = !(usable(profile) && profile !== 0) && !usable(onDate);
      const before = needBefore && marketId !== null ? run.store.latestMarketBetaBefore(l.lot.symbol, pd.date, marketId) : null;
      gross += Math.abs(l.marketValue);
      if ((usable(profile) && profile !== 0) || usable(onDate) || usable(before)) covered += Math.abs(l.marketValue);
      return { positionType: l.lot.positionType, marketValue: l.marketValue, profileBeta: profile, olsBetaOnDate: onDate, olsBetaBefore: before };
    });
    const r = providerBeta(inputs, equity);
    const stageNote = betas.ok ? {} : { symbol_stage_failed: betas.error };
    if (!r.ok) {
      if (r.reason === 'no_qualifying_lots') return jobNotApplicable({ positions: lots.length, detail: 'no_lot_with_beta', ...stageNote });
      return jobFailed(r.reason, { positions: lots.length, ...stageNote });
    }
    const coverage = gross > 0 ? covered / gross : null;
    run.store.insertFactorExposures([{ portfolioId: pd.portfolio.id, factorId: providerId, calculationDate: pd.date, exposureValue: r.beta, exposureDollar: r.exposureDollar, coverage }], ctx.nowIso);
    run.store.updateSnapshotAnalytics(pd.portfolio.id, pd.date, { betaProvider1y: r.beta }, ctx.nowIso);
    return jobSuccess({
      positions: lots.length,
      positions_used: r.lotsUsed,
      beta_sources: r.sources,
      rows_factor_exposures: 1,
      beta: r.beta,
      coverage,
      ...stageNote,
    });
  },
};
