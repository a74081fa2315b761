/**
 * Symbol-level betas (SPEC.md d.6 market/IR OLS, d.7 ridge style factors, d.8 spreads), checked
 * against a second, deliberately naive alignment written here (filter the common valid days
 * with plain arrays, then compute returns) feeding the already-tested fitting routines.
 */
import { describe, expect, it } from 'vitest';
import { createAlignWorkspace } from '../../../core/calc/align';
import { olsSimple } from '../../../core/calc/ols';
import { ridgeStandardized } from '../../../core/calc/ridge';
import { spreadBetas, type SpreadConfig } from '../../../core/calc/spread-betas';
import { styleFactorBetas, type StyleFactorConfig } from '../../../core/calc/style-betas';
import { DEFAULT_SYMBOL_OLS_CONFIG, symbolOlsBeta } from '../../../core/calc/symbol-ols-beta';
import { expectAllClose, expectClose } from '../../support/calc-assert';
import { normalSeries, pricesFromReturns, seededRng, type Rng } from '../../support/calc-random';

const SPREADS: SpreadConfig = {
  definitions: [
    { name: 'Growth-Value Spread', long: 'VUG', short: 'VTV' },
    { name: 'Momentum Spread', long: 'MTUM', short: 'SPY' },
    { name: 'Size Spread', long: 'IWM', short: 'SPY' },
    { name: 'Quality Spread', long: 'QUAL', short: 'SPY' },
  ],
  alignedEtfs: ['VUG', 'VTV', 'MTUM', 'QUAL', 'IWM', 'SPY'],
  minObservations: 60,
  betaCap: 5,
};

const STYLE: StyleFactorConfig = {
  factors: [
    { name: 'Value', etf: 'VTV' },
    { name: 'Growth', etf: 'VUG' },
    { name: 'Momentum', etf: 'MTUM' },
    { name: 'Quality', etf: 'QUAL' },
    { name: 'Size', etf: 'IWM' },
    { name: 'Low Volatility', etf: 'USMV' },
  ],
  alpha: 1,
  minObservations: 30,
  betaCap: 5,
};

const ETFS = ['SPY', 'VTV', 'VUG', 'MTUM', 'QUAL', 'IWM', 'USMV', 'TLT'] as const;

interface Market {
  days: number;
  etf: Record<string, Float64Array>;
  symbol: Float64Array;
}

/** ETF prices driven by a common market factor, and a symbol with a known loading, with gaps. */
function market(rng: Rng, days: number, gapEvery = 0): Market {
  const m = normalSeries(rng, days - 1, 0.0004, 0.01);
  const etf: Record<string, Float64Array> = {};
  ETFS.forEach((name, k) => {
    const own = normalSeries(rng, days - 1, 0, 0.004 + 0.001 * k);
    etf[name] = pricesFromReturns(
      m.map((v, i) => (name === 'TLT' ? -0.2 : 0.9 + 0.05 * k) * v + own[i]!),
      50 + 10 * k,
    );
  });
  const vug = etf.VUG!;
  const vtv = etf.VTV!;
  const spy = etf.SPY!;
  const idio = normalSeries(rng, days - 1, 0, 0.008);
  const r = idio.map((e, i) => {
    const rm = spy[i + 1]! / spy[i]! - 1;
    const gv = vug[i + 1]! / vug[i]! - 1 - (vtv[i + 1]! / vtv[i]! - 1);
    return 1.2 * rm + 0.6 * gv + e;
  });
  const symbol = pricesFromReturns(r, 120);
  if (gapEvery > 0) {
    for (let d = 3; d < days; d += gapEvery) symbol[d] = NaN;
    for (let d = 5; d < days; d += gapEvery + 2) etf.SPY![d] = 0;
  }
  return { days, etf, symbol };
}

/** Naive alignment: plain arrays, the rule of d.5 written out directly. */
function naiveReturns(series: Float64Array[], from: number, to: number): number[][] {
  const keep: number[] = [];
  for (let d = from; d <= to; d++) if (series.every((s) => Number.isFinite(s[d]!) && s[d]! > 0)) keep.push(d);
  return series.map((s) => keep.slice(1).map((d, i) => s[d]! / s[keep[i]!]! - 1));
}

describe('symbol OLS beta (SPEC.md d.6)', () => {
  const mk = market(seededRng(41), 90, 7);
  const range = { from: 0, to: 89 };

  it('equals OLS on a naively aligned table, rel 1e-12', () => {
    const res = symbolOlsBeta(mk.symbol, mk.etf.SPY!, range);
    if (!res.ok) throw new Error(res.reason);
    const [y, x] = naiveReturns([mk.symbol, mk.etf.SPY!], 0, 89);
    const ref = olsSimple(x!, y!);
    if (!ref.ok) throw new Error(ref.reason);
    expect(res.observations).toBe(x!.length);
    expectClose(res.beta, ref.beta, 1e-12);
    expectClose(res.alpha, ref.alpha, 1e-12, 1e-18);
    expectClose(res.rSquared, ref.rSquared, 1e-12);
    expectClose(res.stdError, ref.stdError, 1e-12);
    expectClose(res.pValue, ref.pValue, 1e-9, 1e-300);
    // The generated loading is 1.2 on SPY plus 0.6 × (VUG − VTV), whose SPY exposure is small.
    expect(res.beta).toBeGreaterThan(0.8);
    expect(res.beta).toBeLessThan(1.6);
  });

  it('scaling either price series leaves the fit unchanged (invariant), rel 1e-9', () => {
    const a = symbolOlsBeta(mk.symbol, mk.etf.SPY!, range);
    const b = symbolOlsBeta(
      mk.symbol.map((p) => p * 3.7),
      mk.etf.SPY!.map((p) => p * 0.01),
      range,
    );
    if (!a.ok || !b.ok) throw new Error('fit failed');
    expectClose(b.beta, a.beta, 1e-9);
    expectClose(b.rSquared, a.rSquared, 1e-9);
    expectClose(b.pValue, a.pValue, 1e-8, 1e-300);
  });

  it('a workspace gives identical results', () => {
    const ws = createAlignWorkspace(8, 400);
    expect(symbolOlsBeta(mk.symbol, mk.etf.TLT!, range, DEFAULT_SYMBOL_OLS_CONFIG, ws)).toEqual(
      symbolOlsBeta(mk.symbol, mk.etf.TLT!, range),
    );
  });

  it('minimum 30 observations: 29 fail with the count, 30 succeed', () => {
    const clean = market(seededRng(42), 40);
    const r29 = symbolOlsBeta(clean.symbol, clean.etf.SPY!, { from: 0, to: 29 });
    expect(r29).toEqual({ ok: false, reason: 'insufficient_observations', observations: 29 });
    expect(symbolOlsBeta(clean.symbol, clean.etf.SPY!, { from: 0, to: 30 })).toMatchObject({ ok: true, observations: 30 });
  });

  it('y = 1.3 × benchmark returns: beta 1.3, R² 1; 8 × is clipped to 5 with the raw beta kept', () => {
    const bench = pricesFromReturns(normalSeries(seededRng(43), 60, 0, 0.01));
    const scaled = (k: number) => {
      const r = Array.from({ length: 60 }, (_, i) => k * (bench[i + 1]! / bench[i]! - 1));
      return pricesFromReturns(r, 10);
    };
    const a = symbolOlsBeta(scaled(1.3), bench, { from: 0, to: 60 });
    if (!a.ok) throw new Error(a.reason);
    expectClose(a.beta, 1.3, 1e-12);
    expectClose(a.rSquared, 1, 1e-12);
    const b = symbolOlsBeta(scaled(8), bench, { from: 0, to: 60 });
    if (!b.ok) throw new Error(b.reason);
    expect(b.beta).toBe(5);
    expectClose(b.betaUnclipped, 8, 1e-12);
  });

  it('flat benchmark, flat symbol, NaN-only data', () => {
    const flat = new Float64Array(60).fill(42);
    const moving = pricesFromReturns(normalSeries(seededRng(44), 59, 0, 0.01));
    expect(symbolOlsBeta(moving, flat, { from: 0, to: 59 })).toEqual({ ok: false, reason: 'zero_variance', observations: 59 });
    const flatSymbol = symbolOlsBeta(flat, moving, { from: 0, to: 59 });
    expect(flatSymbol).toMatchObject({ ok: true, beta: 0, rSquared: 0 });
    const none = new Float64Array(60).fill(NaN);
    expect(symbolOlsBeta(none, moving, { from: 0, to: 59 })).toEqual({
      ok: false,
      reason: 'insufficient_observations',
      observations: 0,
    });
  });
});

describe('spread betas (SPEC.md d.8)', () => {
  const mk = market(seededRng(51), 150, 9);
  const range = { from: 0, to: 149 };

  it('four OLS fits on r_long − r_short over the 7-series aligned table; mean R²', () => {
    const res = spreadBetas(mk.symbol, mk.etf, range, SPREADS);
    if (!res.ok) throw new Error(res.reason);
    const cols = naiveReturns([mk.symbol, ...SPREADS.alignedEtfs.map((e) => mk.etf[e]!)], 0, 149);
    const col = (e: string) => cols[1 + SPREADS.alignedEtfs.indexOf(e)]!;
    expect(res.observations).toBe(cols[0]!.length);
    let r2 = 0;
    SPREADS.definitions.forEach((d, i) => {
      const spread = col(d.long).map((v, j) => v - col(d.short)[j]!);
      const ref = olsSimple(spread, cols[0]!);
      if (!ref.ok) throw new Error(ref.reason);
      const got = res.factors[i]!;
      if (!got.ok) throw new Error(got.reason);
      expect(got.name).toBe(d.name);
      expectClose(got.betaUnclipped, ref.beta, 1e-12);
      expectClose(got.rSquared, ref.rSquared, 1e-12);
      r2 += ref.rSquared;
    });
    expectClose(res.rSquared, r2 / 4, 1e-12);
    // The symbol was built with 0.6 × (VUG − VTV).
    const gv = res.factors[0]!;
    expect(gv.ok && gv.beta > 0.2).toBe(true);
  });

  it('a zero-variance spread fails alone; the R² mean covers the others', () => {
    // Same path as VUG at another price level: the spread is rounding noise (~1e−18), not a signal.
    const etf = { ...mk.etf, VTV: mk.etf.VUG!.map((p) => p * 0.37) };
    const res = spreadBetas(mk.symbol, etf, range, SPREADS);
    if (!res.ok) throw new Error(res.reason);
    expect(res.factors[0]).toEqual({ name: 'Growth-Value Spread', ok: false, reason: 'zero_variance' });
    const okR2 = res.factors.flatMap((f) => (f.ok ? [f.rSquared] : []));
    expect(okR2.length).toBe(3);
    expectClose(res.rSquared, okR2.reduce((a, b) => a + b, 0) / 3, 1e-14);
  });

  it('every spread flat: zero_variance; fewer than 60 returns: insufficient_observations', () => {
    const same = Object.fromEntries(ETFS.map((e) => [e, mk.etf.SPY!])); // every spread is identically 0
    expect(spreadBetas(mk.symbol, same, range, SPREADS)).toMatchObject({ ok: false, reason: 'zero_variance' });
    const clean = market(seededRng(52), 80);
    expect(spreadBetas(clean.symbol, clean.etf, { from: 0, to: 59 }, SPREADS)).toEqual({
      ok: false,
      reason: 'insufficient_observations',
      observations: 59,
    });
    expect(spreadBetas(clean.symbol, clean.etf, { from: 0, to: 60 }, SPREADS)).toMatchObject({ ok: true, observations: 60 });
  });

  it('a missing ETF series is a programming error', () => {
    const { SPY: _spy, ...rest } = mk.etf;
    expect(() => spreadBetas(mk.symbol, rest, range, SPREADS)).toThrow(RangeError);
  });
});

describe('ridge style betas (SPEC.md d.7)', () => {
  const mk = market(seededRng(61), 90, 11);
  const range = { from: 0, to: 89 };

  it('equals the ridge fit on a naively aligned 7-series table, rel 1e-12', () => {
    const res = styleFactorBetas(mk.symbol, mk.etf, range, STYLE);
    if (!res.ok) throw new Error(res.reason);
    const cols = naiveReturns([mk.symbol, ...STYLE.factors.map((f) => mk.etf[f.etf]!)], 0, 89);
    const ref = ridgeStandardized(cols[0]!, cols.slice(1));
    if (!ref.ok) throw new Error(ref.reason);
    expect(res.observations).toBe(cols[0]!.length);
    expect(res.factors.map((f) => f.name)).toEqual(STYLE.factors.map((f) => f.name));
    expectAllClose(
      res.factors.map((f) => f.beta),
      Array.from(ref.betas),
      1e-12,
      1e-15,
    );
    expectClose(res.rSquared, ref.rSquared, 1e-12);
  });

  it('scaling prices leaves the style betas unchanged (invariant), rel 1e-9', () => {
    const a = styleFactorBetas(mk.symbol, mk.etf, range, STYLE);
    const scaledEtf = Object.fromEntries(Object.entries(mk.etf).map(([k, v]) => [k, v.map((p) => p * 0.37)]));
    const b = styleFactorBetas(mk.symbol.map((p) => p * 12), scaledEtf, range, STYLE);
    if (!a.ok || !b.ok) throw new Error('fit failed');
    expectAllClose(
      b.factors.map((f) => f.beta),
      a.factors.map((f) => f.beta),
      1e-9,
      1e-14,
    );
  });

  it('fewer than 30 returns: insufficient_observations with the count', () => {
    const clean = market(seededRng(62), 40);
    expect(styleFactorBetas(clean.symbol, clean.etf, { from: 0, to: 29 }, STYLE)).toEqual({
      ok: false,
      reason: 'insufficient_observations',
      observations: 29,
    });
  });

  it('a constant factor ETF gives that factor beta 0', () => {
    const etf = { ...mk.etf, USMV: new Float64Array(90).fill(70) };
    const res = styleFactorBetas(mk.symbol, etf, range, STYLE);
    if (!res.ok) throw new Error(res.reason);
    expect(res.factors[5]).toEqual({ name: 'Low Volatility', beta: 0, betaUnclipped: 0 });
  });
});
