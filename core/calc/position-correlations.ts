/**
 * Position correlations of one portfolio-date (SPEC.md d.11 steps 5–11), from the symbols that
 * survived the candidate filters (correlation-candidates.ts).
 *
 * 5. Aligned table of the symbols over `[D − 90, D]` (trading-day index range); log returns
 *    ln(p_t / p_(t−1)); rows with a non-finite value dropped (align.ts). m rows.
 * 6. Require m ≥ max(20, duration_days div 3) = 30 → else `insufficient_observations`.
 * 7. Sample correlation matrix (correlation-matrix.ts; a flat symbol correlates 0).
 * 8. PSD repair when the smallest eigenvalue is below −1e−10 (psd-repair.ts).
 * 9. overall_correlation, effective_positions (correlation-metrics.ts); the concentration score
 *    is 0 and data quality 'sufficient' (constants of the stored row, not computed here).
 * 11. Pairwise rows: every ordered pair including self pairs (n² rows), data_points = m,
 *    statistical_significance = 1 − p.
 *
 * Failures: `too_few_symbols` (fewer than 2 series; the job is not_applicable) and
 * `insufficient_observations` (with m).
 */
import { alignedReturns, type DayRange } from './align';
import { sampleCorrelationMatrix } from './correlation-matrix';
import { correlationSignificance, effectivePositions, overallCorrelation } from './correlation-metrics';
import type { CalcFailure } from './outcome';
import { repairCorrelationMatrix } from './psd-repair';
import type { SquareMatrix } from './square-matrix';

/** max(20, duration div 3): 30 for the 90-day default (SPEC.md d.11 step 6). */
export function minCorrelationObservations(durationDays: number): number {
  return Math.max(20, Math.floor(durationDays / 3));
}

export interface PairwiseCorrelation {
  readonly symbolA: string;
  readonly symbolB: string;
  readonly correlation: number;
  /** 1 − p (null only when undefined, which cannot happen with m ≥ 30). */
  readonly significance: number | null;
  readonly dataPoints: number;
}

export interface PositionCorrelations {
  readonly ok: true;
  readonly symbols: readonly string[];
  /** m: aligned log-return rows. */
  readonly observations: number;
  /** The (repaired when needed) correlation matrix, in `symbols` order. */
  readonly matrix: SquareMatrix;
  readonly repaired: boolean;
  readonly minEigenvalue: number;
  readonly overallCorrelation: number | null;
  readonly effectivePositions: number | null;
  /** Symbols whose returns had zero variance over the window (correlation 0 with all). */
  readonly zeroVarianceSymbols: readonly string[];
  /** n² rows, row-major over (symbolA, symbolB). */
  readonly pairs: readonly PairwiseCorrelation[];
}

export type PositionCorrelationsFailure = CalcFailure<'too_few_symbols' | 'insufficient_observations'> & {
  readonly observations: number;
};

export function positionCorrelations(
  symbols: readonly string[],
  prices: readonly ArrayLike<number>[],
  range: DayRange,
  durationDays = 90,
): PositionCorrelations | PositionCorrelationsFailure {
  if (symbols.length !== prices.length) throw new RangeError('positionCorrelations: one price series per symbol');
  if (symbols.length < 2) return { ok: false, reason: 'too_few_symbols', observations: 0 };
  const table = alignedReturns(prices, range, 'log');
  const m = table.observations;
  if (m < minCorrelationObservations(durationDays)) return { ok: false, reason: 'insufficient_observations', observations: m };

  const sample = sampleCorrelationMatrix(table.columns, m);
  const repair = repairCorrelationMatrix(sample.matrix);
  const c = repair.matrix;
  const n = symbols.length;
  const pairs: PairwiseCorrelation[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const rho = c.data[i * n + j]!;
      pairs.push({
        symbolA: symbols[i]!,
        symbolB: symbols[j]!,
        correlation: rho,
        significance: correlationSignificance(rho, m, i === j),
        dataPoints: m,
      });
    }
  }
  return {
    ok: true,
    symbols: [...symbols],
    observations: m,
    matrix: c,
    repaired: repair.repaired,
    minEigenvalue: repair.minEigenvalue,
    overallCorrelation: overallCorrelation(c),
    effectivePositions: effectivePositions(c),
    zeroVarianceSymbols: sample.zeroVarianceColumns.map((j) => symbols[j]!),
    pairs,
  };
}
