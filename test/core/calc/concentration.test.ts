import { describe, expect, it } from 'vitest';
import { concentration } from '../../../core/calc/concentration';
import { sectorBucket, sectorExposure } from '../../../core/calc/sector-exposure';
import { expectClose } from '../../support/calc-assert';

describe('concentration (SPEC.md d.13)', () => {
  it('hand-computed: lots of one symbol aggregate; shorts count by |MV|', () => {
    // AAPL 30 + 20 = 50, MSFT |−30| = 30, XOM 20: W = 100, w = 0.5, 0.3, 0.2.
    // hhi = (0.25 + 0.09 + 0.04) × 10,000 = 3,800; effective = 10,000 / 3,800; top 3 = 1.
    const c = concentration([
      { symbol: 'AAPL', marketValue: 30 },
      { symbol: 'AAPL', marketValue: 20 },
      { symbol: 'MSFT', marketValue: -30 },
      { symbol: 'XOM', marketValue: 20 },
    ]);
    if (!c.ok) throw new Error(c.reason);
    expectClose(c.hhi, 3_800, 1e-14);
    expectClose(c.effectiveNumPositions, 10_000 / 3_800, 1e-14);
    expectClose(c.top3Concentration, 1, 1e-15);
    expectClose(c.top10Concentration, 1, 1e-15);
    expect(c.symbolCount).toBe(3);
    expect(c.grossValue).toBe(100);
  });

  it('n equal positions: hhi = 10,000 / n, effective = n, top-3 = 3/n (invariant)', () => {
    for (const n of [1, 4, 12, 40]) {
      const c = concentration(Array.from({ length: n }, (_, i) => ({ symbol: `S${i}`, marketValue: 1_000 })));
      if (!c.ok) throw new Error(c.reason);
      expectClose(c.hhi, 10_000 / n, 1e-12);
      expectClose(c.effectiveNumPositions, n, 1e-12);
      expectClose(c.top3Concentration, Math.min(3, n) / n, 1e-12);
      expectClose(c.top10Concentration, Math.min(10, n) / n, 1e-12);
    }
  });

  it('W = 0 is not applicable; non-finite values are ignored', () => {
    expect(concentration([])).toEqual({ ok: false, reason: 'zero_gross_value' });
    expect(concentration([{ symbol: 'A', marketValue: 0 }])).toEqual({ ok: false, reason: 'zero_gross_value' });
    expect(concentration([{ symbol: 'A', marketValue: NaN }, { symbol: 'B', marketValue: 5 }])).toMatchObject({ ok: true, hhi: 10_000 });
  });
});

describe('sector exposure (SPEC.md d.13)', () => {
  it('bucket rules', () => {
    expect(sectorBucket({ investmentClass: 'PRIVATE', isEtf: null, sector: 'Technology' })).toBe('Unclassified');
    expect(sectorBucket({ investmentClass: 'OPTIONS', isEtf: null, sector: null })).toBe('Unclassified');
    expect(sectorBucket({ investmentClass: 'PUBLIC', isEtf: true, sector: 'Technology' })).toBe('ETFs');
    expect(sectorBucket({ investmentClass: 'PUBLIC', isEtf: false, sector: '  Healthcare ' })).toBe('Healthcare');
    expect(sectorBucket({ investmentClass: 'PUBLIC', isEtf: null, sector: '   ' })).toBeNull();
    expect(sectorBucket({ investmentClass: 'PUBLIC', isEtf: null, sector: null })).toBeNull();
  });

  it('hand-computed weights: |MV| per bucket / equity', () => {
    // E = 200: Technology (50 + |−30|) / 200 = 0.4; ETFs 40 / 200 = 0.2; Unclassified 10 / 200 = 0.05;
    // a public lot without sector or ETF flag is left out.
    const r = sectorExposure(
      [
        { investmentClass: 'PUBLIC', marketValue: 50, isEtf: false, sector: 'Technology' },
        { investmentClass: 'PUBLIC', marketValue: -30, isEtf: false, sector: 'Technology ' },
        { investmentClass: 'PUBLIC', marketValue: 40, isEtf: true, sector: null },
        { investmentClass: 'OPTIONS', marketValue: 10, isEtf: null, sector: null },
        { investmentClass: 'PUBLIC', marketValue: 70, isEtf: null, sector: null },
      ],
      200,
    );
    if (!r.ok) throw new Error(r.reason);
    expect(r.exposure).toEqual({ ETFs: 0.2, Technology: 0.4, Unclassified: 0.05 });
    expect(Object.keys(r.exposure)).toEqual(['ETFs', 'Technology', 'Unclassified']);
    expect(r.leftOutLots).toBe(1);
  });

  it('E ≤ 0 gives non_positive_equity', () => {
    expect(sectorExposure([], 0)).toEqual({ ok: false, reason: 'non_positive_equity' });
    expect(sectorExposure([], -1)).toEqual({ ok: false, reason: 'non_positive_equity' });
  });
});
