import * as ss from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { clipBeta } from '../../../core/calc/beta-cap';
import { olsSimple, type OlsFit } from '../../../core/calc/ols';
import { expectClose } from '../../support/calc-assert';
import { normalSeries, seededRng } from '../../support/calc-random';

function fitOf(x: ArrayLike<number>, y: ArrayLike<number>, n?: number): OlsFit {
  const r = olsSimple(x, y, n);
  if (!r.ok) throw new Error(`expected a fit, got ${r.reason}`);
  return r;
}

describe('simple OLS (SPEC.md d.5)', () => {
  it('hand-computed: x = 1..5, y = 2,4,5,4,5', () => {
    // x̄ = 3, ȳ = 4, Sxx = 10, Sxy = 6 → β = 0.6, α = 2.2; SSE = 2.4, SST = 6 → R² = 0.6;
    // se = √(2.4/3/10) = √0.08; t = 3/√2; p from the ν = 3 closed form
    // F(t) = ½ + (1/π)[u/(1 + u²) + atan u], u = t/√3.
    const f = fitOf([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]);
    expectClose(f.beta, 0.6, 1e-15);
    expectClose(f.alpha, 2.2, 1e-15);
    expectClose(f.sse, 2.4, 1e-14);
    expectClose(f.sst, 6, 1e-15);
    expectClose(f.rSquared, 0.6, 1e-14);
    expectClose(f.stdError, Math.sqrt(0.08), 1e-14);
    expectClose(f.tStat, 3 / Math.SQRT2, 1e-14);
    const u = 3 / Math.SQRT2 / Math.sqrt(3);
    const cdf = 0.5 + (u / (1 + u * u) + Math.atan(u)) / Math.PI;
    expectClose(f.pValue, 2 * (1 - cdf), 1e-12);
    expect(f.observations).toBe(5);
  });

  it('agrees with simple-statistics linearRegression and rSquared (independent), rel 1e-9', () => {
    const rng = seededRng(7);
    for (const n of [3, 30, 63, 90, 250]) {
      const x = normalSeries(rng, n, 0.0004, 0.011);
      const noise = normalSeries(rng, n, 0, 0.015);
      const y = x.map((v, i) => 0.0002 + 1.17 * v + noise[i]!);
      const data = Array.from(x, (v, i) => [v, y[i]!]);
      const ref = ss.linearRegression(data);
      const f = fitOf(x, y);
      expectClose(f.beta, ref.m, 1e-9);
      expectClose(f.alpha, ref.b, 1e-9, 1e-15);
      expectClose(f.rSquared, ss.rSquared(data, ss.linearRegressionLine(ref)), 1e-9);
    }
  });

  it('y = 1.3 x: beta 1.3, alpha 0, R² 1, se 0, p 0 (invariant)', () => {
    const x = normalSeries(seededRng(3), 50, 0, 0.01);
    const y = x.map((v) => 1.3 * v);
    const f = fitOf(x, y);
    expectClose(f.beta, 1.3, 1e-12);
    expectClose(f.alpha, 0, 0, 1e-16);
    expectClose(f.rSquared, 1, 1e-12);
    expect(f.stdError).toBeLessThan(1e-14);
    expect(f.pValue).toBeLessThan(1e-12);
  });

  it('swapping in a shifted and scaled x scales beta inversely (affine invariant)', () => {
    const rng = seededRng(5);
    const x = normalSeries(rng, 40);
    const y = normalSeries(rng, 40);
    const a = fitOf(x, y);
    const b = fitOf(
      x.map((v) => 3 * v + 10),
      y,
    );
    expectClose(b.beta, a.beta / 3, 1e-10);
    expectClose(b.rSquared, a.rSquared, 1e-10);
    expectClose(b.pValue, a.pValue, 1e-8);
  });

  it('uses only the first n values', () => {
    const f = fitOf([1, 2, 3, 4, 5, 99], [2, 4, 5, 4, 5, -99], 5);
    expectClose(f.beta, 0.6, 1e-15);
  });

  it('bad inputs return coded reasons, never throw', () => {
    expect(olsSimple([1, 2], [1, 2])).toEqual({ ok: false, reason: 'insufficient_observations' });
    expect(olsSimple([2, 2, 2, 2], [1, 2, 3, 4])).toEqual({ ok: false, reason: 'zero_variance' });
    // A constant x whose mean is rounded (0.1 × 7) still counts as zero variance.
    expect(olsSimple(new Float64Array(7).fill(0.1), [1, 2, 3, 4, 5, 6, 7])).toMatchObject({ reason: 'zero_variance' });
    expect(olsSimple([1, NaN, 3, 4], [1, 2, 3, 4])).toEqual({ ok: false, reason: 'non_finite_input' });
    expect(olsSimple([1, 2, 3, 4], [1, 2, Infinity, 4])).toEqual({ ok: false, reason: 'non_finite_input' });
  });

  it('xScale: rounding noise left by subtracting two equal return series counts as zero variance', () => {
    // Returns p_t/p_(t−1) − 1 are rounded at the scale of 1 (ulp 2.2e−16); two identical paths at
    // different price levels differ by that much.
    const noise = [2.2e-16, 0, -1.1e-16, 0, 2.2e-16, -2.2e-16];
    const y = [0.01, -0.02, 0.005, 0.0, 0.013, -0.007];
    expect(olsSimple(noise, y).ok).toBe(true); // on its own scale the noise looks like data
    expect(olsSimple(noise, y, 6, 1)).toEqual({ ok: false, reason: 'zero_variance' });
    // Genuine returns are far above the bound.
    expect(olsSimple([0.01, -0.004, 0.002, 0.0], [1, 2, 3, 4], 4, 1).ok).toBe(true);
  });

  it('constant y: R² 0, beta 0, p 1', () => {
    const f = fitOf([1, 2, 3, 4], [0.3, 0.3, 0.3, 0.3]);
    expect(f.rSquared).toBe(0);
    expectClose(f.beta, 0, 0, 1e-15);
    expectClose(f.pValue, 1, 0, 1e-12);
  });
});

describe('beta cap (SPEC.md d.5)', () => {
  it('clips to [−5, 5] and zeroes non-finite values', () => {
    expect([7, -7, 4.99, -5, 0].map((b) => clipBeta(b))).toEqual([5, -5, 4.99, -5, 0]);
    expect([NaN, Infinity, -Infinity].map((b) => clipBeta(b))).toEqual([0, 0, 0]);
    expect(clipBeta(2.5, 2)).toBe(2);
  });
});
