/**
 * Job sector_concentration (SPEC.md c.10 #6, d.13): from the lots active on D with a
 * non-missing mark (value |MV|), the snapshot's sector_exposure (bucket → weight of equity:
 * PRIVATE and OPTIONS lots 'Unclassified', ETFs 'ETFs', else the profile sector; public lots
 * with neither are left out), hhi, effective_num_positions, top_3_concentration and
 * top_10_concentration (|MV| aggregated per symbol).
 * No valued lot, or a zero gross value → not_applicable. Concentration does not depend on E;
 * the sector weights do, so with E ≤ 0 the job still writes the concentration fields and leaves
 * sector_exposure null, its reason (non_positive_equity) in the metrics.
 */
import { concentration } from '../../calc/concentration';
import { sectorExposure } from '../../calc/sector-exposure';
import { equityOf, valuedLots } from './job-lots';
import { jobNotApplicable, jobSuccess, type AnalyticsJob } from './job-types';

export const sectorConcentrationJob: AnalyticsJob = {
  name: 'sector_concentration',
  run(ctx) {
    const { pd } = ctx;
    const lots = valuedLots(ctx);
    if (lots.length === 0) return jobNotApplicable({ positions: 0, detail: 'no_valued_lots' });
    const conc = concentration(lots.map((l) => ({ symbol: l.lot.symbol, marketValue: l.marketValue })));
    if (!conc.ok) return jobNotApplicable({ positions: lots.length, detail: conc.reason });
    const equity = equityOf(ctx.snapshot);
    const sectors = sectorExposure(
      lots.map((l) => {
        const profile = pd.run.profiles.get(l.lot.symbol);
        return { investmentClass: l.lot.investmentClass, marketValue: l.marketValue, isEtf: profile?.isEtf ?? null, sector: profile?.sector ?? null };
      }),
      equity,
    );
    pd.run.store.updateSnapshotAnalytics(
      pd.portfolio.id,
      pd.date,
      {
        sectorExposure: sectors.ok ? { ...sectors.exposure } : null,
        hhi: conc.hhi,
        effectiveNumPositions: conc.effectiveNumPositions,
        top3Concentration: conc.top3Concentration,
        top10Concentration: conc.top10Concentration,
      },
      ctx.nowIso,
    );
    return jobSuccess({
      positions: lots.length,
      symbols: conc.symbolCount,
      ...(sectors.ok ? { buckets: Object.keys(sectors.exposure).length, positions_left_out: sectors.leftOutLots } : { sector_exposure: null, sector_exposure_reason: sectors.reason, equity }),
      hhi: conc.hhi,
      effective_num_positions: conc.effectiveNumPositions,
      top_3_concentration: conc.top3Concentration,
    });
  },
};
