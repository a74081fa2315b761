/**
 * Descriptive statistics over a slice of numbers (SPEC.md a.4): mean with compensated
 * (Neumaier) summation, two-pass centred sums of squares, sample (n − 1) and population (n)
 * standard deviations.
 *
 * All functions take `(values, start, length)` so that callers can work on a window of a
 * Float64Array without copying. They never throw on data: an empty slice, or a sample
 * deviation of fewer than two values, gives NaN, which callers translate into a coded reason.
 */

/** Neumaier-compensated sum of `values[start .. start + length − 1]`. 0 for an empty slice. */
export function sliceSum(values: ArrayLike<number>, start = 0, length = values.length - start): number {
  let sum = 0;
  let c = 0;
  const end = start + length;
  for (let i = start; i < end; i++) {
    const v = values[i]!;
    const t = sum + v;
    c += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + c;
}

/** Arithmetic mean (compensated sum / n). NaN for an empty slice. */
export function mean(values: ArrayLike<number>, start = 0, length = values.length - start): number {
  if (length <= 0) return NaN;
  return sliceSum(values, start, length) / length;
}

/** Σ (x − x̄)², two-pass (the mean first, then the centred squares). NaN for an empty slice. */
export function centredSumOfSquares(values: ArrayLike<number>, start = 0, length = values.length - start): number {
  if (length <= 0) return NaN;
  const m = mean(values, start, length);
  let sum = 0;
  let c = 0;
  const end = start + length;
  for (let i = start; i < end; i++) {
    const d = values[i]! - m;
    const v = d * d;
    const t = sum + v;
    c += sum >= v ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + c;
}

/** Sample variance, divisor n − 1 (SPEC.md a.4). NaN when fewer than 2 values. */
export function sampleVariance(values: ArrayLike<number>, start = 0, length = values.length - start): number {
  if (length < 2) return NaN;
  return centredSumOfSquares(values, start, length) / (length - 1);
}

/** Sample standard deviation, divisor n − 1. NaN when fewer than 2 values. */
export function sampleStd(values: ArrayLike<number>, start = 0, length = values.length - start): number {
  return Math.sqrt(sampleVariance(values, start, length));
}

/** Largest |x| over the slice (0 for an empty slice; NaN if any value is NaN). */
export function maxAbs(values: ArrayLike<number>, start = 0, length = values.length - start): number {
  let m = 0;
  const end = start + length;
  for (let i = start; i < end; i++) {
    const a = Math.abs(values[i]!);
    if (!(a <= m)) m = a; // also propagates NaN
  }
  return m;
}

/**
 * True when a centred sum of squares is indistinguishable from rounding noise, i.e. the
 * series is constant for all practical purposes. A series of identical values can leave
 * Σ (x − x̄)² at ~1e−33 instead of 0 because x̄ is rounded; dividing by it would explode.
 * The rule: the root-mean-square deviation is at most 16 ulps (16 · 2⁻⁵²) of the largest |x|.
 * Exactly 0 always counts. Real return series are many orders of magnitude above the bound.
 */
export function isNoiseLevelSpread(sumOfSquares: number, length: number, largestAbs: number): boolean {
  if (sumOfSquares === 0) return true;
  if (length <= 0) return true;
  const rms = Math.sqrt(sumOfSquares / length);
  return rms <= 16 * Number.EPSILON * largestAbs;
}
