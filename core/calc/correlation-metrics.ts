/**
 * Summary metrics of a correlation matrix (SPEC.md d.11 steps 9 and 11).
 *
 * - overall_correlation = mean of |ρ_ij| over i < j with ρ_ij ≠ 0 (null when no such pair).
 * - effective_positions = n² / Σ_i Σ_j ρ_ij, diagonal included (null when the sum is not
 *   positive, e.g. two perfectly anti-correlated series).
 * - statistical_significance of a pair = 1 − p, p the two-sided p-value of
 *   t = ρ √((m − 2) / (1 − ρ²)) with m − 2 degrees of freedom, evaluated as the central
 *   probability P(|T| < |t|) itself: 1 − p would cancel for a small ρ (ρ = 1e−9 gave 0);
 *   self pairs and |ρ| = 1 give 1; null when m ≤ 2 or ρ is not finite.
 */
import type { SquareMatrix } from './square-matrix';
import { studentTCentralP } from './student-t';

export function overallCorrelation(c: SquareMatrix): number | null {
  const n = c.size;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const r = c.data[i * n + j]!;
      if (r !== 0 && Number.isFinite(r)) {
        sum += Math.abs(r);
        count++;
      }
    }
  }
  return count === 0 ? null : sum / count;
}

export function effectivePositions(c: SquareMatrix): number | null {
  const n = c.size;
  let sum = 0;
  for (let i = 0; i < n * n; i++) sum += c.data[i]!;
  if (!(sum > 1e-12) || !Number.isFinite(sum)) return null;
  return (n * n) / sum;
}

export function correlationSignificance(rho: number, m: number, selfPair = false): number | null {
  if (selfPair) return 1;
  if (!Number.isFinite(rho)) return null;
  if (Math.abs(rho) >= 1) return 1;
  if (m <= 2) return null;
  const t = rho * Math.sqrt((m - 2) / (1 - rho * rho));
  return studentTCentralP(t, m - 2);
}
