/**
 * Cholesky factorisation of a symmetric positive definite matrix (row-major, n x n):
 * the lower-triangular L with L Lᵀ = A, by the Cholesky–Banachiewicz recurrence
 * (Golub and Van Loan, Matrix Computations, 4th ed., algorithm 4.2.1).
 * Returns null when A is not positive definite (a pivot <= 0 or non-finite).
 */
export function cholesky(a: readonly number[], n: number): Float64Array | null {
  if (a.length !== n * n) throw new RangeError(`cholesky: expected ${n * n} entries, got ${a.length}`);
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (!(s > 0) || !Number.isFinite(s)) return null;
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j]!;
      }
    }
  }
  return l;
}

/** Solves A x = b given A's Cholesky factor L (forward then back substitution). */
export function choleskySolve(l: Float64Array, n: number, b: readonly number[]): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * y[k]!;
    y[i] = s / l[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  return x;
}
