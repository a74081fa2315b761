import { Matrix, solve } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { choleskySolve } from '../../../core/calc/cholesky';
import { leastSquaresQr } from '../../../core/calc/qr';
import { ridgeStandardized, type RidgeFit } from '../../../core/calc/ridge';
import { expectAllClose, expectClose } from '../../support/calc-assert';
import { normalSeries, seededRng } from '../../support/calc-random';

function fitOf(...args: Parameters<typeof ridgeStandardized>): RidgeFit {
  const r = ridgeStandardized(...args);
  if (!r.ok) throw new Error(`expected a fit, got ${r.reason}`);
  return r;
}

/**
 * Independent formulation: with centred raw columns Xc and D = diag(σ_f),
 * the standardised ridge equals β = (XcᵀXc + α D²)⁻¹ Xcᵀ yc (substitute z = Xc D⁻¹, β = D⁻¹ w).
 * Solved here with ml-matrix's LU solve.
 */
function ridgeReference(y: Float64Array, xs: Float64Array[], alpha: number): number[] {
  const n = y.length;
  const centre = (v: Float64Array) => {
    const m = v.reduce((a, b) => a + b, 0) / n;
    return Array.from(v, (e) => e - m);
  };
  const Xc = new Matrix(xs.map(centre)).transpose();
  const yc = Matrix.columnVector(centre(y));
  const d2 = xs.map((x) => centre(x).reduce((a, e) => a + e * e, 0) / n);
  const lhs = Xc.transpose().mmul(Xc).add(Matrix.diag(d2.map((v) => alpha * v)));
  return solve(lhs, Xc.transpose().mmul(yc)).to1DArray();
}

describe('Cholesky solve', () => {
  it('solves a hand-made SPD system: [[4,2],[2,3]] x = [2,1] → x = [0.5, 0]', () => {
    expectAllClose(choleskySolve([4, 2, 2, 3], 2, [2, 1])!, [0.5, 0], 1e-15, 1e-15);
  });
  it('returns null for a matrix that is not positive definite', () => {
    expect(choleskySolve([1, 2, 2, 1], 2, [1, 1])).toBeNull();
    expect(choleskySolve([0, 0, 0, 0], 2, [1, 1])).toBeNull();
    expect(choleskySolve([NaN, 0, 0, 1], 2, [1, 1])).toBeNull();
  });
});

describe('ridge on standardised factors (SPEC.md d.7)', () => {
  it('hand-computed one-factor case: x = 1..4, y = 1,3,2,4, α = 1', () => {
    // σ² = 1.25 (population), Sxy = 4, Sxx = 5: β = Sxy / (Sxx + α σ²) = 4 / 6.25 = 0.64.
    // Fitted (x − 2.5)·0.64, residuals ±0.54, ±0.82: SSE = 1.928, SST = 5, R² = 0.6144.
    const f = fitOf([1, 3, 2, 4], [[1, 2, 3, 4]], 4, { minObservations: 2 });
    expectClose(f.betas[0], 0.64, 1e-14);
    expectClose(f.rSquared, 0.6144, 1e-13);
    expectClose(f.factorStd[0], Math.sqrt(1.25), 1e-15);
  });

  it('matches the raw-scale formula (XcᵀXc + α D²)⁻¹ Xcᵀ yc solved by LU, rel 1e-9', () => {
    const rng = seededRng(31);
    const n = 84;
    const xs = Array.from({ length: 6 }, (_, f) => normalSeries(rng, n, 0.0003 * f, 0.008 + 0.002 * f));
    const y = xs[0]!.map((v, i) => 0.6 * v + 0.4 * xs[2]![i]! - 0.3 * xs[5]![i]! + 0.01 * rng.normal());
    const f = fitOf(y, xs, n);
    const ref = ridgeReference(y, xs, 1);
    expectAllClose(f.betasUnclipped, ref, 1e-9);
  });

  it('α → 0 approaches the OLS fit with intercept (invariant)', () => {
    const rng = seededRng(32);
    const n = 60;
    const xs = Array.from({ length: 3 }, () => normalSeries(rng, n, 0, 0.01));
    const y = xs[0]!.map((v, i) => 1.2 * v - 0.8 * xs[1]![i]! + 0.005 * rng.normal());
    const ols = leastSquaresQr(xs, y);
    if (!ols.ok) throw new Error('ols failed');
    const r = fitOf(y, xs, n, { alpha: 1e-10 });
    expectAllClose(r.betasUnclipped, Array.from(ols.coefficients.subarray(1)), 1e-8);
    expectClose(r.rSquared, ols.rSquared, 1e-9);
  });

  it('a constant factor column gets beta 0 and leaves the others as if it were absent', () => {
    const rng = seededRng(33);
    const n = 40;
    const a = normalSeries(rng, n, 0, 0.01);
    const b = normalSeries(rng, n, 0, 0.01);
    const flat = new Float64Array(n).fill(0.001);
    const y = a.map((v, i) => v + 0.5 * b[i]! + 0.002 * rng.normal());
    const withFlat = fitOf(y, [a, flat, b], n);
    const without = fitOf(y, [a, b], n);
    expect(withFlat.betas[1]).toBe(0);
    expect(withFlat.factorStd[1]).toBe(0);
    expectAllClose([withFlat.betas[0]!, withFlat.betas[2]!], without.betas, 1e-12);
    expectClose(withFlat.rSquared, without.rSquared, 1e-12);
  });

  it('noiseScale 1: a factor of rounding noise (~1e−16 returns) counts as constant', () => {
    const rng = seededRng(37);
    const n = 40;
    const a = normalSeries(rng, n, 0, 0.01);
    const noise = Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 2.2e-16 : i % 3 === 1 ? -1.1e-16 : 0));
    const y = a.map((v) => v + 0.002 * rng.normal());
    expect(fitOf(y, [a, noise], n).factorStd[1]).toBeGreaterThan(0); // judged on its own scale
    const f = fitOf(y, [a, noise], n, { noiseScale: 1 });
    expect(f.factorStd[1]).toBe(0);
    expect(f.betas[1]).toBe(0);
  });

  it('clips betas to [−5, 5] but reports the unclipped ones too', () => {
    const rng = seededRng(34);
    const n = 50;
    const x = normalSeries(rng, n, 0, 0.01);
    const y = x.map((v) => 40 * v);
    const f = fitOf(y, [x], n);
    expect(f.betas[0]).toBe(5);
    expect(f.betasUnclipped[0]!).toBeGreaterThan(30);
  });

  it('constant y: all betas 0, R² 0', () => {
    const rng = seededRng(35);
    const xs = [normalSeries(rng, 40), normalSeries(rng, 40)];
    const f = fitOf(new Float64Array(40).fill(0.002), xs, 40);
    expectAllClose(f.betas, [0, 0], 0, 1e-15);
    expect(f.rSquared).toBe(0);
  });

  it('bad inputs return coded reasons', () => {
    const rng = seededRng(36);
    const xs = Array.from({ length: 6 }, () => normalSeries(rng, 29));
    expect(ridgeStandardized(normalSeries(rng, 29), xs)).toEqual({ ok: false, reason: 'insufficient_observations' });
    // n > p is required even with a lower minimum.
    expect(ridgeStandardized([1, 2, 3], [[1, 2, 3], [3, 1, 2], [2, 2, 1]], 3, { minObservations: 1 })).toMatchObject({
      reason: 'insufficient_observations',
    });
    const bad = normalSeries(rng, 40);
    bad[3] = NaN;
    expect(ridgeStandardized(normalSeries(rng, 40), [bad], 40)).toEqual({ ok: false, reason: 'non_finite_input' });
    // α = 0 with a constant column is singular.
    expect(ridgeStandardized(normalSeries(rng, 40), [new Float64Array(40)], 40, { alpha: 0 })).toEqual({
      ok: false,
      reason: 'not_positive_definite',
    });
  });
});
