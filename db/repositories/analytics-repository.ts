/**
 * Analytics rows (SPEC.md b.3, c.10, g.8). Row ids are derived from each table's natural
 * key, so two runs that compute the same numbers write identical rows (m.12).
 */
import type { IsoDate } from '../../core/domain/iso-date';
import type { AnalyticsStore, SnapshotAnalyticsFields, SymbolExposureRow } from '../../core/ports/analytics-store';
import { datedRowId, datedRowIds } from '../ids';
import type { SqliteDatabase } from '../open-database';
import { statementCache } from '../statement-cache';
import {
  correlationCalculations,
  factorExposures,
  pairwiseCorrelations,
  positionFactorExposures,
  positionInterestRateBetas,
  positionMarketBetas,
  positionVolatility,
  stressTestResults,
  symbolFactorExposures,
} from '../schema';
import { prepareInsert } from '../typed-insert';
import { inList } from '../sql-lists';

const SNAPSHOT_ANALYTICS_COLUMNS: Record<keyof SnapshotAnalyticsFields, string> = {
  realizedVolatility21d: 'realized_volatility_21d',
  realizedVolatility63d: 'realized_volatility_63d',
  expectedVolatility21d: 'expected_volatility_21d',
  volatilityTrend: 'volatility_trend',
  volatilityPercentile: 'volatility_percentile',
  betaCalculated90d: 'beta_calculated_90d',
  betaCalculated90dRSquared: 'beta_calculated_90d_r_squared',
  betaCalculated90dObservations: 'beta_calculated_90d_observations',
  betaProvider1y: 'beta_provider_1y',
  sectorExposure: 'sector_exposure',
  hhi: 'hhi',
  effectiveNumPositions: 'effective_num_positions',
  top3Concentration: 'top_3_concentration',
  top10Concentration: 'top_10_concentration',
};

export function analyticsRepository(db: SqliteDatabase): AnalyticsStore {
  const sql = statementCache(db);
  const insSymbol = prepareInsert(db, symbolFactorExposures);
  const insFactor = prepareInsert(db, factorExposures);
  const insPosFactor = prepareInsert(db, positionFactorExposures);
  const insBeta = prepareInsert(db, positionMarketBetas);
  const insIr = prepareInsert(db, positionInterestRateBetas);
  const insVol = prepareInsert(db, positionVolatility);
  const insCorr = prepareInsert(db, correlationCalculations);
  const insPair = prepareInsert(db, pairwiseCorrelations);
  const insStress = prepareInsert(db, stressTestResults);
  const nullAnalytics = `UPDATE portfolio_snapshots SET ${Object.values(SNAPSHOT_ANALYTICS_COLUMNS)
    .map((c) => `${c} = NULL`)
    .join(', ')}, analytics_computed_at = NULL WHERE portfolio_id = ? AND snapshot_date = ?`;
  const clearStatements = [
    sql(`DELETE FROM factor_exposures WHERE portfolio_id = ? AND calculation_date = ?`),
    sql(`DELETE FROM position_market_betas WHERE portfolio_id = ? AND calc_date = ?`),
    sql(`DELETE FROM position_interest_rate_betas WHERE portfolio_id = ? AND calculation_date = ?`),
    sql(`DELETE FROM pairwise_correlations WHERE correlation_calculation_id IN (SELECT id FROM correlation_calculations WHERE portfolio_id = ? AND calculation_date = ?)`),
    sql(`DELETE FROM correlation_calculations WHERE portfolio_id = ? AND calculation_date = ?`),
    sql(`DELETE FROM stress_test_results WHERE portfolio_id = ? AND calculation_date = ?`),
    sql(nullAnalytics),
  ];
  return {
    replaceSymbolExposures(date, symbols, rows, nowIso) {
      if (symbols.length) sql(`DELETE FROM symbol_factor_exposures WHERE calculation_date = ? AND symbol IN (${inList(symbols)})`).run(date, ...symbols);
      const idOf = datedRowIds(date, 'symbol_factor_exposures:');
      insSymbol.many(rows.map((r) => ({ id: idOf(`${r.symbol}:${r.factorId}:${date}`), ...r, createdAt: nowIso })));
    },
    loadSymbolExposures(date) {
      return (sql(`SELECT * FROM symbol_factor_exposures WHERE calculation_date = ?`).all(date) as Record<string, unknown>[]).map(
        (r): SymbolExposureRow => ({
          symbol: r['symbol'] as string,
          factorId: r['factor_id'] as string,
          calculationDate: r['calculation_date'] as IsoDate,
          betaValue: r['beta_value'] as number,
          rSquared: (r['r_squared'] as number | null) ?? null,
          observations: (r['observations'] as number | null) ?? null,
          qualityFlag: (r['quality_flag'] as string | null) ?? null,
          calculationMethod: r['calculation_method'] as SymbolExposureRow['calculationMethod'],
          regularizationAlpha: (r['regularization_alpha'] as number | null) ?? null,
          regressionWindowDays: (r['regression_window_days'] as number | null) ?? null,
          alpha: (r['alpha'] as number | null) ?? null,
          stdError: (r['std_error'] as number | null) ?? null,
          pValue: (r['p_value'] as number | null) ?? null,
        }),
      );
    },
    latestMarketBetaBefore(symbol, date, marketFactorId) {
      const r = sql(`SELECT beta_value FROM symbol_factor_exposures WHERE symbol = ? AND factor_id = ? AND calculation_date < ? ORDER BY calculation_date DESC LIMIT 1`).get(symbol, marketFactorId, date) as { beta_value: number } | undefined;
      return r?.beta_value ?? null;
    },
    clearPortfolioAnalytics(portfolioId, date, lotIds) {
      for (const s of clearStatements) s.run(portfolioId, date);
      if (lotIds.length) {
        sql(`DELETE FROM position_factor_exposures WHERE calculation_date = ? AND position_id IN (${inList(lotIds)})`).run(date, ...lotIds);
        sql(`DELETE FROM position_volatility WHERE calculation_date = ? AND position_id IN (${inList(lotIds)})`).run(date, ...lotIds);
      }
    },
    insertFactorExposures(rows, nowIso) {
      insFactor.many(rows.map((r) => ({ id: datedRowId(r.calculationDate, `factor_exposures:${r.portfolioId}:${r.factorId}:${r.calculationDate}`), ...r, createdAt: nowIso, updatedAt: nowIso })));
    },
    insertPositionFactorExposures(rows, nowIso) {
      insPosFactor.many(rows.map((r) => ({ id: datedRowId(r.calculationDate, `position_factor_exposures:${r.positionId}:${r.factorId}:${r.calculationDate}`), ...r, createdAt: nowIso })));
    },
    insertPositionMarketBetas(rows, nowIso) {
      insBeta.many(
        rows.map((r) => ({ id: datedRowId(r.calcDate, `position_market_betas:${r.portfolioId}:${r.positionId}:${r.calcDate}`), ...r, windowDays: 90, method: 'OLS_SIMPLE', marketIndex: 'SPY', createdAt: nowIso, updatedAt: nowIso })),
      );
    },
    insertPositionIrBetas(rows, nowIso) {
      insIr.many(rows.map((r) => ({ id: datedRowId(r.calculationDate, `position_interest_rate_betas:${r.positionId}:${r.calculationDate}`), ...r, createdAt: nowIso })));
    },
    insertPositionVolatility(rows, nowIso) {
      insVol.many(rows.map((r) => ({ id: datedRowId(r.calculationDate, `position_volatility:${r.positionId}:${r.calculationDate}`), ...r, createdAt: nowIso, updatedAt: nowIso })));
    },
    insertCorrelation(row, pairs, nowIso) {
      const id = datedRowId(row.calculationDate, `correlation_calculations:${row.portfolioId}:${row.durationDays}:${row.calculationDate}`);
      insCorr({ id, ...row, correlationConcentrationScore: 0, createdAt: nowIso });
      const pairIdOf = datedRowIds(row.calculationDate, `pairwise_correlations:${id}:`);
      insPair.many(pairs.map((p) => ({ id: pairIdOf(`${p.symbol1}:${p.symbol2}`), correlationCalculationId: id, ...p })));
    },
    insertStressResults(rows, nowIso) {
      insStress.many(
        rows.map((r) => ({
          id: datedRowId(r.calculationDate, `stress_test_results:${r.portfolioId}:${r.scenarioRowId}:${r.calculationDate}`),
          portfolioId: r.portfolioId,
          scenarioId: r.scenarioRowId,
          calculationDate: r.calculationDate,
          directPnl: r.directPnl,
          correlatedPnl: r.correlatedPnl,
          correlationEffect: r.correlationEffect,
          factorImpacts: JSON.stringify(r.factorImpacts),
          calculationMetadata: JSON.stringify(r.calculationMetadata),
          createdAt: nowIso,
        })),
      );
    },
    updateSnapshotAnalytics(portfolioId, date, fields, nowIso) {
      const keys = Object.keys(fields) as (keyof SnapshotAnalyticsFields)[];
      const sets = keys.map((k) => `${SNAPSHOT_ANALYTICS_COLUMNS[k]} = ?`);
      const values = keys.map((k) => {
        const v = fields[k];
        return k === 'sectorExposure' && v !== null && v !== undefined ? JSON.stringify(v) : (v ?? null);
      });
      sql(`UPDATE portfolio_snapshots SET ${[...sets, 'analytics_computed_at = ?'].join(', ')} WHERE portfolio_id = ? AND snapshot_date = ?`).run(
        ...values,
        nowIso,
        portfolioId,
        date,
      );
    },
    recentFactorExposures(portfolioId, date, limit) {
      return (
        sql(`SELECT factor_id, calculation_date, exposure_value, exposure_dollar FROM factor_exposures WHERE portfolio_id = ? AND calculation_date <= ? ORDER BY calculation_date DESC, factor_id LIMIT ?`).all(portfolioId, date, limit) as { factor_id: string; calculation_date: IsoDate; exposure_value: number; exposure_dollar: number | null }[]
      ).map((r) => ({ factorId: r.factor_id, calculationDate: r.calculation_date, exposureValue: r.exposure_value, exposureDollar: r.exposure_dollar }));
    },
  };
}
