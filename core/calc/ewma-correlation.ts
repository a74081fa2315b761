/**
 * Exponentially weighted factor correlation matrix as of D (SPEC.md d.12, "Factor
 * correlation matrix as of D").
 *
 * 1. Aligned table of the factor ETFs (Market SPY, Value VTV, Growth VUG, Momentum MTUM,
 *    Quality QUAL, Size IWM, Low Volatility USMV, Interest Rate TLT) over `[D − 282, D]`
 *    (252 + 30 buffer days), simple returns; m rows.
 * 2. Weight of the k-th most recent row (k = 0 for the latest): decay^k (0.94), normalised to
 *    sum to 1.
 * 3. For each pair: weighted means μ_a, μ_b; cov = Σ w (a − μ_a)(b − μ_b); var likewise;
 *    ρ = cov / √(var_a var_b).
 * 4. If m < minObservations (30), every off-diagonal ρ is 0. Clip to [−0.95, 0.95].
 *    Diagonal 1.
 * Edge case: a factor with zero weighted variance (a flat ETF) has ρ = 0 with the others.
 */
import { alignedReturns, type AlignWorkspace, type DayRange } from './align';
import { identityMatrix, squareMatrix, type SquareMatrix } from './square-matrix';

export interface EwmaCorrelationConfig {
  /** correlation_decay_factor (0.94). */
  readonly decay: number;
  /** min_correlation_observations (30). */
  readonly minObservations: number;
  /** min_factor_correlation (−0.95). */
  readonly minCorrelation: number;
  /** max_factor_correlation (0.95). */
  readonly maxCorrelation: number;
}

export const DEFAULT_EWMA_CORRELATION: EwmaCorrelationConfig = {
  decay: 0.94,
  minObservations: 30,
  minCorrelation: -0.95,
  maxCorrelation: 0.95,
};

/** A correlation matrix over named factors (rows and columns in `factors` order). */
export interface FactorCorrelationMatrix {
  readonly factors: readonly string[];
  readonly matrix: SquareMatrix;
  /** m: the aligned return rows behind it (stored as data_days). */
  readonly observations: number;
}

/** EWMA correlation of aligned return columns over their first m rows (steps 2–4). */
export function ewmaCorrelationMatrix(
  columns: readonly ArrayLike<number>[],
  m: number,
  config: EwmaCorrelationConfig = DEFAULT_EWMA_CORRELATION,
): SquareMatrix {
  const k = columns.length;
  if (m < config.minObservations || m < 2) return identityMatrix(k);
  for (const c of columns) if (c.length < m) throw new RangeError('ewmaCorrelationMatrix: a column is shorter than m');

  const w = new Float64Array(m);
  let total = 0;
  let p = 1;
  for (let row = m - 1; row >= 0; row--) {
    w[row] = p;
    total += p;
    p *= config.decay;
  }
  for (let row = 0; row < m; row++) w[row] = w[row]! / total;

  const centred = columns.map((c) => {
    let mu = 0;
    for (let row = 0; row < m; row++) mu += w[row]! * c[row]!;
    const out = new Float64Array(m);
    for (let row = 0; row < m; row++) out[row] = c[row]! - mu;
    return out;
  });
  const variance = centred.map((c) => {
    let v = 0;
    for (let row = 0; row < m; row++) v += w[row]! * c[row]! * c[row]!;
    return v;
  });
  const data = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    data[i * k + i] = 1;
    for (let j = i + 1; j < k; j++) {
      let cov = 0;
      const a = centred[i]!;
      const b = centred[j]!;
      for (let row = 0; row < m; row++) cov += w[row]! * a[row]! * b[row]!;
      const denom = Math.sqrt(variance[i]! * variance[j]!);
      let rho = denom > 0 ? cov / denom : 0;
      if (!Number.isFinite(rho)) rho = 0;
      rho = Math.min(config.maxCorrelation, Math.max(config.minCorrelation, rho));
      data[i * k + j] = rho;
      data[j * k + i] = rho;
    }
  }
  return squareMatrix(k, data);
}

/**
 * Steps 1–4: the factor correlation matrix of D from the factor ETFs' price series
 * (`etfPrices[etf]`, indexed by trading day) over `range`.
 */
export function factorCorrelationMatrix(
  factors: readonly { readonly name: string; readonly etf: string }[],
  etfPrices: Readonly<Record<string, ArrayLike<number>>>,
  range: DayRange,
  config: EwmaCorrelationConfig = DEFAULT_EWMA_CORRELATION,
  workspace?: AlignWorkspace,
): FactorCorrelationMatrix {
  const series = factors.map((f) => {
    const s = etfPrices[f.etf];
    if (s === undefined) throw new RangeError(`factorCorrelationMatrix: no price series for ${f.etf}`);
    return s;
  });
  const table = alignedReturns(series, range, 'simple', workspace);
  return {
    factors: factors.map((f) => f.name),
    matrix: ewmaCorrelationMatrix(table.columns, table.observations, config),
    observations: table.observations,
  };
}
