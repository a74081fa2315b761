import { describe, expect, it } from 'vitest';
import {
  marketBetaSnapshotStats,
  portfolioFactorBeta,
  providerBeta,
  signedWeight,
} from '../../../core/calc/factor-aggregation';
import { expectClose } from '../../support/calc-assert';

describe('portfolio factor beta (SPEC.md d.9)', () => {
  // Hand-computed: E = 100,000; weights 0.5, −0.2, 0.3 (the last without a beta).
  // β_p = 0.5 × 1.2 − 0.2 × 0.8 = 0.44; coverage = 0.7 / 1.0; exposure_dollar = 44,000.00.
  const lots = [
    { marketValue: 50_000, beta: 1.2 },
    { marketValue: -20_000, beta: 0.8 },
    { marketValue: 30_000, beta: null },
  ];

  it('signed weights, beta, coverage and dollar exposure', () => {
    const r = portfolioFactorBeta(lots, 100_000);
    if (!r.ok) throw new Error(r.reason);
    expectClose(r.beta, 0.44, 1e-15);
    expectClose(r.coverage, 0.7, 1e-15);
    expect(r.coverageWarning).toBe(true);
    expect(r.exposureDollar).toBe(44_000);
    expect(r.lotsWithBeta).toBe(2);
    expect(r.lotsWithoutBeta).toBe(1);
  });

  it('weights need not sum to 1: a levered book doubles the beta (invariant)', () => {
    const a = portfolioFactorBeta([{ marketValue: 100, beta: 1.1 }], 100);
    const b = portfolioFactorBeta([{ marketValue: 200, beta: 1.1 }], 100);
    if (!a.ok || !b.ok) throw new Error('failed');
    expectClose(b.beta, 2 * a.beta, 1e-15);
    expect(a.coverageWarning).toBe(false);
  });

  it('E ≤ 0 or not finite: non_positive_equity', () => {
    for (const e of [0, -5, NaN]) expect(portfolioFactorBeta(lots, e)).toEqual({ ok: false, reason: 'non_positive_equity' });
    expect(signedWeight(10, 0)).toBeNull();
    expect(signedWeight(10, 40)).toBe(0.25);
  });

  it('no lots: beta 0, coverage null; non-finite values are ignored', () => {
    const r = portfolioFactorBeta([], 10);
    expect(r).toMatchObject({ ok: true, beta: 0, coverage: null, coverageWarning: true });
    const s = portfolioFactorBeta([{ marketValue: NaN, beta: 1 }, { marketValue: 10, beta: NaN }], 10);
    expect(s).toMatchObject({ ok: true, beta: 0, coverage: 0, lotsWithBeta: 0, lotsWithoutBeta: 1 });
  });
});

describe('market beta snapshot fields (SPEC.md d.9)', () => {
  it('R² weighted by |MV| and the minimum observations', () => {
    // (50,000 × 0.5 + 20,000 × 0.2) / 70,000 = 29,000 / 70,000.
    const s = marketBetaSnapshotStats([
      { marketValue: 50_000, rSquared: 0.5, observations: 80 },
      { marketValue: -20_000, rSquared: 0.2, observations: 60 },
    ]);
    expectClose(s.rSquared, 29 / 70, 1e-15);
    expect(s.observations).toBe(60);
    expect(marketBetaSnapshotStats([])).toEqual({ rSquared: null, observations: null });
  });
});

describe('provider beta (SPEC.md d.9)', () => {
  it('profile beta, else OLS of D, else the latest OLS before D; LONG/SHORT with MV ≠ 0 only', () => {
    // Σ MV β = 10,000 × 1.5 − 5,000 × 0.9 + 3,000 × 1.1 = 13,800; / E 20,000 = 0.69.
    const r = providerBeta(
      [
        { positionType: 'LONG', marketValue: 10_000, profileBeta: 1.5, olsBetaOnDate: 0.7, olsBetaBefore: null },
        { positionType: 'SHORT', marketValue: -5_000, profileBeta: null, olsBetaOnDate: 0.9, olsBetaBefore: 2 },
        { positionType: 'LONG', marketValue: 3_000, profileBeta: 0, olsBetaOnDate: null, olsBetaBefore: 1.1 },
        { positionType: 'LC', marketValue: 7_000, profileBeta: 1.3, olsBetaOnDate: null, olsBetaBefore: null },
        { positionType: 'LONG', marketValue: 0, profileBeta: 1.3, olsBetaOnDate: null, olsBetaBefore: null },
        { positionType: 'LONG', marketValue: 2_000, profileBeta: null, olsBetaOnDate: null, olsBetaBefore: null },
      ],
      20_000,
    );
    if (!r.ok) throw new Error(r.reason);
    expectClose(r.beta, 0.69, 1e-15);
    expect(r.exposureDollar).toBe(13_800);
    expect(r.lotsUsed).toBe(3);
    expect(r.sources).toEqual({ profile: 1, ols_on_date: 1, ols_before: 1 });
  });

  it('no qualifying lot, or zero equity', () => {
    expect(providerBeta([], 100)).toEqual({ ok: false, reason: 'no_qualifying_lots' });
    const lot = { positionType: 'LONG', marketValue: 10, profileBeta: 1, olsBetaOnDate: null, olsBetaBefore: null } as const;
    expect(providerBeta([lot], 0)).toEqual({ ok: false, reason: 'non_positive_equity' });
  });
});
