/**
 * Black–Scholes price and Greeks of a European option, per share (SPEC.md d.2.3, d.2.4).
 * Continuous compounding, no dividends, flat volatility.
 *
 * For T > 0:
 *   d1 = (ln(S/K) + (r + σ²/2) T) / (σ √T),  d2 = d1 − σ √T
 *   call = S N(d1) − K e^(−rT) N(d2)          put = K e^(−rT) N(−d2) − S N(−d1)
 *   delta: call N(d1), put N(d1) − 1          gamma: φ(d1) / (S σ √T)
 *   theta (per calendar day): call (−S φ(d1) σ / (2√T) − r K e^(−rT) N(d2)) / 365,
 *                             put  (−S φ(d1) σ / (2√T) + r K e^(−rT) N(−d2)) / 365
 *   vega (per 1 volatility point): S φ(d1) √T / 100
 * N is computed through erfc (normal.ts, absolute error < 1e−14). A price below 0 from rounding
 * (deep out of the money) is returned as 0.
 *
 * At T = 0 (expiration day): price = intrinsic value; delta = 1 / 0 / 0.5 for a call with
 * S > K / S < K / S = K (put: −1 / 0 / −0.5 for S < K / S > K / S = K); gamma, theta, vega 0.
 *
 * Units: S, K and price in currency per share; T in years (calendar days / 365, see
 * yearFraction); σ and r as decimals per year. theta in currency per calendar day; vega in
 * currency per volatility point (0.01 of σ).
 *
 * Failure: `model_inputs_invalid` when S ≤ 0, K ≤ 0, σ ≤ 0, T < 0, or any input is not finite.
 */
import { calcFailure, type CalcFailure } from './outcome';
import { normalCdf, normalPdf } from './normal';

export type OptionRight = 'call' | 'put';

export interface BlackScholesInput {
  readonly spot: number;
  readonly strike: number;
  /** Years to expiry, ≥ 0. */
  readonly timeYears: number;
  /** Continuously compounded risk-free rate (options.risk_free_rate, default 0.04). */
  readonly rate: number;
  /** Flat implied volatility (options.implied_vol, default 0.30). */
  readonly vol: number;
  readonly right: OptionRight;
}

export interface BlackScholesResult {
  readonly ok: true;
  readonly price: number;
  readonly delta: number;
  readonly gamma: number;
  /** Per calendar day. */
  readonly theta: number;
  /** Per volatility point. */
  readonly vega: number;
  /** Null at T = 0. */
  readonly d1: number | null;
  readonly d2: number | null;
}

export type BlackScholesOutcome = BlackScholesResult | CalcFailure<'model_inputs_invalid'>;

/** T = max(0, calendar days to expiry) / 365 (SPEC.md d.2.3). */
export function yearFraction(calendarDaysToExpiry: number): number {
  return Math.max(0, calendarDaysToExpiry) / 365;
}

export function blackScholes(input: BlackScholesInput): BlackScholesOutcome {
  const { spot: s, strike: k, timeYears: t, rate: r, vol: sigma, right } = input;
  if (
    !(s > 0) ||
    !(k > 0) ||
    !(sigma > 0) ||
    !(t >= 0) ||
    !Number.isFinite(s) ||
    !Number.isFinite(k) ||
    !Number.isFinite(sigma) ||
    !Number.isFinite(t) ||
    !Number.isFinite(r)
  ) {
    return calcFailure('model_inputs_invalid');
  }
  const isCall = right === 'call';
  if (t === 0) {
    const price = isCall ? Math.max(0, s - k) : Math.max(0, k - s);
    const delta = isCall ? (s > k ? 1 : s < k ? 0 : 0.5) : s < k ? -1 : s > k ? 0 : -0.5;
    return { ok: true, price, delta, gamma: 0, theta: 0, vega: 0, d1: null, d2: null };
  }
  const sqrtT = Math.sqrt(t);
  const volSqrtT = sigma * sqrtT;
  const d1 = (Math.log(s / k) + (r + 0.5 * sigma * sigma) * t) / volSqrtT;
  const d2 = d1 - volSqrtT;
  const discK = k * Math.exp(-r * t);
  const pdf = normalPdf(d1);
  const gamma = pdf / (s * volSqrtT);
  const vega = (s * pdf * sqrtT) / 100;
  const decay = (-s * pdf * sigma) / (2 * sqrtT);
  if (isCall) {
    const nd1 = normalCdf(d1);
    const nd2 = normalCdf(d2);
    const price = Math.max(0, s * nd1 - discK * nd2);
    return { ok: true, price, delta: nd1, gamma, theta: (decay - r * discK * nd2) / 365, vega, d1, d2 };
  }
  const nmd1 = normalCdf(-d1);
  const nmd2 = normalCdf(-d2);
  const price = Math.max(0, discK * nmd2 - s * nmd1);
  // N(d1) − 1 written as −N(−d1): the same number without cancellation for deep out-of-the-money puts.
  return { ok: true, price, delta: -nmd1, gamma, theta: (decay + r * discK * nmd2) / 365, vega, d1, d2 };
}
