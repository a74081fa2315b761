/**
 * Spread factor betas (SPEC.md d.8): Growth-Value (VUG − VTV), Momentum (MTUM − SPY),
 * Size (IWM − SPY) and Quality (QUAL − SPY) spreads. Window `[D − 210, D]` (180 days + 30-day
 * buffer), mapped by the caller to a trading-day index range.
 *
 * 1. Aligned table of [symbol, ...alignedEtfs] (d.8: VUG, VTV, MTUM, QUAL, IWM, SPY);
 *    require n ≥ minObservations (60).
 * 2. For each definition, simple OLS with intercept of the symbol's returns on
 *    r_long − r_short. Each beta is clipped to [−5, 5]. A regression with zero variance fails
 *    alone (its entry has ok: false).
 * 3. `rSquared` = mean R² of the successful regressions (the same value on each stored row).
 *
 * Failures of the whole call: `insufficient_observations` (n < minimum), or `zero_variance`
 * when no regression succeeds. Definitions and the ETF list come from factors.json through
 * the engine; this file reads nothing.
 */
import { alignedReturns, type AlignWorkspace, type DayRange } from './align';
import { clipBeta } from './beta-cap';
import { olsSimple, type OlsFailureReason } from './ols';
import type { CalcFailure } from './outcome';

export interface SpreadDefinition {
  readonly name: string;
  readonly long: string;
  readonly short: string;
}

export interface SpreadConfig {
  readonly definitions: readonly SpreadDefinition[];
  /** The ETFs of the aligned table, in order (factors.json spreads.aligned_etfs). */
  readonly alignedEtfs: readonly string[];
  /** factors.json spreads.min_observations (60). */
  readonly minObservations: number;
  /** factors.json spreads.beta_cap (5). */
  readonly betaCap: number;
}

export type SpreadFactorBeta =
  | {
      readonly name: string;
      readonly ok: true;
      readonly beta: number;
      readonly betaUnclipped: number;
      readonly rSquared: number;
      readonly pValue: number;
    }
  | { readonly name: string; readonly ok: false; readonly reason: OlsFailureReason };

export interface SpreadBetas {
  readonly ok: true;
  readonly observations: number;
  /** Mean R² of the successful regressions. */
  readonly rSquared: number;
  /** One entry per definition, in definition order. */
  readonly factors: readonly SpreadFactorBeta[];
}

export type SpreadBetasResult =
  | SpreadBetas
  | (CalcFailure<'insufficient_observations' | 'zero_variance'> & { readonly observations: number });

/**
 * Spread betas of one symbol (SPEC.md d.8). `etfPrices` maps every ETF named in the config to
 * its price series (same indexing as `symbolPrices`); a missing ETF is a programming error.
 */
export function spreadBetas(
  symbolPrices: ArrayLike<number>,
  etfPrices: Readonly<Record<string, ArrayLike<number>>>,
  range: DayRange,
  config: SpreadConfig,
  workspace?: AlignWorkspace,
): SpreadBetasResult {
  const series: ArrayLike<number>[] = [symbolPrices];
  const column = new Map<string, number>();
  for (const etf of config.alignedEtfs) {
    const s = etfPrices[etf];
    if (s === undefined) throw new RangeError(`spreadBetas: no price series for ${etf}`);
    column.set(etf, series.length);
    series.push(s);
  }
  for (const d of config.definitions) {
    if (!column.has(d.long) || !column.has(d.short)) {
      throw new RangeError(`spreadBetas: ${d.name} uses an ETF outside alignedEtfs`);
    }
  }
  const table = alignedReturns(series, range, 'simple', workspace);
  const n = table.observations;
  if (n < config.minObservations || n < 3) return { ok: false, reason: 'insufficient_observations', observations: n };

  const y = table.columns[0]!;
  const spread = new Float64Array(n);
  const factors: SpreadFactorBeta[] = [];
  let r2Sum = 0;
  let successes = 0;
  for (const d of config.definitions) {
    const long = table.columns[column.get(d.long)!]!;
    const short = table.columns[column.get(d.short)!]!;
    let scale = 1;
    for (let i = 0; i < n; i++) {
      spread[i] = long[i]! - short[i]!;
      const m = 1 + Math.max(Math.abs(long[i]!), Math.abs(short[i]!));
      if (m > scale) scale = m;
    }
    // Two identical return series leave a spread of pure rounding noise (~1e−16, the rounding of
    // p_t / p_(t−1) near 1): olsSimple's xScale makes it fail as zero_variance.
    const fit = olsSimple(spread, y, n, scale);
    if (!fit.ok) {
      factors.push({ name: d.name, ok: false, reason: fit.reason });
      continue;
    }
    factors.push({
      name: d.name,
      ok: true,
      beta: clipBeta(fit.beta, config.betaCap),
      betaUnclipped: fit.beta,
      rSquared: fit.rSquared,
      pValue: fit.pValue,
    });
    r2Sum += fit.rSquared;
    successes++;
  }
  if (successes === 0) return { ok: false, reason: 'zero_variance', observations: n };
  return { ok: true, observations: n, rSquared: r2Sum / successes, factors };
}
