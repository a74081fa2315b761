/**
 * Ridge style-factor betas of one symbol (SPEC.md d.7): Value VTV, Growth VUG, Momentum MTUM,
 * Quality QUAL, Size IWM, Low Volatility USMV. Window `[D − 120, D]`, mapped by the caller to
 * a trading-day index range.
 *
 * 1. Aligned table of [symbol, VTV, VUG, MTUM, QUAL, IWM, USMV] (the config's factor order);
 *    simple returns; n returns.
 * 2. Require n ≥ minObservations (30) and n > number of factors (6).
 * 3–7. ridge.ts: population standardisation, centred y, α = 1, Cholesky, β_f = w_f / σ_f,
 *    non-finite → 0, clip to [−5, 5], in-sample R² (the same value on each of the six rows).
 *
 * Failures: `insufficient_observations` (with n), or the ridge's own reasons.
 */
import { alignedReturns, type AlignWorkspace, type DayRange } from './align';
import type { CalcFailure } from './outcome';
import { ridgeStandardized, type RidgeFailureReason } from './ridge';

export interface StyleFactorConfig {
  /** factors.json ridge.factors, in the order of the aligned table. */
  readonly factors: readonly { readonly name: string; readonly etf: string }[];
  /** ridge.alpha (1.0). */
  readonly alpha: number;
  /** ridge.min_observations (30); n > factors.length is also required. */
  readonly minObservations: number;
  readonly betaCap: number;
}

export interface StyleFactorBetas {
  readonly ok: true;
  readonly observations: number;
  readonly rSquared: number;
  /** One entry per configured factor, in config order. */
  readonly factors: readonly { readonly name: string; readonly beta: number; readonly betaUnclipped: number }[];
}

export type StyleFactorBetasResult =
  | StyleFactorBetas
  | (CalcFailure<RidgeFailureReason> & { readonly observations: number });

export function styleFactorBetas(
  symbolPrices: ArrayLike<number>,
  etfPrices: Readonly<Record<string, ArrayLike<number>>>,
  range: DayRange,
  config: StyleFactorConfig,
  workspace?: AlignWorkspace,
): StyleFactorBetasResult {
  const series: ArrayLike<number>[] = [symbolPrices];
  for (const f of config.factors) {
    const s = etfPrices[f.etf];
    if (s === undefined) throw new RangeError(`styleFactorBetas: no price series for ${f.etf}`);
    series.push(s);
  }
  const table = alignedReturns(series, range, 'simple', workspace);
  const n = table.observations;
  const p = config.factors.length;
  if (n < config.minObservations || n <= p) return { ok: false, reason: 'insufficient_observations', observations: n };
  const fit = ridgeStandardized(table.columns[0]!, table.columns.slice(1), n, {
    alpha: config.alpha,
    minObservations: config.minObservations,
    betaCap: config.betaCap,
    noiseScale: 1, // simple returns: rounded at the scale of the price ratio
  });
  if (!fit.ok) return { ok: false, reason: fit.reason, observations: n };
  return {
    ok: true,
    observations: n,
    rSquared: fit.rSquared,
    factors: config.factors.map((f, i) => ({ name: f.name, beta: fit.betas[i]!, betaUnclipped: fit.betasUnclipped[i]! })),
  };
}
