import { Matrix, SingularValueDecomposition, solve } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { leastSquaresQr, type LeastSquaresFit } from '../../../core/calc/qr';
import { expectAllClose, expectClose } from '../../support/calc-assert';
import { normalSeries, seededRng } from '../../support/calc-random';

function fitOf(...args: Parameters<typeof leastSquaresQr>): LeastSquaresFit {
  const r = leastSquaresQr(...args);
  if (!r.ok) throw new Error(`expected a fit, got ${r.reason}`);
  return r;
}

function designWithIntercept(cols: readonly ArrayLike<number>[], n: number): Matrix {
  return new Matrix(Array.from({ length: n }, (_, i) => [1, ...cols.map((c) => c[i]!)]));
}

describe('Householder QR least squares', () => {
  it('hand-computed: exact quadratic y = 1 + 2x + 3x² through 4 points', () => {
    const x = [0, 1, 2, 3];
    const f = fitOf([x, x.map((v) => v * v)], x.map((v) => 1 + 2 * v + 3 * v * v));
    expectAllClose(f.coefficients, [1, 2, 3], 1e-13, 1e-13);
    expect(f.rank).toBe(3);
    expectClose(f.rSquared, 1, 1e-14);
  });

  it('matches an SVD least-squares solve (ml-matrix, independent algorithm), rel 1e-9', () => {
    const rng = seededRng(21);
    for (const [n, p] of [
      [40, 3],
      [150, 3],
      [150, 7],
    ] as const) {
      const cols = Array.from({ length: p }, () => normalSeries(rng, n, 0.2, 0.1));
      const y = normalSeries(rng, n);
      const svd = new SingularValueDecomposition(designWithIntercept(cols, n), { autoTranspose: true });
      const ref = svd.solve(Matrix.columnVector(Array.from(y))).to1DArray();
      const f = fitOf(cols, y);
      expectAllClose(f.coefficients, ref, 1e-9, 1e-12);
    }
  });

  it('matches the normal equations on a well-conditioned design, rel 1e-9', () => {
    const rng = seededRng(22);
    const n = 80;
    const cols = [normalSeries(rng, n), normalSeries(rng, n), normalSeries(rng, n)];
    const y = cols[0]!.map((v, i) => 0.5 + 0.3 * v - 0.7 * cols[1]![i]! + 0.1 * cols[2]![i]! + 0.05 * rng.normal());
    const X = designWithIntercept(cols, n);
    const ref = solve(X.transpose().mmul(X), X.transpose().mmul(Matrix.columnVector(Array.from(y)))).to1DArray();
    const f = fitOf(cols, y);
    expectAllClose(f.coefficients, ref, 1e-9, 1e-12);
    // R² from the definition with the reference coefficients.
    const fitted = X.mmul(Matrix.columnVector(ref)).to1DArray();
    const my = y.reduce((a, b) => a + b, 0) / n;
    const sse = fitted.reduce((a, v, i) => a + (y[i]! - v) ** 2, 0);
    const sst = y.reduce((a, v) => a + (v - my) ** 2, 0);
    expectClose(f.rSquared, 1 - sse / sst, 1e-9);
  });

  it('stays accurate on an ill-conditioned design where the normal equations lose digits', () => {
    // Columns x and x + 1e-6·u: cond(X) ≈ 1e6, cond(XᵀX) ≈ 1e12. True coefficients [1, 2, −1].
    const rng = seededRng(23);
    const n = 100;
    const x = normalSeries(rng, n);
    const u = normalSeries(rng, n);
    const x2 = x.map((v, i) => v + 1e-6 * u[i]!);
    const y = x.map((v, i) => 1 + 2 * v - x2[i]!);
    const f = fitOf([x, x2], y);
    expectAllClose(f.coefficients, [1, 2, -1], 1e-7, 1e-7);
  });

  it('flags an exactly duplicated column as aliased and fits the rest (rank tolerance)', () => {
    const rng = seededRng(24);
    const n = 60;
    const a = normalSeries(rng, n);
    const b = normalSeries(rng, n);
    const y = a.map((v, i) => 0.2 + v + 0.5 * b[i]! + 0.01 * rng.normal());
    const f = fitOf([a, a, b], y);
    expect(f.rank).toBe(3);
    expect(f.aliased).toEqual([false, false, true, false]);
    expect(f.coefficients[2]).toBe(0);
    const g = fitOf([a, b], y);
    expectAllClose([f.coefficients[0]!, f.coefficients[1]!, f.coefficients[3]!], g.coefficients, 1e-10, 1e-12);
  });

  it('a constant or zero column is aliased with the intercept; all-zero data fits with rank 1', () => {
    const f = fitOf([[0, 0, 0, 0], [5, 5, 5, 5]], [0, 0, 0, 0]);
    expect(f.rank).toBe(1);
    expect(f.aliased).toEqual([false, true, true]);
    expect(Array.from(f.coefficients)).toEqual([0, 0, 0]);
    expect(f.rSquared).toBe(0);
  });

  it('without intercept', () => {
    const f = fitOf([[1, 2, 3]], [2, 4, 6], 3, { intercept: false });
    expectAllClose(f.coefficients, [2], 1e-15);
  });

  it('bad inputs return coded reasons', () => {
    expect(leastSquaresQr([[1, 2]], [1, 2], 2)).toMatchObject({ ok: true });
    expect(leastSquaresQr([[1, 2, 3], [1, 1, 2]], [1, 2], 2)).toEqual({ ok: false, reason: 'insufficient_observations' });
    expect(leastSquaresQr([[1, NaN, 3]], [1, 2, 3])).toEqual({ ok: false, reason: 'non_finite_input' });
    expect(leastSquaresQr([], [], 0)).toEqual({ ok: false, reason: 'insufficient_observations' });
  });
});
