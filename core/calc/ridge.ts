/**
 * Ridge regression on standardised factors (SPEC.md d.7 steps 3–7), generic in the number of
 * factors p (d.7 uses the six style ETFs):
 *
 * 1. Standardise each factor column: μ_f = mean, σ_f = population standard deviation
 *    (divisor n), z_f = (x_f − μ_f) / σ_f. A column with σ_f = 0 (or rounding noise for a
 *    constant column) is set to 0 and its beta is 0.
 * 2. Centre y on ȳ.
 * 3. Solve (ZᵀZ + α I) w = Zᵀ (y − ȳ) by Cholesky (p × p, SPD for α > 0).
 * 4. β_f = w_f / σ_f (raw return units); non-finite values become 0; clip to [−cap, cap].
 * 5. R² = 1 − Σ (y − ȳ − Z w)² / Σ (y − ȳ)² in sample, from the unclipped w; 0 when y is constant.
 *
 * This equals a standard scaler (population deviation) followed by a ridge regression with
 * intercept (the reference system's pipeline). Units: β in y units per unit of x (unitless
 * for returns); R² unitless.
 *
 * Failures: `insufficient_observations` when n < minObservations or n ≤ p (d.7 step 2:
 * n ≥ 30 and n > 6); `non_finite_input`; `not_positive_definite` when the system cannot be
 * factorised (only possible with α ≤ 0, which callers use to compare against OLS).
 */
import { DEFAULT_BETA_CAP, clipBeta } from './beta-cap';
import { choleskySolve } from './cholesky';
import { isNoiseLevelSpread, maxAbs } from './descriptive-stats';
import { calcFailure, type CalcFailure } from './outcome';

export interface RidgeOptions {
  /** Penalty α (settings key ridge.alpha), default 1.0. */
  readonly alpha?: number;
  /** Minimum n, default 30 (d.7 step 2); n > p is always required. */
  readonly minObservations?: number;
  /** Clip bound for betas, default 5. */
  readonly betaCap?: number;
  /**
   * Rounding scale of the factor values for the zero-variance test (see olsSimple's xScale):
   * 1 for simple returns. Default 0: judge each column on its own magnitude.
   */
  readonly noiseScale?: number;
}

export interface RidgeFit {
  readonly ok: true;
  /** Clipped betas in raw units, one per factor column, in input order. */
  readonly betas: Float64Array;
  /** Unclipped betas (non-finite already replaced by 0). */
  readonly betasUnclipped: Float64Array;
  /** Coefficients on the standardised scale. */
  readonly weights: Float64Array;
  /** Population standard deviation of each factor column (0 for a constant column). */
  readonly factorStd: Float64Array;
  readonly rSquared: number;
  readonly observations: number;
}

export type RidgeFailureReason = 'insufficient_observations' | 'non_finite_input' | 'not_positive_definite';
export type RidgeResult = RidgeFit | CalcFailure<RidgeFailureReason>;

/** Ridge fit of y on the factor columns over their first n values (SPEC.md d.7). */
export function ridgeStandardized(
  y: ArrayLike<number>,
  factors: readonly ArrayLike<number>[],
  n: number = y.length,
  options: RidgeOptions = {},
): RidgeResult {
  const alpha = options.alpha ?? 1.0;
  const minObs = options.minObservations ?? 30;
  const cap = options.betaCap ?? DEFAULT_BETA_CAP;
  const noiseScale = options.noiseScale ?? 0;
  const p = factors.length;
  if (y.length < n) throw new RangeError('ridgeStandardized: y is shorter than n');
  for (const f of factors) if (f.length < n) throw new RangeError('ridgeStandardized: a factor is shorter than n');
  if (n < minObs || n <= p || n < 2) return calcFailure('insufficient_observations');

  // Standardised design, column-major.
  const z = new Float64Array(n * p);
  const sigma = new Float64Array(p);
  for (let f = 0; f < p; f++) {
    const col = factors[f]!;
    let s = 0;
    let c = 0;
    for (let i = 0; i < n; i++) {
      const v = col[i]!;
      if (!Number.isFinite(v)) return calcFailure('non_finite_input');
      const t = s + v;
      c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
      s = t;
    }
    const mu = (s + c) / n;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const d = col[i]! - mu;
      ss += d * d;
    }
    if (isNoiseLevelSpread(ss, n, Math.max(maxAbs(col, 0, n), noiseScale))) continue; // column stays 0, σ_f = 0
    const sd = Math.sqrt(ss / n);
    sigma[f] = sd;
    const base = f * n;
    for (let i = 0; i < n; i++) z[base + i] = (col[i]! - mu) / sd;
  }

  // Centred y.
  let sy = 0;
  let cy = 0;
  for (let i = 0; i < n; i++) {
    const v = y[i]!;
    if (!Number.isFinite(v)) return calcFailure('non_finite_input');
    const t = sy + v;
    cy += Math.abs(sy) >= Math.abs(v) ? sy - t + v : v - t + sy;
    sy = t;
  }
  const my = (sy + cy) / n;
  const yc = new Float64Array(n);
  let sst = 0;
  for (let i = 0; i < n; i++) {
    const d = y[i]! - my;
    yc[i] = d;
    sst += d * d;
  }
  if (isNoiseLevelSpread(sst, n, maxAbs(y, 0, n))) sst = 0;

  // Normal matrix of the penalised problem: ZᵀZ + αI and Zᵀ yc.
  const m = new Float64Array(p * p);
  const rhs = new Float64Array(p);
  for (let f = 0; f < p; f++) {
    const bf = f * n;
    for (let g = 0; g <= f; g++) {
      const bg = g * n;
      let s = 0;
      for (let i = 0; i < n; i++) s += z[bf + i]! * z[bg + i]!;
      m[f * p + g] = s;
      m[g * p + f] = s;
    }
    m[f * p + f] = m[f * p + f]! + alpha;
    let s = 0;
    for (let i = 0; i < n; i++) s += z[bf + i]! * yc[i]!;
    rhs[f] = s;
  }
  const w = choleskySolve(m, p, rhs);
  if (w === null) return calcFailure('not_positive_definite');

  let sse = 0;
  for (let i = 0; i < n; i++) {
    let fit = 0;
    for (let f = 0; f < p; f++) fit += z[f * n + i]! * w[f]!;
    const e = yc[i]! - fit;
    sse += e * e;
  }
  const rSquared = sst === 0 ? 0 : 1 - sse / sst;

  const betasUnclipped = new Float64Array(p);
  const betas = new Float64Array(p);
  for (let f = 0; f < p; f++) {
    const raw = sigma[f]! === 0 ? 0 : w[f]! / sigma[f]!;
    const b = Number.isFinite(raw) ? raw : 0;
    betasUnclipped[f] = b;
    betas[f] = clipBeta(b, cap);
  }
  return { ok: true, betas, betasUnclipped, weights: w, factorStd: sigma, rSquared, observations: n };
}
