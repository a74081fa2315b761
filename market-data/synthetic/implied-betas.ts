/**
 * Population values of the regressions the engine runs (SPEC.md e.9 "Known betas"), for a
 * return r = alpha + Σ_k b_k f_k + idiosyncratic noise independent of f:
 *
 *   cov(r, f_j) = Σ_k b_k Sigma_kj  (the vector Sigma b)
 *   univariate on x = wᵀf:  beta = cov(r, x) / var(x) = bᵀ Sigma w / wᵀ Sigma w
 *     Market Beta (90D): w = e_SPY;  IR Beta: w = e_TLT;  spreads: w = e_long - e_short
 *   ridge style factors: the population least-squares coefficients on the six style ETFs,
 *     Sigma_XX⁻¹ (Sigma b)_X (no shrinkage; the intercept absorbs the means).
 *
 * Units: return per unit factor return (dimensionless).
 */
import { RIDGE_FACTORS, SPREAD_FACTORS } from '../../core/data/factors';
import { IR_BETA_FACTOR, MARKET_BETA_FACTOR } from '../../core/domain/factor-names';
import { cholesky, solveFactored } from '../../core/calc/cholesky';
import { FACTOR_COUNT, factorIndex, type FactorModel } from './factor-model';

export interface ImpliedBeta {
  /** Factor name as in factors.json. */
  readonly name: string;
  readonly value: number;
}

function quadratic(cov: Float64Array, a: Float64Array, b: Float64Array): number {
  const n = FACTOR_COUNT;
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s += a[i]! * cov[i * n + j]! * b[j]!;
  return s;
}

function unit(i: number, j?: number): Float64Array {
  const w = new Float64Array(FACTOR_COUNT);
  w[i] = 1;
  if (j !== undefined) w[j] = -1;
  return w;
}

/** Implied betas in a fixed order: Market Beta (90D), IR Beta, the six ridge factors, the four spreads. */
export function impliedBetas(loadings: Float64Array, model: FactorModel): readonly ImpliedBeta[] {
  const cov = model.covariance;
  const univariate = (w: Float64Array): number => quadratic(cov, loadings, w) / quadratic(cov, w, w);
  const out: ImpliedBeta[] = [
    { name: MARKET_BETA_FACTOR, value: univariate(unit(factorIndex('SPY'))) },
    { name: IR_BETA_FACTOR, value: univariate(unit(factorIndex('TLT'))) },
  ];
  const xs = RIDGE_FACTORS.map((f) => factorIndex(f.etf));
  const m = xs.length;
  const sxx: number[] = [];
  for (const i of xs) for (const j of xs) sxx.push(cov[i * FACTOR_COUNT + j]!);
  const sxr = xs.map((i) => quadratic(cov, unit(i), loadings));
  const l = cholesky(sxx, m);
  if (!l) throw new Error('style-factor covariance is not positive definite');
  const coef = solveFactored(l, m, sxr);
  RIDGE_FACTORS.forEach((f, k) => out.push({ name: f.name, value: coef[k]! }));
  for (const s of SPREAD_FACTORS) {
    out.push({ name: s.name, value: univariate(unit(factorIndex(s.long), factorIndex(s.short))) });
  }
  return out;
}
