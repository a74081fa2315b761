/**
 * Positive semi-definite repair of a correlation matrix (SPEC.md d.11 step 8).
 *
 * If the smallest eigenvalue is below −1e−10: decompose C = V Λ Vᵀ (cyclic Jacobi), set the
 * negative eigenvalues to 0, rebuild C⁺ = V Λ⁺ Vᵀ, and rescale to a unit diagonal:
 * C'_ij = C⁺_ij / √(C⁺_ii C⁺_jj). The result is symmetrised and its diagonal set to exactly 1.
 * Otherwise the matrix is returned unchanged (repaired = false).
 *
 * Edge case: a row whose rebuilt diagonal is 0 (all of its mass lay on negative eigenvalues;
 * not seen with real data) gets 0 off the diagonal and 1 on it.
 */
import { squareMatrix, type SquareMatrix } from './square-matrix';
import { symmetricEigen } from './symmetric-eigen';

export const PSD_REPAIR_THRESHOLD = -1e-10;

export interface PsdRepair {
  readonly matrix: SquareMatrix;
  readonly repaired: boolean;
  /** Smallest eigenvalue of the input. */
  readonly minEigenvalue: number;
}

export function repairCorrelationMatrix(c: SquareMatrix, threshold: number = PSD_REPAIR_THRESHOLD): PsdRepair {
  const n = c.size;
  if (n === 0) return { matrix: c, repaired: false, minEigenvalue: NaN };
  const eig = symmetricEigen(c);
  const minEigenvalue = eig.values[0]!;
  if (!(minEigenvalue < threshold)) return { matrix: c, repaired: false, minEigenvalue };

  const v = eig.vectors.data;
  const lambda = eig.values.map((x) => (x > 0 ? x : 0));
  const rebuilt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += v[i * n + k]! * lambda[k]! * v[j * n + k]!;
      rebuilt[i * n + j] = s;
      rebuilt[j * n + i] = s;
    }
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) {
        out[i * n + j] = 1;
        continue;
      }
      const d = rebuilt[i * n + i]! * rebuilt[j * n + j]!;
      const r = d > 0 ? rebuilt[i * n + j]! / Math.sqrt(d) : 0;
      out[i * n + j] = r > 1 ? 1 : r < -1 ? -1 : r; // rounding can step past ±1
    }
  }
  return { matrix: squareMatrix(n, out), repaired: true, minEigenvalue };
}
