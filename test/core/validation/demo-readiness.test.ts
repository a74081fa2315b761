import { describe, expect, it } from 'vitest';
import { demoReadiness, type DemoReadinessInput } from '../../../core/validation/demo-readiness';

const portfolios = [16, 30, 30, 12, 9].map((n, i) => ({ id: `p${i}`, expectedName: `P${i}`, expectedPositions: n, foundName: `P${i}`, foundPositions: n }));
const full: DemoReadinessInput = {
  portfolios,
  counts: { optionMarksWithGreeks: 8, positionFactorExposures: 100, correlationCalculations: 4, portfolioSnapshots: 5, marketDataSymbols: 55, positions: 97 },
  freshnessDays: 1,
  coveredLots: 97,
  activeLots: 97,
};

describe('demo readiness (SPEC.md i.3)', () => {
  it('a complete, fresh, covered demo scores 1.0 READY', () => {
    const r = demoReadiness(full);
    expect(r.readiness).toBeCloseTo(1, 12);
    expect(r).toMatchObject({ label: 'READY', ready: true, completenessLabel: 'COMPLETE', positionsExpected: 97 });
  });

  it('hand-computed partial score: 2 portfolios missing, stale prices, 50% coverage, 3/6 counts', () => {
    const r = demoReadiness({
      portfolios: portfolios.map((p, i) => (i < 2 ? { ...p, foundName: null, foundPositions: 0 } : p)),
      counts: { ...full.counts, optionMarksWithGreeks: 0, positionFactorExposures: 0, correlationCalculations: 0 },
      freshnessDays: 40,
      coveredLots: 1,
      activeLots: 2,
    });
    // 0.3*3/5 + 0.2*51/97 + 0.3*0.5 + 0.1*0.5 + 0.1*0.5
    const want = 0.3 * 0.6 + 0.2 * (51 / 97) + 0.15 + 0.05 + 0.05;
    expect(r.readiness).toBeCloseTo(want, 8); // the score is rounded to 1e-9
    expect(r.label).toBe('NOT READY');
    expect(r.completenessLabel).toBe('INSUFFICIENT');
    expect(r.freshnessLabel).toBe('stale');
    expect(r.recommendations).toHaveLength(4);
  });

  it('label boundaries are not moved by float noise: 0.3 + 0.2 + 0.3 x 4/6 + 0.2 = 0.9 is READY; completeness 4/6 is PARTIAL', () => {
    const r = demoReadiness({ ...full, counts: { ...full.counts, optionMarksWithGreeks: 0, correlationCalculations: 0 } });
    expect(r.completenessLabel).toBe('PARTIAL');
    expect(r.readiness).toBeCloseTo(0.3 + 0.2 + 0.3 * (4 / 6) + 0.1 + 0.1, 12);
    expect(r.label).toBe('READY');
    const mostly = demoReadiness({ ...full, coveredLots: 0, freshnessDays: 8, counts: { ...full.counts, optionMarksWithGreeks: 0, correlationCalculations: 0 } });
    expect(mostly.readiness).toBeCloseTo(0.75, 12); // 0.5 + 0.2 + 0.05 + 0
    expect(mostly).toMatchObject({ label: 'MOSTLY READY', ready: true });
  });
});
