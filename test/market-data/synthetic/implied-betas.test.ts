import { Matrix, solve } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { buildFactorModel, FACTOR_ORDER } from '../../../market-data/synthetic/factor-model';
import { impliedBetas } from '../../../market-data/synthetic/implied-betas';

const N = 8;
const idx = (etf: string): number => FACTOR_ORDER.indexOf(etf as 'SPY');
const loadings = (entries: Record<string, number>): Float64Array => {
  const b = new Float64Array(N);
  for (const [k, v] of Object.entries(entries)) b[idx(k)] = v;
  return b;
};
const asMap = (rows: readonly { name: string; value: number }[]): Record<string, number> =>
  Object.fromEntries(rows.map((r) => [r.name, r.value]));

const realistic = buildFactorModel('realistic');
const independent = buildFactorModel('independent');

describe('implied betas: names and order', () => {
  it('lists the regressions the engine runs, with factors.json names', () => {
    expect(impliedBetas(loadings({ SPY: 1 }), realistic).map((b) => b.name)).toEqual([
      'Market Beta (90D)', 'IR Beta',
      'Value', 'Growth', 'Momentum', 'Quality', 'Size', 'Low Volatility',
      'Growth-Value Spread', 'Momentum Spread', 'Size Spread', 'Quality Spread',
    ]);
  });
});

describe('implied betas: hand-computed values, profile realistic', () => {
  // Daily covariances are sigma_i rho_ij sigma_j / 252; the 1/252 cancels in every ratio.
  it.each([
    ['SPY', 'Market Beta (90D)', 1],
    ['VTV', 'Market Beta (90D)', (0.9 * 0.15) / 0.16], // 0.84375
    ['TLT', 'Market Beta (90D)', (-0.2 * 0.14) / 0.16], // -0.175
    ['SPY', 'IR Beta', (-0.2 * 0.16) / 0.14], // -0.228571
    ['TLT', 'IR Beta', 1],
    // VUG on VUG - VTV: (0.19² - 0.75·0.19·0.15) / (0.19² + 0.15² - 2·0.75·0.19·0.15) = 0.014725 / 0.01585
    ['VUG', 'Growth-Value Spread', 0.014725 / 0.01585],
  ])('%s: %s = %f', (etf, factor, expected) => {
    expect(asMap(impliedBetas(loadings({ [etf]: 1 }), realistic))[factor]).toBeCloseTo(expected, 12);
  });

  it('a style ETF regressed on the six style ETFs has coefficient 1 on itself and 0 elsewhere', () => {
    const m = asMap(impliedBetas(loadings({ MTUM: 1 }), realistic));
    expect(m['Momentum']).toBeCloseTo(1, 12);
    for (const f of ['Value', 'Growth', 'Quality', 'Size', 'Low Volatility']) expect(m[f]).toBeCloseTo(0, 12);
  });
});

describe('implied betas: a realistic stock against ml-matrix', () => {
  it('matches cov/var and Sigma_XX⁻¹ Sigma_Xr computed with ml-matrix', () => {
    const b = loadings({ SPY: 1.13, VTV: -0.2, VUG: 0.11, MTUM: 0.05, QUAL: -0.07, IWM: 0.18, USMV: 0.02, TLT: -0.09 });
    const S = new Matrix(Array.from({ length: N }, (_, i) => Array.from(realistic.covariance.slice(i * N, i * N + N))));
    const sb = S.mmul(Matrix.columnVector(Array.from(b))).to1DArray();
    const got = asMap(impliedBetas(b, realistic));
    expect(got['Market Beta (90D)']).toBeCloseTo(sb[idx('SPY')]! / S.get(0, 0), 12);
    expect(got['IR Beta']).toBeCloseTo(sb[idx('TLT')]! / S.get(7, 7), 12);
    const style = ['VTV', 'VUG', 'MTUM', 'QUAL', 'IWM', 'USMV'].map(idx);
    const sxx = new Matrix(style.map((i) => style.map((j) => S.get(i, j))));
    const coef = solve(sxx, Matrix.columnVector(style.map((i) => sb[i]!))).to1DArray();
    ['Value', 'Growth', 'Momentum', 'Quality', 'Size', 'Low Volatility'].forEach((name, k) => {
      expect(got[name]).toBeCloseTo(coef[k]!, 10);
    });
    const w = new Array<number>(N).fill(0);
    w[idx('IWM')] = 1;
    w[idx('SPY')] = -1;
    const wv = Matrix.columnVector(w);
    const num = Matrix.columnVector(Array.from(b)).transpose().mmul(S).mmul(wv).get(0, 0);
    const den = wv.transpose().mmul(S).mmul(wv).get(0, 0);
    expect(got['Size Spread']).toBeCloseTo(num / den, 12);
  });

  it('is linear in the loadings', () => {
    const b1 = loadings({ SPY: 0.8, TLT: 0.3 });
    const b2 = loadings({ VUG: -0.4, QUAL: 0.6 });
    const sum = loadings({ SPY: 0.8, TLT: 0.3, VUG: -0.4, QUAL: 0.6 });
    const a = impliedBetas(b1, realistic);
    const c = impliedBetas(b2, realistic);
    impliedBetas(sum, realistic).forEach((r, k) => expect(r.value).toBeCloseTo(a[k]!.value + c[k]!.value, 12));
  });
});

describe('implied betas: profile independent isolates each regression', () => {
  it('market shape: Market Beta = the SPY loading, IR Beta and ridge 0', () => {
    const m = asMap(impliedBetas(loadings({ SPY: 1.2 }), independent));
    expect(m['Market Beta (90D)']).toBeCloseTo(1.2, 14);
    expect(m['IR Beta']).toBe(0);
    for (const f of ['Value', 'Growth', 'Momentum', 'Quality', 'Size', 'Low Volatility']) expect(m[f]).toBeCloseTo(0, 14);
    // Momentum Spread = cov(1.2 SPY, MTUM - SPY) / var(MTUM - SPY) = -1.2·0.16² / (0.18² + 0.16²)
    expect(m['Momentum Spread']).toBeCloseTo((-1.2 * 0.16 ** 2) / (0.18 ** 2 + 0.16 ** 2), 12);
  });

  it('style shape: ridge coefficients = the six loadings', () => {
    const b = { VTV: 0.3, VUG: -0.7, MTUM: 0.5, QUAL: -0.1, IWM: 0.9, USMV: -0.4 };
    const m = asMap(impliedBetas(loadings(b), independent));
    expect(m['Value']).toBeCloseTo(0.3, 12);
    expect(m['Growth']).toBeCloseTo(-0.7, 12);
    expect(m['Momentum']).toBeCloseTo(0.5, 12);
    expect(m['Quality']).toBeCloseTo(-0.1, 12);
    expect(m['Size']).toBeCloseTo(0.9, 12);
    expect(m['Low Volatility']).toBeCloseTo(-0.4, 12);
  });

  it('spread shape: the drawn spread recovers b', () => {
    const m = asMap(impliedBetas(loadings({ IWM: 0.6, SPY: -0.6 }), independent));
    expect(m['Size Spread']).toBeCloseTo(0.6, 12);
  });
});
