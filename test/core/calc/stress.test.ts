import * as ss from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../core/domain/iso-date';
import {
  DEFAULT_EWMA_CORRELATION,
  ewmaCorrelationMatrix,
  factorCorrelationMatrix,
  type FactorCorrelationMatrix,
} from '../../../core/calc/ewma-correlation';
import { matrixAt, squareMatrix } from '../../../core/calc/square-matrix';
import {
  exposureDollars,
  latestExposures,
  runStressScenario,
  scenariosToTest,
  stressPortfolioValue,
  stressSummary,
  type FactorExposureRow,
  type StressConfig,
  type StressResult,
  type StressScenario,
} from '../../../core/calc/stress';
import { expectAllClose, expectClose } from '../../support/calc-assert';
import { normalSeries, pricesFromReturns, seededRng } from '../../support/calc-random';

const D = '2025-09-30' as IsoDate;

/** The name maps and defaults of stress-scenarios.json (configuration, scenario_factor_to_exposure, exposure_to_matrix_factor). */
const CONFIG: StressConfig = {
  rateFactor: 'Interest_Rate',
  scenarioFactorToExposure: {
    Market: 'Market Beta (90D)',
    Value: 'Value',
    Growth: 'Growth',
    Momentum: 'Momentum',
    Quality: 'Quality',
    Size: 'Size',
    'Low Volatility': 'Low Volatility',
    Interest_Rate: 'IR Beta',
  },
  exposureToMatrixFactor: {
    'Market Beta (90D)': 'Market',
    Value: 'Value',
    Growth: 'Growth',
    Momentum: 'Momentum',
    Quality: 'Quality',
    Size: 'Size',
    'Low Volatility': 'Low Volatility',
  },
  irShockMode: 'literal',
  tltDurationYears: 17,
  lossFloorFraction: 0.99,
  nonPositiveValueReplacement: 1.0,
  enableCrossCorrelations: true,
};

const MATRIX_FACTORS = ['Market', 'Value', 'Growth', 'Momentum', 'Quality', 'Size', 'Low Volatility', 'Interest Rate'];

/** Identity except ρ(Market, Value) = 0.8, ρ(Market, Growth) = 0.9, ρ(Value, Growth) = 0.6. */
function handMatrix(): FactorCorrelationMatrix {
  const n = MATRIX_FACTORS.length;
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) data[i * n + i] = 1;
  const set = (a: string, b: string, r: number) => {
    const i = MATRIX_FACTORS.indexOf(a);
    const j = MATRIX_FACTORS.indexOf(b);
    data[i * n + j] = r;
    data[j * n + i] = r;
  };
  set('Market', 'Value', 0.8);
  set('Market', 'Growth', 0.9);
  set('Value', 'Growth', 0.6);
  return { factors: MATRIX_FACTORS, matrix: squareMatrix(n, data), observations: 250 };
}

const row = (factorName: string, exposureValue: number, exposureDollar: number | null, date: string = D): FactorExposureRow => ({
  factorName,
  calculationDate: date as IsoDate,
  exposureValue,
  exposureDollar,
});

// E = 100,000, V = net exposure = 90,000. dollars: Market 110,000; IR −20,000; Value 0.3 V = 27,000
// (exposure_dollar null); Growth 0.5 V = 45,000 (exposure_dollar 0); Size Spread 40,000 (no matrix factor).
const EXPOSURES = new Map(
  [
    row('Market Beta (90D)', 1.1, 110_000),
    row('IR Beta', -0.2, -20_000),
    row('Value', 0.3, null),
    row('Growth', 0.5, 0),
    row('Size Spread', 0.4, 40_000),
  ].map((r) => [r.factorName, r]),
);
const PORTFOLIO = { netExposure: 90_000, equity: 100_000, exposures: EXPOSURES };

const scenario = (id: string, shocks: Record<string, number>): StressScenario => ({
  id,
  name: id,
  category: 'test',
  severity: 'base',
  shocks,
});

function tested(r: ReturnType<typeof runStressScenario>): StressResult {
  if (!r.tested) throw new Error(`skipped: ${r.reason}`);
  return r;
}

describe('EWMA factor correlation matrix (SPEC.md d.12)', () => {
  it('hand-computed with decay 0.5 on three rows', () => {
    // Weights oldest→latest 1/7, 2/7, 4/7; μa = 17/7, μb = 15/7;
    // cov = 28/343, var_a = 182/343, var_b = 140/343 → ρ = 28/√(182·140).
    const m = ewmaCorrelationMatrix([[1, 2, 3], [1, 3, 2]], 3, { ...DEFAULT_EWMA_CORRELATION, decay: 0.5, minObservations: 2 });
    expectClose(matrixAt(m, 0, 1), 28 / Math.sqrt(182 * 140), 1e-14);
    expect(matrixAt(m, 0, 0)).toBe(1);
  });

  it('decay 1 equals the ordinary sample correlation (simple-statistics), rel 1e-12', () => {
    const rng = seededRng(91);
    const a = normalSeries(rng, 60);
    const b = a.map((v) => 0.4 * v + 0.5 * rng.normal());
    const m = ewmaCorrelationMatrix([a, b], 60, { ...DEFAULT_EWMA_CORRELATION, decay: 1 });
    expectClose(matrixAt(m, 0, 1), ss.sampleCorrelation(Array.from(a), Array.from(b)), 1e-12);
  });

  it('recent rows dominate: a regime change flips the sign', () => {
    const rng = seededRng(92);
    const a = normalSeries(rng, 200);
    const b = a.map((v, i) => (i < 150 ? v : -v) + 0.1 * rng.normal());
    expect(matrixAt(ewmaCorrelationMatrix([a, b], 200), 0, 1)).toBeLessThan(-0.5);
  });

  it('clips to ±0.95; fewer than 30 rows gives the identity; a flat factor correlates 0', () => {
    const a = normalSeries(seededRng(93), 40);
    const m = ewmaCorrelationMatrix([a, a.map((v) => 2 * v), a.map((v) => -v), new Float64Array(40)], 40);
    expect(matrixAt(m, 0, 1)).toBe(0.95);
    expect(matrixAt(m, 0, 2)).toBe(-0.95);
    expect(matrixAt(m, 0, 3)).toBe(0);
    const small = ewmaCorrelationMatrix([a, a], 29);
    expectAllClose(small.data, [1, 0, 0, 1], 0);
  });

  it('factor matrix from ETF prices: aligned table of the 8 ETFs, m returned as data_days', () => {
    const rng = seededRng(94);
    const etfs = ['SPY', 'VTV', 'VUG', 'MTUM', 'QUAL', 'IWM', 'USMV', 'TLT'];
    const prices = Object.fromEntries(etfs.map((e) => [e, pricesFromReturns(normalSeries(rng, 100, 0, 0.01))]));
    prices.QUAL![50] = NaN;
    const factors = MATRIX_FACTORS.map((name, i) => ({ name, etf: etfs[i]! }));
    const f = factorCorrelationMatrix(factors, prices, { from: 0, to: 100 });
    expect(f.observations).toBe(99);
    expect(f.factors).toEqual(MATRIX_FACTORS);
    expect(f.matrix.size).toBe(8);
  });
});

describe('stress scenarios (SPEC.md d.12)', () => {
  it('market down 10 %: direct from the market exposure, correlated through Value and Growth', () => {
    // direct = 110,000 × −0.1 = −11,000.
    // correlated = −11,000 (Market, ρ 1) − 27,000 × 0.1 × 0.8 − 45,000 × 0.1 × 0.9 = −17,210.
    const r = tested(runStressScenario(scenario('market_down_10', { Market: -0.1 }), PORTFOLIO, handMatrix(), CONFIG, D));
    expectClose(r.directPnl, -11_000, 1e-12);
    expectClose(r.correlatedPnl, -17_210, 1e-12);
    expectClose(r.correlationEffect, -6_210, 1e-12);
    expect(r.factorImpacts).toEqual({ Market: { shock_pct: -10, direct_pnl: -11_000, exposure: 1.1, exposure_dollar: 110_000 } });
    expect(r.metadata).toEqual({
      scenario_name: 'market_down_10',
      category: 'test',
      severity: 'base',
      correlation_matrix_date: D,
      data_days: 250,
      portfolio_value: 90_000,
      equity: 100_000,
      exposure_dates: { 'Market Beta (90D)': D, Value: D, Growth: D },
      missing_factors: [],
      ir_shock_mode: 'literal',
    });
  });

  it('rates up 100 bp: E × β_IR × x (literal) and E × β_IR × (−17 x) (duration); uncorrelated', () => {
    // literal: 100,000 × −0.2 × 0.01 = −200; duration: 100,000 × −0.2 × (−0.17) = +3,400.
    const s = scenario('rates_up_100bp', { Interest_Rate: 0.01 });
    const lit = tested(runStressScenario(s, PORTFOLIO, handMatrix(), CONFIG, D));
    expectClose(lit.directPnl, -200, 1e-12);
    expectClose(lit.correlatedPnl, -200, 1e-12);
    expect(lit.correlationEffect).toBe(0);
    expect(lit.factorImpacts.Interest_Rate).toEqual({ shock_pct: 1, direct_pnl: -200, exposure: -0.2, exposure_dollar: -20_000 });
    const dur = tested(runStressScenario(s, PORTFOLIO, handMatrix(), { ...CONFIG, irShockMode: 'duration' }, D));
    expectClose(dur.directPnl, 3_400, 1e-12);
    expect(dur.metadata.ir_shock_mode).toBe('duration');
  });

  it('value rotation: two shocks, correlated sum over every mapped exposure', () => {
    // direct = 27,000 × 0.2 + 45,000 × −0.1 = 900.
    // correlated = 110,000 (0.2·0.8 − 0.1·0.9) + 27,000 (0.2 − 0.1·0.6) + 45,000 (0.2·0.6 − 0.1) = 12,380.
    const r = tested(
      runStressScenario(scenario('value_rotation_20', { Value: 0.2, Growth: -0.1 }), PORTFOLIO, handMatrix(), CONFIG, D),
    );
    expectClose(r.directPnl, 900, 1e-12);
    expectClose(r.correlatedPnl, 12_380, 1e-12);
    expect(Object.keys(r.factorImpacts)).toEqual(['Value', 'Growth']);
  });

  it('a missing factor contributes 0 and is listed; a scenario with no exposed factor is skipped', () => {
    const r = tested(
      runStressScenario(scenario('mixed', { Market: -0.2, Quality: 0.15 }), PORTFOLIO, handMatrix(), CONFIG, D),
    );
    expectClose(r.directPnl, -22_000, 1e-12);
    expect(r.metadata.missing_factors).toEqual(['Quality']);
    expect(runStressScenario(scenario('mom', { Momentum: 0.1 }), PORTFOLIO, handMatrix(), CONFIG, D)).toEqual({
      tested: false,
      scenarioId: 'mom',
      reason: 'no_exposed_factor',
    });
  });

  it('loss floor: direct and correlated never below −99 % of V; per-factor impacts unscaled (invariant)', () => {
    const big = { ...PORTFOLIO, exposures: new Map([['Market Beta (90D)', row('Market Beta (90D)', 3.3, 300_000)]]) };
    const r = tested(runStressScenario(scenario('crash', { Market: -0.35 }), big, handMatrix(), CONFIG, D));
    expect(r.directPnl).toBe(-0.99 * 90_000);
    expect(r.correlatedPnl).toBe(-0.99 * 90_000);
    expect(r.floored).toBe(true);
    expectClose(r.factorImpacts.Market!.direct_pnl, -105_000, 1e-12);
    expect(r.correlationEffect).toBe(0);
  });

  it('V ≤ 0 is replaced by 1.0; dollars(F) falls back to V × value', () => {
    expect(stressPortfolioValue(-5)).toBe(1);
    expect(stressPortfolioValue(0)).toBe(1);
    expect(stressPortfolioValue(250)).toBe(250);
    expect(exposureDollars(row('X', 0.5, null), 200)).toBe(100);
    expect(exposureDollars(row('X', 0.5, 0), 200)).toBe(100);
    expect(exposureDollars(row('X', 0.5, 42), 200)).toBe(42);
    const r = tested(
      runStressScenario(scenario('down', { Market: -0.1 }), { ...PORTFOLIO, netExposure: -10 }, handMatrix(), CONFIG, D),
    );
    expect(r.metadata.portfolio_value).toBe(1);
    expect(r.directPnl).toBe(-0.99);
  });

  it('cross-correlations disabled: correlated = direct', () => {
    const r = tested(
      runStressScenario(scenario('down', { Market: -0.1 }), PORTFOLIO, handMatrix(), { ...CONFIG, enableCrossCorrelations: false }, D),
    );
    expect(r.correlatedPnl).toBe(r.directPnl);
    expect(r.correlationEffect).toBe(0);
  });

  it('an exposure without a matrix factor enters the correlated sum only for its own name', () => {
    const config = { ...CONFIG, scenarioFactorToExposure: { ...CONFIG.scenarioFactorToExposure, 'Size Spread': 'Size Spread' } };
    const r = tested(runStressScenario(scenario('spread', { 'Size Spread': 0.1 }), PORTFOLIO, handMatrix(), config, D));
    // direct = 40,000 × 0.1; correlated adds 40,000 × 0.1 (name match) and, for matrix-mapped
    // exposures, ρ[Size Spread][M] = 0 (not a matrix factor).
    expectClose(r.directPnl, 4_000, 1e-12);
    expectClose(r.correlatedPnl, 4_000, 1e-12);
  });

  it('latest exposures: most recent row per factor among the 50 most recent rows dated ≤ D', () => {
    const rows = [
      row('Market Beta (90D)', 1.0, null, '2025-09-29'),
      row('Market Beta (90D)', 1.2, null, '2025-09-30'),
      row('Market Beta (90D)', 9.9, null, '2025-10-01'), // after D
      row('Value', 0.1, null, '2025-09-26'),
    ];
    const m = latestExposures(rows, D);
    expect(m.get('Market Beta (90D)')!.exposureValue).toBe(1.2);
    expect(m.get('Value')!.calculationDate).toBe('2025-09-26');
    // With a window of 2 rows, the older Value row falls outside.
    expect(latestExposures(rows, D, 2).has('Value')).toBe(false);
  });

  it('scenario selection honours include_inactive', () => {
    const all = [{ id: 'a', active: true }, { id: 'b', active: false }];
    expect(scenariosToTest(all, false).map((s) => s.id)).toEqual(['a']);
    expect(scenariosToTest(all, true).map((s) => s.id)).toEqual(['a', 'b']);
  });
});

describe('stress job summary (SPEC.md d.12 job metrics)', () => {
  it('worst, best, mean, median, sample std, mean effect, sign counts', () => {
    const results = [
      { correlatedPnl: -17_210, correlationEffect: -6_210 },
      { correlatedPnl: -200, correlationEffect: 0 },
      { correlatedPnl: 12_380, correlationEffect: 11_480 },
      { correlatedPnl: 900, correlationEffect: 0 },
    ];
    const s = stressSummary(results)!;
    expect(s.worstCorrelatedPnl).toBe(-17_210);
    expect(s.bestCorrelatedPnl).toBe(12_380);
    expectClose(s.meanCorrelatedPnl, -1_032.5, 1e-15);
    expect(s.medianCorrelatedPnl).toBe(350);
    expectClose(s.stdCorrelatedPnl, ss.sampleStandardDeviation(results.map((r) => r.correlatedPnl)), 1e-12);
    expectClose(s.meanCorrelationEffect, 1_317.5, 1e-15);
    expect([s.negativeScenarios, s.positiveScenarios]).toEqual([2, 2]);
    expect(stressSummary([])).toBeNull();
    expect(stressSummary([results[0]!])!.stdCorrelatedPnl).toBeNull();
  });
});
