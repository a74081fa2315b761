/**
 * The analytics set-up the jobs share (SPEC.md d.6-d.12), read once from the parsed reference
 * files (factors.json through FACTORS_FILE, stress-scenarios.json through STRESS_CATALOG) and
 * the run's settings. Windows are calendar days `[D − N, D]` including their 30-day buffer.
 */
import type { EwmaCorrelationConfig } from '../../calc/ewma-correlation';
import type { SpreadConfig } from '../../calc/spread-betas';
import type { StressConfig } from '../../calc/stress';
import type { StyleFactorConfig } from '../../calc/style-betas';
import type { SymbolOlsConfig } from '../../calc/symbol-ols-beta';
import { FACTORS_FILE } from '../../data/factors';
import { STRESS_CATALOG } from '../../data/stress-scenarios';
import type { EngineSettings } from '../../engine/settings';

/** Market Beta (90D) and IR Beta (d.6): name, benchmark ETF, method. */
export const OLS_SETUP: readonly { readonly name: string; readonly benchmark: string; readonly method: 'ols_market' | 'ols_ir' }[] = FACTORS_FILE.ols.factors.map((f) => ({
  name: f.name,
  benchmark: f.benchmark,
  method: f.symbol_method === 'ols_ir' ? 'ols_ir' : 'ols_market',
}));

export const OLS_CONFIG: SymbolOlsConfig = { minObservations: FACTORS_FILE.ols.min_observations, betaCap: FACTORS_FILE.ols.beta_cap };
/** [D − 120, D]. */
export const OLS_FETCH_DAYS = FACTORS_FILE.ols.fetch_days;
/** regression_window_days stored on OLS rows (90). */
export const OLS_WINDOW_DAYS = FACTORS_FILE.ols.window_days;

export const RIDGE_CONFIG: StyleFactorConfig = {
  factors: FACTORS_FILE.ridge.factors,
  alpha: FACTORS_FILE.ridge.alpha,
  minObservations: FACTORS_FILE.ridge.min_observations,
  betaCap: FACTORS_FILE.ridge.beta_cap,
};
export const RIDGE_FETCH_DAYS = FACTORS_FILE.ridge.fetch_days;
export const RIDGE_WINDOW_DAYS = FACTORS_FILE.ridge.window_days;

/** The aligned ETFs of d.8, in first-use order of the definitions (the set is what matters). */
const spreadEtfs = [...new Set(FACTORS_FILE.spreads.definitions.flatMap((d) => [d.long, d.short]))];

export const SPREAD_CONFIG: SpreadConfig = {
  definitions: FACTORS_FILE.spreads.definitions,
  alignedEtfs: spreadEtfs,
  minObservations: FACTORS_FILE.spreads.min_observations,
  betaCap: FACTORS_FILE.spreads.beta_cap,
};
export const SPREAD_FETCH_DAYS = FACTORS_FILE.spreads.fetch_days;
export const SPREAD_WINDOW_DAYS = FACTORS_FILE.spreads.window_days;

/** Provider Beta (1Y) rows (d.6): observations and window stored. */
export const PROVIDER_OBSERVATIONS = 252;
export const PROVIDER_WINDOW_DAYS = 252;

export const QUALITY_FULL_HISTORY = 'full_history';

/** Volatility (d.10): `[D − 365, D]`. */
export const VOLATILITY_WINDOW_DAYS = 365;

/** Position correlations (d.11): `[D − 90, D]` and the stored parameters. */
export const CORRELATION_SETUP = {
  durationDays: 90,
  minPositionValue: 10_000,
  minPortfolioWeight: 0.01,
  minValidCloses: 31,
  filterMode: 'both',
  correlationThreshold: 0.7,
  dataQuality: 'sufficient',
} as const;

const stress = STRESS_CATALOG.configuration;

/** Stress tests (d.12): the factor matrix window `[D − 282, D]`. */
export const STRESS_MATRIX_WINDOW_DAYS = stress.default_lookback_days + stress.lookback_buffer_days;
export const STRESS_EXPOSURE_ROWS = stress.exposure_lookup_rows;
export const STRESS_MATRIX_FACTORS: readonly { readonly name: string; readonly etf: string }[] = STRESS_CATALOG.correlation_matrix_factors;

export const EWMA_CONFIG: EwmaCorrelationConfig = {
  decay: stress.correlation_decay_factor,
  minObservations: stress.min_correlation_observations,
  minCorrelation: stress.min_factor_correlation,
  maxCorrelation: stress.max_factor_correlation,
};

/** The stress configuration with the run's settings (stress.ir_shock_mode, stress.tlt_duration) applied. */
export function stressConfig(settings: EngineSettings): StressConfig {
  return {
    rateFactor: 'Interest_Rate',
    scenarioFactorToExposure: STRESS_CATALOG.scenario_factor_to_exposure,
    exposureToMatrixFactor: STRESS_CATALOG.exposure_to_matrix_factor,
    irShockMode: settings['stress.ir_shock_mode'],
    tltDurationYears: settings['stress.tlt_duration'],
    lossFloorFraction: stress.loss_floor_fraction_of_portfolio_value,
    nonPositiveValueReplacement: stress.non_positive_portfolio_value_replacement,
    enableCrossCorrelations: stress.enable_cross_correlations,
  };
}
