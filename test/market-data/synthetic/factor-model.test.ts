import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import {
  ANNUAL_DRIFT,
  ANNUAL_VOLATILITY,
  buildFactorModel,
  FACTOR_ORDER,
  REALISTIC_CORRELATION,
} from '../../../market-data/synthetic/factor-model';
import { generateFactorReturns } from '../../../market-data/synthetic/factor-returns';
import { TRADING_DAY_COUNT } from '../../../core/calendar/trading-calendar';

const N = 8;

describe('Appendix B factor model', () => {
  it('uses the Appendix B order, volatilities and drifts', () => {
    expect(FACTOR_ORDER).toEqual(['SPY', 'VTV', 'VUG', 'MTUM', 'QUAL', 'IWM', 'USMV', 'TLT']);
    expect(ANNUAL_VOLATILITY).toEqual([0.16, 0.15, 0.19, 0.18, 0.15, 0.22, 0.11, 0.14]);
    expect(ANNUAL_DRIFT).toEqual([0.08, 0.07, 0.09, 0.08, 0.08, 0.07, 0.06, 0.02]);
  });

  it('C is symmetric with a unit diagonal, and positive definite (smallest eigenvalue about 0.019)', () => {
    for (let i = 0; i < N; i++) {
      expect(REALISTIC_CORRELATION[i * N + i]).toBe(1);
      for (let j = 0; j < N; j++) expect(REALISTIC_CORRELATION[i * N + j]).toBe(REALISTIC_CORRELATION[j * N + i]);
    }
    // Oracle: ml-matrix's symmetric eigen-decomposition (an independent algorithm).
    const c = new Matrix(Array.from({ length: N }, (_, i) => REALISTIC_CORRELATION.slice(i * N, i * N + N)));
    const smallest = Math.min(...new EigenvalueDecomposition(c, { assumeSymmetric: true }).realEigenvalues);
    expect(smallest).toBeGreaterThan(0.015);
    expect(smallest).toBeLessThan(0.023);
  });

  it.each(['realistic', 'independent'] as const)('%s: the Cholesky factor exists, is lower triangular and L Lᵀ = Sigma', (profile) => {
    const m = buildFactorModel(profile);
    const l = m.cholesky;
    for (let i = 0; i < N; i++) {
      expect(l[i * N + i]).toBeGreaterThan(0);
      for (let j = i + 1; j < N; j++) expect(l[i * N + j]).toBe(0);
    }
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < N; k++) s += l[i * N + k]! * l[j * N + k]!;
        expect(Math.abs(s - m.covariance[i * N + j]!)).toBeLessThan(1e-18);
      }
    }
  });

  it('daily sigma = annual / sqrt(252) and daily mu = annual drift / 252 (SPY: 0.16/15.8745 = 0.0100791)', () => {
    const m = buildFactorModel('realistic');
    expect(m.sigma[0]).toBeCloseTo(0.16 / Math.sqrt(252), 15);
    expect(m.sigma[0]).toBeCloseTo(0.0100791, 7);
    expect(m.mu[7]).toBeCloseTo(0.02 / 252, 15);
    // Sigma_SPY,TLT = sigma_SPY * (-0.20) * sigma_TLT
    expect(m.covariance[7]).toBeCloseTo((0.16 * -0.2 * 0.14) / 252, 15);
  });

  it('independent: Sigma is diagonal and L = diag(sigma)', () => {
    const m = buildFactorModel('independent');
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) expect(m.cholesky[i * N + j]).toBe(i === j ? m.sigma[i] : 0);
    }
  });
});

describe('generated factor returns over the whole calendar (7,800 days)', () => {
  it.each(['realistic', 'independent'] as const)('%s: sample volatilities and correlations match the model', (profile) => {
    const m = buildFactorModel(profile);
    const f = generateFactorReturns(42, m, TRADING_DAY_COUNT);
    const n = TRADING_DAY_COUNT;
    const mean = new Array<number>(N).fill(0);
    for (let t = 0; t < n; t++) for (let i = 0; i < N; i++) mean[i]! += f[t * N + i]! / n;
    const cov = new Array<number>(N * N).fill(0);
    for (let t = 0; t < n; t++) {
      for (let i = 0; i < N; i++) {
        for (let j = 0; j < N; j++) cov[i * N + j]! += ((f[t * N + i]! - mean[i]!) * (f[t * N + j]! - mean[j]!)) / (n - 1);
      }
    }
    const target = profile === 'realistic' ? REALISTIC_CORRELATION : Array.from({ length: N * N }, (_, k) => (k % (N + 1) === 0 ? 1 : 0));
    for (let i = 0; i < N; i++) {
      // se of a sample sd is sigma/sqrt(2n) = 0.8 %; allow 4 %.
      expect(Math.abs(Math.sqrt(cov[i * N + i]!) / m.sigma[i]! - 1)).toBeLessThan(0.04);
      for (let j = 0; j < N; j++) {
        const r = cov[i * N + j]! / Math.sqrt(cov[i * N + i]! * cov[j * N + j]!);
        // se of a sample correlation is (1 - rho²)/sqrt(n) <= 0.0113; allow 0.05.
        expect(Math.abs(r - target[i * N + j]!)).toBeLessThan(0.05);
      }
    }
  });

  it('days 0 and 4 equal the Python reference (mu + L z, z = normals 8t .. 8t+7)', () => {
    const m = buildFactorModel('realistic');
    const f = generateFactorReturns(42, m, 5);
    // Provenance: test/fixtures/synthetic/path_reference.py (pure-Python Cholesky and the same
    // summation order: mu first, then L z term by term), lines "f 0" and "f 4" of profile realistic.
    // Python's libm (glibc) and V8's fdlibm-derived Math.log/sin/cos differ in the last bit for
    // about 6 % of arguments, so the cross-language comparison allows 1e-14 relative (~45 ulp).
    const expectClose = (got: ArrayLike<number>, want: number[]): void => {
      want.forEach((w, i) => expect(Math.abs(got[i]! - w)).toBeLessThanOrEqual(1e-14 * Math.abs(w)));
    };
    expectClose(f.slice(0, 8), [
      0.01864404099851038, 0.016864607169186085, 0.020822118761529857, 0.024947373518510507,
      0.019377752691152828, 0.02662649069449701, 0.013633064734865478, -0.005130750722749423,
    ]);
    expectClose(f.slice(32, 40), [
      0.0007367341115247292, -0.00821321474992835, 0.00698678286209237, 0.004571852425631807,
      0.0004271040934135906, 0.00701959083938278, 0.0010723423271580589, -0.0019841786112611047,
    ]);
  });
});
