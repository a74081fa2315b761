/**
 * The factor model of the synthetic generator (SPEC.md e.9, Appendix B.1): daily returns of
 * the eight factor ETFs are f_t = mu + L z_t with L Lᵀ = Sigma = diag(sigma) C diag(sigma),
 * daily sigma = annual volatility / sqrt(252), daily mu = annual drift / 252.
 * Profile 'realistic' uses Appendix B's correlation matrix, 'independent' uses C = I.
 */
import { FACTOR_ETFS, type FactorEtf } from '../../core/domain/symbols';
import { cholesky } from '../../core/calc/cholesky';

export type SyntheticProfile = 'realistic' | 'independent';

/** Factor order of every vector and matrix here: SPY, VTV, VUG, MTUM, QUAL, IWM, USMV, TLT. */
export const FACTOR_ORDER: readonly FactorEtf[] = FACTOR_ETFS;
export const FACTOR_COUNT = 8;

export function factorIndex(etf: FactorEtf): number {
  return FACTOR_ORDER.indexOf(etf);
}

/** Appendix B.1 annual volatilities, in FACTOR_ORDER. */
export const ANNUAL_VOLATILITY: readonly number[] = [0.16, 0.15, 0.19, 0.18, 0.15, 0.22, 0.11, 0.14];
/** Appendix B.1 annual drifts, in FACTOR_ORDER. */
export const ANNUAL_DRIFT: readonly number[] = [0.08, 0.07, 0.09, 0.08, 0.08, 0.07, 0.06, 0.02];

/** Appendix B.1 correlation matrix C (row-major, FACTOR_ORDER). Positive definite. */
export const REALISTIC_CORRELATION: readonly number[] = [
  1.0, 0.9, 0.93, 0.85, 0.95, 0.8, 0.85, -0.2,
  0.9, 1.0, 0.75, 0.7, 0.85, 0.8, 0.82, -0.15,
  0.93, 0.75, 1.0, 0.85, 0.88, 0.72, 0.72, -0.2,
  0.85, 0.7, 0.85, 1.0, 0.82, 0.68, 0.72, -0.15,
  0.95, 0.85, 0.88, 0.82, 1.0, 0.75, 0.85, -0.18,
  0.8, 0.8, 0.72, 0.68, 0.75, 1.0, 0.65, -0.2,
  0.85, 0.82, 0.72, 0.72, 0.85, 0.65, 1.0, -0.05,
  -0.2, -0.15, -0.2, -0.15, -0.18, -0.2, -0.05, 1.0,
];

export const TRADING_DAYS_PER_YEAR = 252;

export interface FactorModel {
  readonly profile: SyntheticProfile;
  /** Daily mean returns. */
  readonly mu: Float64Array;
  /** Daily standard deviations. */
  readonly sigma: Float64Array;
  /** Daily covariance, row-major 8 x 8. */
  readonly covariance: Float64Array;
  /** Lower-triangular Cholesky factor of the covariance, row-major 8 x 8. */
  readonly cholesky: Float64Array;
}

export function correlationMatrix(profile: SyntheticProfile): readonly number[] {
  if (profile === 'realistic') return REALISTIC_CORRELATION;
  const id: number[] = new Array<number>(FACTOR_COUNT * FACTOR_COUNT).fill(0);
  for (let i = 0; i < FACTOR_COUNT; i++) id[i * FACTOR_COUNT + i] = 1;
  return id;
}

/** Builds mu, sigma, Sigma and L for a profile. Throws if Sigma is not positive definite (a bug). */
export function buildFactorModel(profile: SyntheticProfile): FactorModel {
  const n = FACTOR_COUNT;
  const c = correlationMatrix(profile);
  const sqrtYear = Math.sqrt(TRADING_DAYS_PER_YEAR);
  const sigma = Float64Array.from(ANNUAL_VOLATILITY, (v) => v / sqrtYear);
  const mu = Float64Array.from(ANNUAL_DRIFT, (d) => d / TRADING_DAYS_PER_YEAR);
  const cov = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cov[i * n + j] = sigma[i]! * c[i * n + j]! * sigma[j]!;
  const l = cholesky(cov, n);
  if (!l) throw new Error(`factor covariance of profile ${profile} is not positive definite`);
  return { profile, mu, sigma, covariance: cov, cholesky: l };
}
