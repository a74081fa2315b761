/**
 * Multiple least squares by Householder QR (SPEC.md d.5 "Multiple OLS with intercept", used by
 * the HAR model of d.10). Not the normal equations: the error grows with cond(X), not cond(X)².
 *
 * Model: y ≈ X b, where X is the given columns, preceded by a column of ones when
 * `intercept` is true (the default). Coefficients come back in that order: [b0, b1, …, bp].
 *
 * Rank handling (as LINPACK dqrdc2, the routine behind R's lm): columns are taken in order;
 * a column whose norm, after removing its projection on the columns already accepted, is below
 * `rankTolerance` (default 1e−7) times its original norm is "aliased": moved to the end and
 * left out of the fit. Its coefficient is reported as 0 and `aliased[j]` is true. An all-zero
 * column is always aliased. `rank` counts the accepted columns (intercept included).
 *
 * Fit statistics: residuals e = y − X b are formed from the original data; SSE = Σ e²;
 * SST = Σ (y − ȳ)² with an intercept (Σ y² without one); R² = 1 − SSE / SST, 0 when SST is 0
 * or rounding noise. Observations n = the given row count.
 *
 * Failures: `insufficient_observations` when n < the number of coefficients (intercept
 * included) or n = 0; `non_finite_input` for a NaN/∞ among the used values.
 */
import { isNoiseLevelSpread } from './descriptive-stats';
import { calcFailure, type CalcFailure } from './outcome';

export interface LeastSquaresOptions {
  readonly intercept?: boolean;
  readonly rankTolerance?: number;
}

export interface LeastSquaresFit {
  readonly ok: true;
  /** [b0 (intercept, when requested), b1 … bp]; aliased coefficients are 0. */
  readonly coefficients: Float64Array;
  /** Same indexing as coefficients. */
  readonly aliased: readonly boolean[];
  readonly rank: number;
  readonly observations: number;
  readonly sse: number;
  readonly sst: number;
  readonly rSquared: number;
}

export type LeastSquaresFailureReason = 'insufficient_observations' | 'non_finite_input';
export type LeastSquaresResult = LeastSquaresFit | CalcFailure<LeastSquaresFailureReason>;

export const DEFAULT_RANK_TOLERANCE = 1e-7;

/**
 * Least-squares fit of y on `columns` (each of at least n values) over the first n rows.
 * Throws only on programming errors (a column or y shorter than n).
 */
export function leastSquaresQr(
  columns: readonly ArrayLike<number>[],
  y: ArrayLike<number>,
  n: number = y.length,
  options: LeastSquaresOptions = {},
): LeastSquaresResult {
  const intercept = options.intercept ?? true;
  const tol = options.rankTolerance ?? DEFAULT_RANK_TOLERANCE;
  const off = intercept ? 1 : 0;
  const p = columns.length + off;
  if (y.length < n) throw new RangeError('leastSquaresQr: y is shorter than n');
  for (const c of columns) if (c.length < n) throw new RangeError('leastSquaresQr: a column is shorter than n');
  if (n === 0 || n < p || p === 0) return calcFailure('insufficient_observations');

  // Column-major copy of the design matrix, and of y.
  const a = new Float64Array(n * p);
  const qty = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const yi = y[i]!;
    if (!Number.isFinite(yi)) return calcFailure('non_finite_input');
    qty[i] = yi;
  }
  if (intercept) a.fill(1, 0, n);
  for (let j = 0; j < columns.length; j++) {
    const c = columns[j]!;
    const base = (j + off) * n;
    for (let i = 0; i < n; i++) {
      const v = c[i]!;
      if (!Number.isFinite(v)) return calcFailure('non_finite_input');
      a[base + i] = v;
    }
  }

  // perm[k] = original index of the column now at position k.
  const perm = new Int32Array(p);
  const originalNorm = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    perm[j] = j;
    originalNorm[j] = columnNorm(a, j * n, 0, n);
  }
  const rDiag = new Float64Array(p);
  let rank = 0;
  let last = p; // columns [last, p) are aliased
  const tmp = new Float64Array(n);

  while (rank < last) {
    const k = rank;
    const norm = columnNorm(a, k * n, k, n);
    if (originalNorm[perm[k]!]! === 0 || norm < tol * originalNorm[perm[k]!]!) {
      // Alias: rotate column k to the end of the active block.
      const moved = perm[k]!;
      tmp.set(a.subarray(k * n, k * n + n));
      a.copyWithin(k * n, (k + 1) * n, last * n);
      a.set(tmp, (last - 1) * n);
      perm.copyWithin(k, k + 1, last);
      perm[last - 1] = moved;
      last--;
      continue;
    }
    // Householder reflector H = I − τ v vᵀ with v = x − αe₁, α = −sign(x₀)‖x‖, mapping x to αe₁.
    const base = k * n;
    const x0 = a[base + k]!;
    const alpha = x0 >= 0 ? -norm : norm;
    const v0 = x0 - alpha;
    a[base + k] = v0; // v stored in place below the diagonal, v0 on it
    // vᵀv = 2‖x‖(‖x‖ + |x₀|) = 2‖x‖|v₀| exactly, so τ = 2 / vᵀv = 1 / (‖x‖|v₀|); ‖x‖ > 0 here.
    const tau = 1 / (norm * Math.abs(v0));
    for (let j = k + 1; j < p; j++) {
      const bj = j * n;
      let s = 0;
      for (let i = k; i < n; i++) s += a[base + i]! * a[bj + i]!;
      const f = tau * s;
      if (f !== 0) for (let i = k; i < n; i++) a[bj + i] = a[bj + i]! - f * a[base + i]!;
    }
    let s = 0;
    for (let i = k; i < n; i++) s += a[base + i]! * qty[i]!;
    const f = tau * s;
    if (f !== 0) for (let i = k; i < n; i++) qty[i] = qty[i]! - f * a[base + i]!;
    rDiag[k] = alpha;
    rank++;
  }

  // Back-substitution R b = (Qᵀy)[0..rank): R's strict upper part sits in a above the diagonal.
  const bPerm = new Float64Array(rank);
  for (let k = rank - 1; k >= 0; k--) {
    let s = qty[k]!;
    for (let j = k + 1; j < rank; j++) s -= a[j * n + k]! * bPerm[j]!;
    bPerm[k] = s / rDiag[k]!;
  }
  const coefficients = new Float64Array(p);
  const aliased: boolean[] = new Array<boolean>(p).fill(true);
  for (let k = 0; k < rank; k++) {
    coefficients[perm[k]!] = bPerm[k]! + 0; // + 0 turns −0 into 0
    aliased[perm[k]!] = false;
  }

  // Residuals from the original data.
  let sse = 0;
  let sumY = 0;
  let maxY = 0;
  for (let i = 0; i < n; i++) {
    let fit = intercept ? coefficients[0]! : 0;
    for (let j = 0; j < columns.length; j++) fit += coefficients[j + off]! * columns[j]![i]!;
    const yi = y[i]!;
    const e = yi - fit;
    sse += e * e;
    sumY += yi;
    if (Math.abs(yi) > maxY) maxY = Math.abs(yi);
  }
  let sst = 0;
  if (intercept) {
    const my = sumY / n;
    for (let i = 0; i < n; i++) {
      const d = y[i]! - my;
      sst += d * d;
    }
    if (isNoiseLevelSpread(sst, n, maxY)) sst = 0;
  } else {
    for (let i = 0; i < n; i++) sst += y[i]! * y[i]!;
  }
  const rSquared = sst === 0 ? 0 : 1 - sse / sst;
  return { ok: true, coefficients, aliased, rank, observations: n, sse, sst, rSquared };
}

/** Euclidean norm of a[base + from .. base + to), scaled to avoid overflow/underflow. */
function columnNorm(a: Float64Array, base: number, from: number, to: number): number {
  let scale = 0;
  for (let i = from; i < to; i++) {
    const v = Math.abs(a[base + i]!);
    if (v > scale) scale = v;
  }
  if (scale === 0) return 0;
  let s = 0;
  for (let i = from; i < to; i++) {
    const v = a[base + i]! / scale;
    s += v * v;
  }
  return scale * Math.sqrt(s);
}
