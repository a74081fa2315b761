import { describe, expect, it } from 'vitest';
import { FACTOR_ORDER } from '../../../market-data/synthetic/factor-model';
import { drawStockParams, SECTOR_NAMES } from '../../../market-data/synthetic/stock-params';

const idx = (etf: string): number => FACTOR_ORDER.indexOf(etf as 'SPY');
const STYLE = ['VTV', 'VUG', 'MTUM', 'QUAL', 'IWM', 'USMV'];
const SYMBOLS = Array.from({ length: 3000 }, (_, i) => `T${i}`);

function meanSd(xs: number[]): [number, number] {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
  return [m, Math.sqrt(v)];
}

describe('drawStockParams: reference values', () => {
  // Provenance: test/fixtures/synthetic/path_reference.py (independent Python), lines
  // "AAPL sector ... / AAPL loadings ..." of both profiles. 1e-14 relative: normals may differ
  // in the last bit between libms (see the fixture README).
  it('AAPL, realistic', () => {
    const p = drawStockParams(42, 'AAPL', 'realistic');
    const want = [0.9821044362248832, -0.17711401196771348, 0.01104801504132463, -0.004913156806638489,
      0.1764551542344232, -0.13517927703722915, -0.254685040455287, -0.07211633287560633];
    want.forEach((w, i) => expect(Math.abs(p.loadings[i]! - w)).toBeLessThanOrEqual(1e-14 * Math.abs(w)));
    expect(p.alphaDaily).toBeCloseTo(-0.0004176165088342818, 17);
    expect(p.idioVolAnnual).toBe(0.24102284517246164); // from a uniform: exact
    expect(p.drawnSector).toBe('Energy');
    expect(p.shape).toBeNull();
  });

  it('AAPL and ZZZ, independent: both drew the rates shape', () => {
    const a = drawStockParams(42, 'AAPL', 'independent');
    expect(a.shape).toEqual({ kind: 'rates' });
    expect(Array.from(a.loadings)).toEqual([0, 0, 0, 0, 0, 0, 0, 0.48072640896117]);
    expect(a.alphaDaily).toBe(0);
    expect(a.idioVolAnnual).toBe(0.05);
    const z = drawStockParams(42, 'ZZZ', 'independent');
    expect(z.loadings[idx('TLT')]).toBe(0.41977370480450826);
    expect(z.drawnSector).toBe('Industrials');
  });
});

describe('drawStockParams: distributions over 3,000 symbols (SPEC.md e.9)', () => {
  it('realistic: SPY ~ N(1, 0.25²), styles ~ N(0, 0.15²), TLT ~ N(0, 0.10²), alpha ~ N(0, 0.0002²), idio ~ U(0.15, 0.40)', () => {
    const ps = SYMBOLS.map((s) => drawStockParams(42, s, 'realistic'));
    // se(mean) = sd/sqrt(3000) = 0.018 sd; se(sd) = 0.013 sd; tolerances are about 5 se.
    const [mSpy, sSpy] = meanSd(ps.map((p) => p.loadings[idx('SPY')]!));
    expect(Math.abs(mSpy - 1)).toBeLessThan(0.025);
    expect(Math.abs(sSpy - 0.25)).toBeLessThan(0.017);
    for (const e of STYLE) {
      const [m, s] = meanSd(ps.map((p) => p.loadings[idx(e)]!));
      expect(Math.abs(m)).toBeLessThan(0.015);
      expect(Math.abs(s - 0.15)).toBeLessThan(0.01);
    }
    const [mT, sT] = meanSd(ps.map((p) => p.loadings[idx('TLT')]!));
    expect(Math.abs(mT)).toBeLessThan(0.01);
    expect(Math.abs(sT - 0.1)).toBeLessThan(0.007);
    const [mA, sA] = meanSd(ps.map((p) => p.alphaDaily));
    expect(Math.abs(mA)).toBeLessThan(0.00002);
    expect(Math.abs(sA - 0.0002)).toBeLessThan(0.000014);
    const idio = ps.map((p) => p.idioVolAnnual);
    expect(Math.min(...idio)).toBeGreaterThanOrEqual(0.15);
    expect(Math.max(...idio)).toBeLessThanOrEqual(0.4);
    expect(Math.abs(meanSd(idio)[0] - 0.275)).toBeLessThan(0.007);
  });

  it('independent: four shapes with equal odds and the loadings each shape allows', () => {
    const ps = SYMBOLS.map((s) => drawStockParams(42, s, 'independent'));
    const counts: Record<string, number> = {};
    const spreads: Record<string, number> = {};
    for (const p of ps) {
      expect(p.alphaDaily).toBe(0);
      expect(p.idioVolAnnual).toBe(0.05);
      const shape = p.shape!;
      counts[shape.kind] = (counts[shape.kind] ?? 0) + 1;
      const nonZero = FACTOR_ORDER.filter((_, i) => p.loadings[i] !== 0);
      if (shape.kind === 'market') {
        expect(nonZero).toEqual(['SPY']);
        expect(p.loadings[0]! > 0.5 && p.loadings[0]! <= 1.5).toBe(true);
      } else if (shape.kind === 'rates') {
        expect(nonZero).toEqual(['TLT']);
        expect(Math.abs(p.loadings[7]!)).toBeLessThanOrEqual(1);
      } else if (shape.kind === 'style') {
        expect(nonZero).toEqual(STYLE);
        for (const e of STYLE) expect(Math.abs(p.loadings[idx(e)]!)).toBeLessThanOrEqual(1);
      } else {
        spreads[shape.spread] = (spreads[shape.spread] ?? 0) + 1;
        expect(nonZero.length).toBe(2);
        const total = Array.from(p.loadings).reduce((a, b) => a + b, 0);
        expect(total).toBe(0); // b on the long ETF, -b on the short ETF
      }
    }
    // Expected 750 each; se = sqrt(3000 · 0.25 · 0.75) = 24.
    for (const k of ['market', 'rates', 'style', 'spread']) expect(Math.abs(counts[k]! - 750)).toBeLessThan(120);
    expect(Object.keys(spreads).sort()).toEqual(['Growth-Value Spread', 'Momentum Spread', 'Quality Spread', 'Size Spread']);
  });

  it('the drawn sector is the first draw: identical under both profiles, and every sector occurs', () => {
    const seen = new Set<string>();
    for (const s of SYMBOLS.slice(0, 500)) {
      const a = drawStockParams(42, s, 'realistic').drawnSector;
      expect(drawStockParams(42, s, 'independent').drawnSector).toBe(a);
      seen.add(a);
    }
    expect([...seen].sort()).toEqual([...SECTOR_NAMES].sort());
  });

  it('depends on the seed', () => {
    expect(drawStockParams(1, 'AAPL', 'realistic').loadings).not.toEqual(drawStockParams(2, 'AAPL', 'realistic').loadings);
  });
});
