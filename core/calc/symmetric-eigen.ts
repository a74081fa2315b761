/**
 * Eigen-decomposition of a real symmetric matrix by the cyclic Jacobi method (SPEC.md d.11
 * step 8: "symmetric eigen-decomposition by cyclic rotations").
 *
 * Method: Golub & Van Loan, Matrix Computations (4th ed.), § 8.5.2–8.5.3 (cyclic-by-row Jacobi
 * with the stable symmetric 2 × 2 Schur rotation). Sweeps over every pair (p, q), p < q,
 * zeroing a_pq, until the off-diagonal Frobenius norm is at most 1e−15 × the matrix norm, or
 * 100 sweeps. Jacobi is slow for large n but very accurate (small eigenvalues to high relative
 * accuracy), which is what the PSD test needs; correlation matrices here are a few dozen wide.
 *
 * Output: eigenvalues ascending; eigenvectors as the columns of a row-major matrix
 * (vectors.data[i * n + k] is component i of eigenvector k), orthonormal. A = V Λ Vᵀ.
 * The input must be symmetric; it is not modified.
 * Non-finite input gives NaN eigenvalues and converged = false (no exception).
 */
import { identityMatrix, squareMatrix, type SquareMatrix } from './square-matrix';

export interface SymmetricEigen {
  readonly values: Float64Array;
  readonly vectors: SquareMatrix;
  readonly sweeps: number;
  readonly converged: boolean;
}

const MAX_SWEEPS = 100;
const TOLERANCE = 1e-15;

export function symmetricEigen(matrix: SquareMatrix): SymmetricEigen {
  const n = matrix.size;
  const a = matrix.data.slice();
  const v = identityMatrix(n).data;
  for (const x of a) {
    if (!Number.isFinite(x)) {
      return { values: new Float64Array(n).fill(NaN), vectors: squareMatrix(n, v), sweeps: 0, converged: false };
    }
  }
  let norm2 = 0;
  for (let i = 0; i < n * n; i++) norm2 += a[i]! * a[i]!;
  const target = TOLERANCE * TOLERANCE * norm2;

  let sweeps = 0;
  let converged = false;
  for (; sweeps <= MAX_SWEEPS; sweeps++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += 2 * a[p * n + q]! * a[p * n + q]!;
    if (off <= target) {
      converged = true;
      break;
    }
    if (sweeps === MAX_SWEEPS) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t =
          Math.abs(theta) > 1e150
            ? 1 / (2 * theta)
            : (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(1 + theta * theta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        // A ← A J (columns p, q), then A ← Jᵀ A (rows p, q); J = [[c, s], [−s, c]] in (p, q).
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        a[p * n + q] = 0;
        a[q * n + p] = 0;
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }

  // Sort ascending, permuting eigenvector columns alike.
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i * n + i]! - a[j * n + j]!);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = a[src * n + src]!;
    for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src]!;
  });
  return { values, vectors: squareMatrix(n, vectors), sweeps, converged };
}
