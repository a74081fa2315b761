/**
 * Job correlations (SPEC.md c.10 #8, d.11): position correlations over `[D − 90, D]`.
 *
 * Candidates are the public marked lots of D valued |MV|; the portfolio value is the
 * snapshot's gross_exposure; lots below 10,000 or 1 % are dropped, then symbols with fewer
 * than 31 valid closes in the window (selectCorrelationSymbols). A zero portfolio value or
 * fewer than 2 symbols → not_applicable. Fewer than 30 aligned log-return rows → benign skip
 * `insufficient_observations` (the window has not filled). Otherwise one
 * correlation_calculations row and n² pairwise_correlations rows (self pairs included).
 */
import { selectCorrelationSymbols } from '../../calc/correlation-candidates';
import { positionCorrelations } from '../../calc/position-correlations';
import type { PairwiseRow } from '../../ports/analytics-store';
import { CORRELATION_SETUP } from './analytics-config';
import { windowRange } from './date-window';
import { publicMarkedLots } from './job-lots';
import { jobBenignSkip, jobNotApplicable, jobSuccess, type AnalyticsJob } from './job-types';

export const correlationsJob: AnalyticsJob = {
  name: 'correlations',
  run(ctx) {
    const { pd, cache } = ctx;
    const { run } = pd;
    const lots = publicMarkedLots(ctx).map((l) => ({
      lotId: l.lot.id,
      symbol: l.lot.symbol,
      investmentClass: l.lot.investmentClass,
      priceSource: l.mark.priceSource,
      marketValue: l.marketValue,
    }));
    const selection = selectCorrelationSymbols(lots, ctx.snapshot.grossExposure, (s) => cache.validCloses(s, CORRELATION_SETUP.durationDays), {
      minPositionValue: CORRELATION_SETUP.minPositionValue,
      minPortfolioWeight: CORRELATION_SETUP.minPortfolioWeight,
      minValidCloses: CORRELATION_SETUP.minValidCloses,
    });
    const selectionMetrics = {
      candidates: selection.candidates.length,
      positions_included: selection.included.length,
      positions_excluded: selection.candidates.length - selection.included.length,
      symbols: selection.symbols.length,
      ...(selection.shortHistorySymbols.length ? { short_history: selection.shortHistorySymbols } : {}),
    };
    if (!selection.ok) return jobNotApplicable({ ...selectionMetrics, detail: selection.reason });

    const series = selection.symbols.map((s) => run.prices.seriesOf(s)!);
    const range = windowRange(run.prices, pd.date, CORRELATION_SETUP.durationDays);
    const c = positionCorrelations(selection.symbols, series, range, CORRELATION_SETUP.durationDays);
    if (!c.ok) {
      if (c.reason === 'too_few_symbols') return jobNotApplicable({ ...selectionMetrics, detail: c.reason });
      return jobBenignSkip(c.reason, { ...selectionMetrics, observations: c.observations });
    }
    const pairs: PairwiseRow[] = c.pairs.map((p) => ({
      symbol1: p.symbolA,
      symbol2: p.symbolB,
      correlationValue: p.correlation,
      dataPoints: p.dataPoints,
      statisticalSignificance: p.significance ?? 0,
    }));
    run.store.insertCorrelation(
      {
        portfolioId: pd.portfolio.id,
        durationDays: CORRELATION_SETUP.durationDays,
        calculationDate: pd.date,
        overallCorrelation: c.overallCorrelation,
        effectivePositions: c.effectivePositions,
        dataQuality: CORRELATION_SETUP.dataQuality,
        minPositionValue: CORRELATION_SETUP.minPositionValue,
        minPortfolioWeight: CORRELATION_SETUP.minPortfolioWeight,
        filterMode: CORRELATION_SETUP.filterMode,
        correlationThreshold: CORRELATION_SETUP.correlationThreshold,
        positionsIncluded: selection.included.length,
        positionsExcluded: selection.candidates.length - selection.included.length,
      },
      pairs,
      ctx.nowIso,
    );
    return jobSuccess({
      ...selectionMetrics,
      observations: c.observations,
      rows_correlation_calculations: 1,
      rows_pairwise_correlations: pairs.length,
      overall_correlation: c.overallCorrelation,
      effective_positions: c.effectivePositions,
      repaired: c.repaired,
      ...(c.zeroVarianceSymbols.length ? { zero_variance_symbols: c.zeroVarianceSymbols } : {}),
    });
  },
};
