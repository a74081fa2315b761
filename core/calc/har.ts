/**
 * HAR (heterogeneous autoregressive) volatility model of SPEC.md d.10.
 *
 * With returns r_1 … r_n (simple daily returns in date order) and √252 annualisation:
 *   rv_d(t) = |r_t| √252
 *   rv_w(t) = std(r_(t−4) … r_t) √252      defined from t = 5
 *   rv_m(t) = std(r_(t−20) … r_t) √252     defined from t = 21
 * (std = sample standard deviation, divisor n − 1.) Target y(t) = rv_d(t + 1). Training rows:
 * every t where rv_d, rv_w, rv_m and y are defined, i.e. t = 21 … n − 1 (n − 21 rows); at least
 * 30 are required. Fit y = b0 + b1 rv_d + b2 rv_w + b3 rv_m by Householder QR (qr.ts).
 * Forecast = b0 + b1 rv_d(n) + b2 rv_w(n) + b3 rv_m(n) (the latest daily, weekly and monthly
 * volatilities); R² in sample. Units: annualised volatility as a decimal (0.2 = 20 %).
 *
 * The name expected_vol_21d is kept from the reference; the number is a one-step-ahead forecast
 * of the daily magnitude. The linear forecast is not floored (a negative value is possible in
 * principle and is stored as computed). A rank-deficient design (e.g. flat prices: every rv is
 * 0) is fitted on its independent columns (qr.ts aliasing), so flat prices forecast 0.
 */
import { sampleStd } from './descriptive-stats';
import { calcFailure, type CalcFailure } from './outcome';
import { leastSquaresQr } from './qr';

export const ANNUALISATION = Math.sqrt(252);
export const HAR_WEEK = 5;
export const HAR_MONTH = 21;
export const HAR_MIN_TRAINING_ROWS = 30;

/** Rolling volatility series, indexed like the returns (index i ↔ t = i + 1); NaN where undefined. */
export interface HarComponents {
  readonly rvDaily: Float64Array;
  readonly rvWeekly: Float64Array;
  readonly rvMonthly: Float64Array;
}

/** rv_d, rv_w, rv_m for every return of the first n values (NaN before each is defined). */
export function harComponents(returns: ArrayLike<number>, n: number = returns.length): HarComponents {
  const rvDaily = new Float64Array(n);
  const rvWeekly = new Float64Array(n).fill(NaN);
  const rvMonthly = new Float64Array(n).fill(NaN);
  for (let i = 0; i < n; i++) {
    rvDaily[i] = Math.abs(returns[i]!) * ANNUALISATION;
    if (i >= HAR_WEEK - 1) rvWeekly[i] = sampleStd(returns, i - HAR_WEEK + 1, HAR_WEEK) * ANNUALISATION;
    if (i >= HAR_MONTH - 1) rvMonthly[i] = sampleStd(returns, i - HAR_MONTH + 1, HAR_MONTH) * ANNUALISATION;
  }
  return { rvDaily, rvWeekly, rvMonthly };
}

export interface HarForecast {
  readonly ok: true;
  /** expected_vol_21d. */
  readonly forecast: number;
  /** model_r_squared. */
  readonly rSquared: number;
  readonly trainingRows: number;
  /** [b0, b1 (daily), b2 (weekly), b3 (monthly)]; 0 for aliased columns. */
  readonly coefficients: Float64Array;
  readonly rank: number;
}

export type HarFailureReason = 'insufficient_training_rows' | 'non_finite_input';

/** HAR fit and one-step forecast from precomputed components (SPEC.md d.10). */
export function harForecast(components: HarComponents): HarForecast | CalcFailure<HarFailureReason> {
  const { rvDaily, rvWeekly, rvMonthly } = components;
  const n = rvDaily.length;
  const first = HAR_MONTH - 1; // first index where every regressor is defined
  const rows = n - 1 - first; // indices first … n − 2 have a target at i + 1
  if (rows < HAR_MIN_TRAINING_ROWS) return calcFailure('insufficient_training_rows');
  const xd = rvDaily.subarray(first, n - 1);
  const xw = rvWeekly.subarray(first, n - 1);
  const xm = rvMonthly.subarray(first, n - 1);
  const y = rvDaily.subarray(first + 1, n);
  const fit = leastSquaresQr([xd, xw, xm], y, rows);
  if (!fit.ok) {
    return calcFailure(fit.reason === 'non_finite_input' ? 'non_finite_input' : 'insufficient_training_rows');
  }
  const b = fit.coefficients;
  const forecast = b[0]! + b[1]! * rvDaily[n - 1]! + b[2]! * rvWeekly[n - 1]! + b[3]! * rvMonthly[n - 1]!;
  return { ok: true, forecast, rSquared: fit.rSquared, trainingRows: rows, coefficients: b, rank: fit.rank };
}
