import { describe, expect, it } from 'vitest';
import { reconcilePortfolioDate } from '../../../core/validation/reconciliation';
import { evaluateGuard, reportedRows, type GuardPortfolioDate } from '../../../core/validation/regression-guard';

const reconcile = reconcilePortfolioDate({
  portfolioId: 'p',
  portfolioName: 'P',
  date: '2025-07-02',
  snapshot: { totalValue: 100, cashValue: 0, dailyPnl: 0, cumulativePnl: 0, equityBalance: 100, dailyCapitalFlow: 0, grossExposure: 100, longValue: 100, shortValue: 0 },
  previous: null,
  initialEquity: 100,
  portfolioEquityBalance: 100,
  isLatestDate: false,
  lots: [{ positionId: 'l', symbol: 'X', mark: { priceSource: 'exact', marketValue: 100, priceDate: '2025-07-02' }, unmarked: null }],
  realizedToday: 0,
  closingPnlToday: 0,
  stale: false,
  importedWithoutMarks: false,
});

const pd = (over: Partial<GuardPortfolioDate> = {}): GuardPortfolioDate => ({
  portfolioId: 'p',
  portfolioName: 'P',
  date: '2025-07-02',
  lotsWithoutMark: [],
  latestMarkComputedAt: '2025-07-02T22:00:00.000000Z',
  analyticsComputedAt: '2025-07-02T22:00:01.000000Z',
  earliestAnalyticsRowAt: '2025-07-02T22:00:01.000000Z',
  analyticsStale: false,
  cacheMismatches: [],
  jobs: {
    market_beta: { success: true, reason: null, metrics: { rows_position_market_betas: 1, rows_factor_exposures: 1 } },
    provider_beta: { success: true, reason: null, metrics: { rows_factor_exposures: 1 } },
    volatility: { success: true, reason: null, metrics: { rows_position_volatility: 1 } },
    ridge_factors: { success: true, reason: null, metrics: { rows_position_factor_exposures: 6, rows_factor_exposures: 6 } },
    stress_tests: { success: false, reason: 'no_factor_exposures', metrics: {} },
  },
  rowCounts: { position_market_betas: 1, factor_exposures: 8, position_volatility: 1, position_factor_exposures: 6, stress_test_results: 0 },
  reconcile,
  ...over,
});

describe('regression guard (SPEC.md i.4)', () => {
  it('passes a consistent portfolio-date', () => {
    expect(evaluateGuard([pd()], { start: '2025-07-02', end: '2025-07-02' })).toMatchObject({ status: 'pass', checked: 1, findings: [] });
  });

  it('G1: a missing mark, marks newer than analytics, and a stale mark cache', () => {
    const r = evaluateGuard([pd({ lotsWithoutMark: ['l2'], latestMarkComputedAt: '2025-07-03T00:00:00.000000Z', cacheMismatches: [{ positionId: 'l', field: 'last_price', expected: 10, actual: 9 }] })], { start: '2025-07-02', end: '2025-07-02' });
    expect(r.status).toBe('fail');
    // Marks newer than both the snapshot's analytics time and the analytics rows: one finding, naming the older.
    expect(r.findings.filter((f) => f.check === 'G1').map((f) => f.expected)).toEqual([
      'a mark of D for every active lot',
      'marks computed before the analytics (2025-07-02T22:00:01.000000Z)',
      'positions.last_price = 10',
    ]);
    const rows = evaluateGuard([pd({ earliestAnalyticsRowAt: '2025-07-02T21:00:00.000000Z' })], { start: '2025-07-02', end: '2025-07-02' });
    expect(rows.findings.map((f) => [f.check, f.expected])).toEqual([['G1', 'marks computed before the analytics (2025-07-02T21:00:00.000000Z)']]);
  });

  it('G1: marks newer than analytics that tracking records as stale (g.8) are no finding; the other G1 checks still apply', () => {
    const newer = { latestMarkComputedAt: '2025-07-03T00:00:00.000000Z', analyticsStale: true };
    expect(evaluateGuard([pd(newer)], { start: '2025-07-02', end: '2025-07-02' })).toMatchObject({ status: 'pass', findings: [] });
    const r = evaluateGuard([pd({ ...newer, lotsWithoutMark: ['l2'] })], { start: '2025-07-02', end: '2025-07-02' });
    expect(r.findings.map((f) => f.expected)).toEqual(['a mark of D for every active lot']);
  });

  it('G2: row counts must equal what successful jobs reported; failed jobs leave no rows', () => {
    const r = evaluateGuard([pd({ rowCounts: { position_market_betas: 1, factor_exposures: 7, position_volatility: 1, position_factor_exposures: 6, stress_test_results: 3 } })], { start: '2025-07-02', end: '2025-07-02' });
    const g2 = r.findings.filter((f) => f.check === 'G2').map((f) => f.message);
    expect(g2).toHaveLength(2);
    expect(g2.join('\n')).toMatch(/factor_exposures row count differs/);
    expect(g2.join('\n')).toMatch(/stress_test_results has rows although/);
    expect(reportedRows('stress_tests', 'stress_test_results', { scenarios_saved: 19 })).toBe(19);
  });

  it('G2 over the range: position tables may not be empty when their jobs succeeded', () => {
    const r = evaluateGuard([pd({ rowCounts: { position_market_betas: 0, factor_exposures: 8, position_volatility: 1, position_factor_exposures: 6 } })], { start: '2025-07-01', end: '2025-07-02' });
    expect(r.findings.some((f) => f.portfolio_id === null && f.expected === 'position_market_betas not empty')).toBe(true);
  });
});
