/**
 * Job stress_tests (SPEC.md c.10 #9, d.12): every active scenario (all with
 * stress.include_inactive) against the portfolio's latest factor exposures.
 *
 * - Exposures: among the portfolio's 50 most recent factor_exposures rows dated ≤ D (D's own
 *   rows were written by the earlier jobs in this transaction), the most recent per factor.
 *   None at all → benign skip `no_factor_exposures` (a portfolio without public lots, m.23).
 * - The EWMA factor correlation matrix as of D comes from the date cache (once per date).
 * - V = net exposure (1.0 when ≤ 0), E = equity; direct and correlated P&L per scenario
 *   (runStressScenario). A scenario none of whose shocked factors has an exposure is skipped
 *   and listed; when every scenario is skipped the job is a benign skip too.
 * - Rows: direct_pnl, correlated_pnl and correlation_effect rounded to cents (the effect is the
 *   difference of the rounded figures, so the stored row adds up), money inside factor_impacts
 *   and calculation_metadata rounded to cents as well.
 */
import { latestExposures, runStressScenario, scenariosToTest, stressSummary, type FactorExposureRow, type StressResult } from '../../calc/stress';
import { roundCents } from '../../domain/money';
import type { StressResultRow } from '../../ports/analytics-store';
import { STRESS_EXPOSURE_ROWS, stressConfig } from './analytics-config';
import { equityOf } from './job-lots';
import { jobBenignSkip, jobSuccess, type AnalyticsJob } from './job-types';

export const stressTestsJob: AnalyticsJob = {
  name: 'stress_tests',
  run(ctx) {
    const { pd, cache } = ctx;
    const { run } = pd;
    const names = cache.factorIds.byId;
    const recent: FactorExposureRow[] = [];
    for (const r of run.store.recentFactorExposures(pd.portfolio.id, pd.date, STRESS_EXPOSURE_ROWS)) {
      const factorName = names.get(r.factorId);
      if (factorName !== undefined) recent.push({ factorName, calculationDate: r.calculationDate, exposureValue: r.exposureValue, exposureDollar: r.exposureDollar });
    }
    const exposures = latestExposures(recent, pd.date, STRESS_EXPOSURE_ROWS);
    if (exposures.size === 0) return jobBenignSkip('no_factor_exposures', { scenarios_tested: 0, exposures: 0 });

    const config = stressConfig(run.settings);
    const matrix = cache.factorMatrix();
    const scenarios = scenariosToTest(run.scenarios, run.settings['stress.include_inactive']);
    const tested: StressResult[] = [];
    const skipped: string[] = [];
    const rows: StressResultRow[] = [];
    for (const s of scenarios) {
      const r = runStressScenario(
        { id: s.id, name: s.name, category: s.category ?? '', severity: s.severity ?? '', shocks: s.shocks },
        { netExposure: ctx.snapshot.netExposure, equity: equityOf(ctx.snapshot), exposures },
        matrix,
        config,
        pd.date,
      );
      if (!r.tested) {
        skipped.push(s.scenarioId);
        continue;
      }
      tested.push(r);
      const direct = roundCents(r.directPnl);
      const correlated = roundCents(r.correlatedPnl);
      rows.push({
        portfolioId: pd.portfolio.id,
        scenarioRowId: s.id,
        calculationDate: pd.date,
        directPnl: direct,
        correlatedPnl: correlated,
        correlationEffect: roundCents(correlated - direct),
        factorImpacts: Object.fromEntries(
          Object.entries(r.factorImpacts).map(([f, i]) => [f, { shock_pct: i.shock_pct, direct_pnl: roundCents(i.direct_pnl), exposure: i.exposure, exposure_dollar: roundCents(i.exposure_dollar) }]),
        ),
        calculationMetadata: { ...r.metadata, portfolio_value: roundCents(r.metadata.portfolio_value), equity: roundCents(r.metadata.equity) },
      });
    }
    const staleExposures = [...exposures.values()].filter((e) => e.calculationDate < pd.date).map((e) => e.factorName);
    const base = {
      scenarios_tested: tested.length,
      scenarios_saved: rows.length,
      scenarios_skipped: skipped,
      exposures: exposures.size,
      data_days: matrix.observations,
      ...(staleExposures.length ? { exposures_before_date: staleExposures } : {}),
    };
    if (rows.length === 0) return jobBenignSkip('no_factor_exposures', base);
    run.store.insertStressResults(rows, ctx.nowIso);
    const summary = stressSummary(tested)!;
    return jobSuccess({
      ...base,
      worst_correlated_pnl: roundCents(summary.worstCorrelatedPnl),
      best_correlated_pnl: roundCents(summary.bestCorrelatedPnl),
      mean_correlated_pnl: roundCents(summary.meanCorrelatedPnl),
      median_correlated_pnl: roundCents(summary.medianCorrelatedPnl),
      std_correlated_pnl: summary.stdCorrelatedPnl === null ? null : roundCents(summary.stdCorrelatedPnl),
      mean_correlation_effect: roundCents(summary.meanCorrelationEffect),
      negative_scenarios: summary.negativeScenarios,
      positive_scenarios: summary.positiveScenarios,
    });
  },
};
