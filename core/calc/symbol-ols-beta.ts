/**
 * Symbol-level OLS betas (SPEC.md d.6): Market Beta (90D) on SPY (`ols_market`) and IR Beta on
 * TLT (`ols_ir`). Window `[D − 120, D]` (90 days + 30-day buffer), mapped by the caller to a
 * trading-day index range.
 *
 * Regression: aligned table of [symbol, benchmark] (only these two series, d.5); simple OLS
 * of the symbol's simple returns on the benchmark's; `beta` clipped to [−5, 5]; alpha, R²,
 * standard error, p-value and observations from the unclipped fit.
 *
 * Failures: `insufficient_observations` when n < minObservations (30): no row is written and
 * the job reports it for the symbol's lots; `zero_variance` when the benchmark is flat over
 * the window. Each failure carries the observation count for job metrics.
 */
import { alignedReturns, type AlignWorkspace, type DayRange } from './align';
import { DEFAULT_BETA_CAP, clipBeta } from './beta-cap';
import { olsSimple, type OlsFailureReason } from './ols';
import type { CalcFailure } from './outcome';

export interface SymbolOlsConfig {
  /** factors.json ols.min_observations (30). */
  readonly minObservations: number;
  /** factors.json ols.beta_cap (5). */
  readonly betaCap: number;
}

export const DEFAULT_SYMBOL_OLS_CONFIG: SymbolOlsConfig = { minObservations: 30, betaCap: DEFAULT_BETA_CAP };

export interface SymbolOlsBeta {
  readonly ok: true;
  /** Clipped beta, as stored in beta_value. */
  readonly beta: number;
  readonly betaUnclipped: number;
  readonly alpha: number;
  readonly rSquared: number;
  readonly stdError: number;
  readonly pValue: number;
  readonly observations: number;
}

export type SymbolOlsFailure = CalcFailure<OlsFailureReason> & { readonly observations: number };
export type SymbolOlsResult = SymbolOlsBeta | SymbolOlsFailure;

/**
 * OLS beta of `symbolPrices` on `benchmarkPrices` over `range` (SPEC.md d.6). Both are price
 * series indexed by trading day (NaN or ≤ 0 = no valid close). `workspace` is optional
 * scratch space for the alignment (see align.ts).
 */
export function symbolOlsBeta(
  symbolPrices: ArrayLike<number>,
  benchmarkPrices: ArrayLike<number>,
  range: DayRange,
  config: SymbolOlsConfig = DEFAULT_SYMBOL_OLS_CONFIG,
  workspace?: AlignWorkspace,
): SymbolOlsResult {
  const table = alignedReturns([symbolPrices, benchmarkPrices], range, 'simple', workspace);
  const n = table.observations;
  if (n < config.minObservations || n < 3) return { ok: false, reason: 'insufficient_observations', observations: n };
  // xScale 1: returns are rounded at the scale of the price ratio (see olsSimple).
  const fit = olsSimple(table.columns[1]!, table.columns[0]!, n, 1);
  if (!fit.ok) return { ok: false, reason: fit.reason, observations: n };
  return {
    ok: true,
    beta: clipBeta(fit.beta, config.betaCap),
    betaUnclipped: fit.beta,
    alpha: fit.alpha,
    rSquared: fit.rSquared,
    stdError: fit.stdError,
    pValue: fit.pValue,
    observations: n,
  };
}
