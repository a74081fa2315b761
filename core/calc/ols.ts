/**
 * Simple OLS with intercept (SPEC.md d.5), x regressor, y response, n observations:
 *
 *   Sxx = Σ (x − x̄)²   Sxy = Σ (x − x̄)(y − ȳ)   SST = Σ (y − ȳ)²      (two-pass centred sums)
 *   β = Sxy / Sxx      α = ȳ − β x̄             e = y − α − β x          SSE = Σ e²
 *   R² = 1 − SSE / SST (0 when SST = 0)
 *   se = √(SSE / (n − 2) / Sxx)   t = β / se   p = two-sided t tail with n − 2 degrees of freedom
 *
 * Units: β is in units of y per unit of x (for returns, unitless); α in units of y.
 *
 * Failures (values, never exceptions):
 * - `insufficient_observations`: n < 3 (n − 2 degrees of freedom are needed for se and p).
 *   Callers impose their own minimum (30 for d.6, 60 for d.8) before calling.
 * - `non_finite_input`: a NaN or infinite value among the first n of x or y.
 * - `zero_variance`: Sxx = 0, or Sxx at the level of rounding noise for a constant x
 *   (see isNoiseLevelSpread), so a flat benchmark never produces an exploding slope.
 *
 * Degenerate but defined: SST = 0 (or rounding noise) gives R² = 0. A perfect fit (SSE = 0)
 * gives se = 0, |t| = ∞ and p = 0 when β ≠ 0, and t = 0, p = 1 when β = 0.
 * Sums use compensated summation (SPEC.md a.4).
 */
import { isNoiseLevelSpread } from './descriptive-stats';
import { calcFailure, type CalcFailure } from './outcome';
import { studentTTwoSidedP } from './student-t';

export type OlsFailureReason = 'insufficient_observations' | 'non_finite_input' | 'zero_variance';

export interface OlsFit {
  readonly ok: true;
  readonly beta: number;
  readonly alpha: number;
  readonly rSquared: number;
  readonly stdError: number;
  readonly tStat: number;
  readonly pValue: number;
  readonly observations: number;
  readonly sse: number;
  readonly sst: number;
}

export type OlsResult = OlsFit | CalcFailure<OlsFailureReason>;

/**
 * Fits y = α + β x on the first `n` values of x and y (default: all of x).
 *
 * `xScale` (optional) is the magnitude at which x was rounded, for the zero-variance guard.
 * Simple returns are ratios minus 1 (p_t / p_(t−1) − 1), so their rounding error is about
 * ε × 1: pass 1 (or 1 + max |r| for a difference of returns) and a series that differs from a
 * constant only by that noise (for example the spread of two identical return series, at
 * ~1e−16) fails as zero_variance instead of producing a beta of 1e15.
 */
export function olsSimple(x: ArrayLike<number>, y: ArrayLike<number>, n: number = x.length, xScale = 0): OlsResult {
  if (n > x.length || n > y.length) throw new RangeError(`olsSimple: n = ${n} exceeds the input length`);
  if (n < 3) return calcFailure('insufficient_observations');

  // Pass 1: means (Neumaier sums) and magnitudes for the noise guard.
  let sx = 0;
  let cx = 0;
  let sy = 0;
  let cy = 0;
  let maxX = 0;
  let maxY = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    const yi = y[i]!;
    if (!Number.isFinite(xi) || !Number.isFinite(yi)) return calcFailure('non_finite_input');
    let t = sx + xi;
    cx += Math.abs(sx) >= Math.abs(xi) ? sx - t + xi : xi - t + sx;
    sx = t;
    t = sy + yi;
    cy += Math.abs(sy) >= Math.abs(yi) ? sy - t + yi : yi - t + sy;
    sy = t;
    const ax = Math.abs(xi);
    const ay = Math.abs(yi);
    if (ax > maxX) maxX = ax;
    if (ay > maxY) maxY = ay;
  }
  const mx = (sx + cx) / n;
  const my = (sy + cy) / n;

  // Pass 2: centred sums.
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  let csxx = 0;
  let csxy = 0;
  let csyy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    let v = dx * dx;
    let t = sxx + v;
    csxx += sxx >= v ? sxx - t + v : v - t + sxx;
    sxx = t;
    v = dx * dy;
    t = sxy + v;
    csxy += Math.abs(sxy) >= Math.abs(v) ? sxy - t + v : v - t + sxy;
    sxy = t;
    v = dy * dy;
    t = syy + v;
    csyy += syy >= v ? syy - t + v : v - t + syy;
    syy = t;
  }
  sxx += csxx;
  sxy += csxy;
  syy += csyy;
  if (isNoiseLevelSpread(sxx, n, Math.max(maxX, xScale))) return calcFailure('zero_variance');

  const beta = sxy / sxx;
  const alpha = my - beta * mx;

  // Pass 3: residuals.
  let sse = 0;
  let csse = 0;
  for (let i = 0; i < n; i++) {
    const e = y[i]! - alpha - beta * x[i]!;
    const v = e * e;
    const t = sse + v;
    csse += sse >= v ? sse - t + v : v - t + sse;
    sse = t;
  }
  sse += csse;

  const sst = isNoiseLevelSpread(syy, n, maxY) ? 0 : syy;
  const rSquared = sst === 0 ? 0 : 1 - sse / sst;
  const df = n - 2;
  const stdError = Math.sqrt(sse / df / sxx);
  let tStat: number;
  let pValue: number;
  if (stdError === 0) {
    tStat = beta === 0 ? 0 : beta > 0 ? Infinity : -Infinity;
    pValue = beta === 0 ? 1 : 0;
  } else {
    tStat = beta / stdError;
    pValue = studentTTwoSidedP(tStat, df) ?? 1;
  }
  return { ok: true, beta, alpha, rSquared, stdError, tStat, pValue, observations: n, sse, sst };
}
