/**
 * Realized volatility, HAR forecast, trend and percentile (SPEC.md d.10), for a position
 * (one symbol's returns) and for a portfolio (a weighted return series, portfolio-volatility.ts).
 *
 * Constants: 252 / 21 / 5 trading days per year / month / week; simple daily returns; sample
 * standard deviation; annualised with √252. Units: annualised volatility as a decimal.
 *
 * Position series: the valid closes of the symbol in `[D − 365, D]` (not aligned with anything),
 * returns on consecutive closes. symbolReturnSeries is the definition; over a backfill the engine
 * slices the same series, with its HAR components, from a table-wide history
 * (volatility-history.ts; a test checks the two agree exactly) and shares it across every lot of
 * the symbol (options use their underlying's series).
 *
 * With r_1 … r_n, n ≥ 63 (else `insufficient_observations`, or `no_price_data` without closes):
 *   realized_vol_21d = std(last 21) √252    realized_vol_63d = std(last 63) √252
 *   vol_daily = |r_n| √252   vol_weekly = std(last 5) √252   vol_monthly = std(last 21) √252
 *   expected_vol_21d, model_r_squared: HAR (har.ts); null with fewer than 30 training rows.
 *   Trend (n ≥ 42): the last 21 values of rv_m (≥ 10 needed), OLS on their index 0, 1, 2 …;
 *     strength = min(|R²|, 1); 'increasing' if slope > 0.001 and strength > 0.3, 'decreasing'
 *     if slope < −0.001 and strength > 0.3, else 'stable'; not computable: 'stable', 0.
 *   Percentile (n ≥ 252 and ≥ 100 rv_m values): share of rv_m values strictly below the latest.
 *   observations = n.
 */
import { alignedReturns, type DayRange } from './align';
import { sampleStd } from './descriptive-stats';
import { ANNUALISATION, HAR_MONTH, harComponents, harForecast, type HarComponents } from './har';
import { olsSimple } from './ols';
import type { CalcFailure } from './outcome';

export const VOL_MIN_OBSERVATIONS = 63;
export const TREND_MIN_OBSERVATIONS = 42;
export const TREND_WINDOW = 21;
export const TREND_MIN_VALUES = 10;
export const TREND_SLOPE_THRESHOLD = 0.001;
export const TREND_STRENGTH_THRESHOLD = 0.3;
export const PERCENTILE_MIN_OBSERVATIONS = 252;
export const PERCENTILE_MIN_VALUES = 100;

/** One symbol's returns on consecutive valid closes, with the trading day of each return. */
export interface ReturnSeries {
  /** Valid closes found in the window (0 → `no_price_data`). */
  readonly validCloses: number;
  /** r_1 … r_n in date order. */
  readonly returns: Float64Array;
  /** Trading-day index of the later close of each return (length n). */
  readonly returnDays: Int32Array;
}

/**
 * Returns on consecutive valid closes of one price series over `range` (trading-day indices
 * of `[D − 365, D]`). Allocates its own arrays, so the result can be shared across lots.
 */
export function symbolReturnSeries(prices: ArrayLike<number>, range: DayRange): ReturnSeries {
  const t = alignedReturns([prices], range, 'simple');
  return {
    validCloses: t.keptDays,
    returns: t.columns[0]!.slice(),
    returnDays: t.returnDays.slice(),
  };
}

export type VolTrend = 'increasing' | 'decreasing' | 'stable';

export interface VolatilityMetrics {
  readonly ok: true;
  readonly realizedVol21d: number;
  readonly realizedVol63d: number;
  readonly volDaily: number;
  readonly volWeekly: number;
  readonly volMonthly: number;
  /** HAR forecast; null with fewer than 30 training rows. */
  readonly expectedVol21d: number | null;
  readonly modelRSquared: number | null;
  readonly volTrend: VolTrend;
  readonly volTrendStrength: number;
  readonly volPercentile: number | null;
  readonly observations: number;
}

export type VolatilityFailure = CalcFailure<'no_price_data' | 'insufficient_observations'> & {
  readonly observations: number;
};

/** Volatility metrics of a position from its symbol's series (SPEC.md d.10, position level). */
export function positionVolatility(series: ReturnSeries, components?: HarComponents): VolatilityMetrics | VolatilityFailure {
  if (series.validCloses === 0) return { ok: false, reason: 'no_price_data', observations: 0 };
  return volatilityMetrics(series.returns, series.returns.length, components);
}

/** Volatility metrics of a return series r_1 … r_n (SPEC.md d.10). Non-finite returns must not occur. */
export function volatilityMetrics(
  returns: ArrayLike<number>,
  n: number = returns.length,
  /** The HAR components of these returns when already known (volatility-history.ts); else computed. */
  precomputed?: HarComponents,
): VolatilityMetrics | VolatilityFailure {
  if (n < VOL_MIN_OBSERVATIONS) return { ok: false, reason: 'insufficient_observations', observations: n };
  const std = (k: number) => sampleStd(returns, n - k, k) * ANNUALISATION;
  const components = precomputed ?? harComponents(returns, n);
  const har = harForecast(components);

  // rv_m values: indices HAR_MONTH − 1 … n − 1.
  const rvm = components.rvMonthly.subarray(HAR_MONTH - 1, n);
  const trend = volTrend(rvm, n);
  let volPercentile: number | null = null;
  if (n >= PERCENTILE_MIN_OBSERVATIONS && rvm.length >= PERCENTILE_MIN_VALUES) {
    const latest = rvm[rvm.length - 1]!;
    let below = 0;
    for (let i = 0; i < rvm.length; i++) if (rvm[i]! < latest) below++;
    volPercentile = below / rvm.length;
  }
  return {
    ok: true,
    realizedVol21d: std(21),
    realizedVol63d: std(63),
    volDaily: Math.abs(returns[n - 1]!) * ANNUALISATION,
    volWeekly: std(5),
    volMonthly: std(21),
    expectedVol21d: har.ok ? har.forecast : null,
    modelRSquared: har.ok ? har.rSquared : null,
    volTrend: trend.trend,
    volTrendStrength: trend.strength,
    volPercentile,
    observations: n,
  };
}

/** Trend of the rolling monthly volatility (SPEC.md d.10 "Trend"). */
export function volTrend(
  rvMonthlyValues: ArrayLike<number>,
  observations: number,
): { readonly trend: VolTrend; readonly strength: number; readonly slope: number | null } {
  const notComputable = { trend: 'stable' as const, strength: 0, slope: null };
  if (observations < TREND_MIN_OBSERVATIONS) return notComputable;
  const count = Math.min(TREND_WINDOW, rvMonthlyValues.length);
  if (count < TREND_MIN_VALUES) return notComputable;
  const start = rvMonthlyValues.length - count;
  const x = new Float64Array(count);
  const y = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    x[i] = i;
    y[i] = rvMonthlyValues[start + i]!;
  }
  const fit = olsSimple(x, y, count);
  if (!fit.ok) return notComputable;
  const strength = Math.min(Math.abs(fit.rSquared), 1);
  const trend: VolTrend =
    fit.beta > TREND_SLOPE_THRESHOLD && strength > TREND_STRENGTH_THRESHOLD
      ? 'increasing'
      : fit.beta < -TREND_SLOPE_THRESHOLD && strength > TREND_STRENGTH_THRESHOLD
        ? 'decreasing'
        : 'stable';
  return { trend, strength, slope: fit.beta };
}
