/**
 * Job volatility (SPEC.md c.10 #7, d.10).
 *
 * Position level: lots active on D, except PRIVATE lots and private-looking symbols; options
 * use their underlying's prices. The metrics depend only on the symbol's series over
 * `[D − 365, D]`, so they come from the date cache (once per symbol and date, shared by every
 * lot and portfolio). One position_volatility row per lot with n ≥ 63 returns.
 *
 * Portfolio level (snapshot volatility columns): lots active on D, not private, not options;
 * w_i = MV_i / Σ MV_j (a missing mark counts as absent; with no mark at all, quantity × entry
 * price replaces MV); R_t = Σ w_i r_(i,t); the same metrics on R.
 *
 * Status: not_applicable without an eligible lot. No position row: a benign skip when every
 * lot lacks history (`insufficient_observations` before the window fills, `no_price_data`).
 * `net_value_near_zero` fails the job. A portfolio of options only gets position rows and no
 * portfolio figures (success); a portfolio series too short is a benign skip.
 */
import { portfolioVolatility, type PortfolioVolatilityLot } from '../../calc/portfolio-volatility';
import { isPrivateLookingSymbol } from '../../domain/symbols';
import type { PositionVolatilityRow } from '../../ports/analytics-store';
import { underlyingOf } from '../market-data/symbols-needed';
import { activeMarkedLots } from './job-lots';
import { jobBenignSkip, jobFailed, jobNotApplicable, jobSuccess, type AnalyticsJob } from './job-types';

export const volatilityJob: AnalyticsJob = {
  name: 'volatility',
  run(ctx) {
    const { pd, cache } = ctx;
    const active = activeMarkedLots(ctx);
    const eligible = active
      .filter((l) => l.lot.investmentClass !== 'PRIVATE')
      .map((l) => ({ ...l, priceSymbol: l.lot.investmentClass === 'OPTIONS' ? underlyingOf(l.lot) : l.lot.symbol }))
      .filter((l): l is typeof l & { priceSymbol: string } => l.priceSymbol !== null && !isPrivateLookingSymbol(l.priceSymbol));
    if (eligible.length === 0) return jobNotApplicable({ positions: 0, detail: 'no_lot_with_price_history' });

    const rows: PositionVolatilityRow[] = [];
    const failures: Record<string, number> = {};
    for (const l of eligible) {
      const v = cache.volatility(l.priceSymbol);
      if (!v.ok) {
        failures[v.reason] = (failures[v.reason] ?? 0) + 1;
        continue;
      }
      rows.push({
        positionId: l.lot.id,
        calculationDate: pd.date,
        realizedVol21d: v.realizedVol21d,
        realizedVol63d: v.realizedVol63d,
        volDaily: v.volDaily,
        volWeekly: v.volWeekly,
        volMonthly: v.volMonthly,
        expectedVol21d: v.expectedVol21d,
        volTrend: v.volTrend,
        volTrendStrength: v.volTrendStrength,
        volPercentile: v.volPercentile,
        observations: v.observations,
        modelRSquared: v.modelRSquared,
      });
    }
    const base = { positions: eligible.length, rows_position_volatility: rows.length, ...(Object.keys(failures).length ? { position_failures: failures } : {}) };
    if (rows.length === 0) {
      const reason = failures['insufficient_observations'] ? 'insufficient_observations' : 'no_price_data';
      return jobBenignSkip(reason, base);
    }

    const stockLots: PortfolioVolatilityLot[] = [];
    for (const l of eligible) {
      if (l.lot.investmentClass === 'OPTIONS') continue;
      const series = cache.returnSeries(l.priceSymbol);
      if (!series) continue;
      const missing = l.mark.priceSource === 'missing' || l.mark.price === null;
      stockLots.push({ marketValue: missing ? null : l.marketValue, costValue: l.mark.quantity * l.lot.entryPrice * l.mark.multiplier, series });
    }
    pd.run.store.insertPositionVolatility(rows, ctx.nowIso);
    if (stockLots.length === 0) return jobSuccess({ ...base, portfolio: null, portfolio_reason: 'no_positions' });
    const p = portfolioVolatility(stockLots);
    if (!p.ok) {
      if (p.reason === 'net_value_near_zero') return jobFailed(p.reason, base);
      return jobBenignSkip(p.reason, { ...base, portfolio_reason: p.reason });
    }
    pd.run.store.updateSnapshotAnalytics(
      pd.portfolio.id,
      pd.date,
      {
        realizedVolatility21d: p.realizedVol21d,
        realizedVolatility63d: p.realizedVol63d,
        expectedVolatility21d: p.expectedVol21d,
        volatilityTrend: p.volTrend,
        volatilityPercentile: p.volPercentile,
      },
      ctx.nowIso,
    );
    return jobSuccess({ ...base, portfolio_positions: stockLots.length, realized_vol_21d: p.realizedVol21d, realized_vol_63d: p.realizedVol63d, expected_vol_21d: p.expectedVol21d, observations: p.observations });
  },
};
