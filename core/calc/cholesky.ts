/**
 * Cholesky factorisation and solves of symmetric positive definite systems A x = b: the ridge
 * regression of SPEC.md d.7 (its 6 × 6 matrix ZᵀZ + αI is SPD for α > 0) and the synthetic
 * generator's factor model and implied betas.
 *
 * A is given row-major (n × n); only its lower triangle is read. A = L Lᵀ by the
 * Cholesky–Banachiewicz recurrence (Golub and Van Loan, Matrix Computations, 4th ed.,
 * algorithm 4.2.1), then L z = b and Lᵀ x = z.
 */

/** The lower-triangular L with L Lᵀ = A, or null when a pivot is not strictly positive or not finite (A not positive definite, or NaN in A). */
export function cholesky(a: ArrayLike<number>, n: number): Float64Array | null {
  if (a.length < n * n) throw new RangeError(`cholesky: expected ${n * n} entries, got ${a.length}`);
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
export function solveFactored(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  if (b.length < n) throw new RangeError(`solveFactored: expected ${n} right-hand values, got ${b.length}`);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  return x;
}

/** Solves A x = b; null when A is not positive definite or the solution is not finite (the caller reports a coded reason). */
export function choleskySolve(a: ArrayLike<number>, n: number, b: ArrayLike<number>): Float64Array | null {
  const l = cholesky(a, n);
  if (!l) return null;
  const x = solveFactored(l, n, b);
  for (let i = 0; i < n; i++) if (!Number.isFinite(x[i]!)) return null;
  return x;
}
