/**
 * Sample correlation matrix of aligned return columns (SPEC.md d.11 step 7): the ordinary
 * Pearson coefficient ρ_ij = Sxy / √(Sxx Syy) with two-pass centred sums over the m rows.
 *
 * Edge cases: a column with zero variance (a flat price series, or rounding noise around a
 * constant) has an undefined correlation; it is given ρ = 0 with every other column (and 1 on
 * the diagonal), and its index is reported in `zeroVarianceColumns`. Values are clamped to
 * [−1, 1] against rounding. The diagonal is exactly 1.
 */
import { isNoiseLevelSpread, maxAbs, mean } from './descriptive-stats';
import { squareMatrix, type SquareMatrix } from './square-matrix';

export interface SampleCorrelation {
  readonly matrix: SquareMatrix;
  readonly zeroVarianceColumns: readonly number[];
  readonly observations: number;
}

export function sampleCorrelationMatrix(columns: readonly ArrayLike<number>[], m: number): SampleCorrelation {
  const k = columns.length;
  for (const c of columns) if (c.length < m) throw new RangeError('sampleCorrelationMatrix: a column is shorter than m');
  const centred = columns.map((c) => {
    const mu = mean(c, 0, m);
    const out = new Float64Array(m);
    for (let i = 0; i < m; i++) out[i] = c[i]! - mu;
    return out;
  });
  const ssq = centred.map((c) => {
    let s = 0;
    for (let i = 0; i < m; i++) s += c[i]! * c[i]!;
    return s;
  });
  const zero: number[] = [];
  for (let j = 0; j < k; j++) if (m < 2 || isNoiseLevelSpread(ssq[j]!, m, maxAbs(columns[j]!, 0, m))) zero.push(j);
  const isZero = new Uint8Array(k);
  for (const j of zero) isZero[j] = 1;

  const data = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    data[i * k + i] = 1;
    for (let j = i + 1; j < k; j++) {
      let r = 0;
      if (!isZero[i] && !isZero[j]) {
        const a = centred[i]!;
        const b = centred[j]!;
        let s = 0;
        for (let t = 0; t < m; t++) s += a[t]! * b[t]!;
        r = s / Math.sqrt(ssq[i]! * ssq[j]!);
        r = r > 1 ? 1 : r < -1 ? -1 : r;
      }
      data[i * k + j] = r;
      data[j * k + i] = r;
    }
  }
  return { matrix: squareMatrix(k, data), zeroVarianceColumns: zero, observations: m };
}
