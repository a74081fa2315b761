import { describe, expect, it } from 'vitest';
import { hasUsableMark, reconcilePortfolioDate, sortReconcileResults, type ReconcileInput, type ReconcileLot } from '../../../core/validation/reconciliation';

const lot = (id: string, mv: number | null, source = 'exact', unmarkedValue = 0): ReconcileLot => {
  const mark = mv === null && source === 'none' ? null : { priceSource: source, marketValue: mv, priceDate: '2025-07-02' };
  return { positionId: id, symbol: id.toUpperCase(), mark, unmarked: hasUsableMark(mark) ? null : { value: unmarkedValue, basis: 'latest_close', priceDate: '2025-07-01' } };
};

// Hand-built consistent portfolio-date: equity 1,000 = positions 900 (600 + 300) + cash 100;
// previous equity 990, daily P&L 10 (cumulative 10 -> 20), no flows.
const base: ReconcileInput = {
  portfolioId: 'p1',
  portfolioName: 'P',
  date: '2025-07-02',
  snapshot: { totalValue: 1000, cashValue: 100, dailyPnl: 10, cumulativePnl: 20, equityBalance: 1000, dailyCapitalFlow: 0, grossExposure: 900, longValue: 900, shortValue: 0 },
  previous: { cumulativePnl: 10, equityBalance: 990 },
  initialEquity: 980,
  portfolioEquityBalance: 1000,
  isLatestDate: true,
  lots: [lot('a', 600), lot('b', 300)],
  realizedToday: 0,
  closingPnlToday: 0,
  stale: false,
  importedWithoutMarks: false,
};

describe('reconciliation (SPEC.md i.1)', () => {
  it('a consistent portfolio-date passes all six checks', () => {
    const r = reconcilePortfolioDate(base);
    expect(r.flagged).toBe(false);
    expect(r.checks.map((c) => c.difference)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(r.sMarked).toBe(900);
  });

  it('a lot without a mark flags checks 1, 2 and 5 and is named as the cause', () => {
    const r = reconcilePortfolioDate({ ...base, lots: [lot('a', 600), { ...lot('b', null, 'none', 305), mark: null }] });
    expect(r.checks.find((c) => c.id === 1)!.difference).toBe(300); // (1000 - 100) - 600
    expect(r.checks.find((c) => c.id === 2)!.difference).toBe(-5); // 1000 - (905 + 100)
    expect(r.checks.find((c) => c.id === 5)!.difference).toBe(-300); // 100 - (1000 - 600)
    expect(r.checks.filter((c) => c.status === 'flag').map((c) => c.id)).toEqual([1, 2, 5]);
    expect(r.explanations.join('\n')).toMatch(/lot b \(B\) is active on 2025-07-02 but has no mark/);
  });

  it("an unmarked lot's value is said in money format, rounded as the checks round it", () => {
    // 3608.985 is 3608.98499... in binary: toFixed(2) said 3608.98 beside a check row of 3,608.99.
    const r = reconcilePortfolioDate({ ...base, lots: [lot('a', 600), { ...lot('b', null, 'none', 3608.985), mark: null }] });
    expect(r.explanations.join('\n')).toContain('lot b (B) is active on 2025-07-02 but has no mark (valued at its latest close of 2025-07-01: 3,608.99)');
  });

  it('a wrong snapshot cash flags 1 and 5 and says no lot explains it', () => {
    const r = reconcilePortfolioDate({ ...base, snapshot: { ...base.snapshot, cashValue: 150 } });
    expect(r.checks.filter((c) => c.status === 'flag').map((c) => c.id)).toEqual([1, 2, 5]);
    expect(r.explanations.join('\n')).toMatch(/no lot without a mark explains the break/);
  });

  it('a wrong NAV (cash right) is named as NAV - cash against the marked positions, not as a cash break', () => {
    const r = reconcilePortfolioDate({ ...base, snapshot: { ...base.snapshot, totalValue: 1000.5, equityBalance: 1000 } }, 0.1);
    expect(r.checks.find((c) => c.id === 5)!.status).toBe('ok');
    expect(r.explanations).toContain('no lot without a mark explains the break: NAV - cash (900.50) disagrees with the marked positions (900.00); the snapshot or its marks were changed after the run');
  });

  it('a daily P&L that does not match the cumulative change names both ends in money format', () => {
    const r = reconcilePortfolioDate({ ...base, snapshot: { ...base.snapshot, dailyPnl: 5392.67, cumulativePnl: 5392.67 }, previous: { cumulativePnl: -99816.28, equityBalance: 990 } });
    expect(r.explanations).toContain('daily P&L 5,392.67 does not equal the change in cumulative P&L from -99,816.28 to 5,392.67 (105,208.95)');
  });

  it('leverage is an informational line, never a flag (m.11)', () => {
    const r = reconcilePortfolioDate({ ...base, snapshot: { ...base.snapshot, cashValue: -200, grossExposure: 1200, longValue: 1200 }, lots: [lot('a', 900), lot('b', 300)] });
    expect(r.flagged).toBe(false);
    const lev = r.info.find((i) => i.kind === 'LEVERAGE')!;
    expect(lev.values['borrowed']).toBe(200);
    expect(lev.values['gross_to_equity']).toBeCloseTo(1.2, 12);
  });

  it('leverage with equity at or below zero gives no ratio (meaningless there): n/a with the equity, as the app words it', () => {
    // Equity -100 = positions 1,100 + cash -1,200 (previous equity -110, daily P&L 10).
    const negative = { ...base.snapshot, totalValue: -100, equityBalance: -100, cashValue: -1200, grossExposure: 1100, longValue: 1100 };
    const r = reconcilePortfolioDate({ ...base, snapshot: negative, previous: { cumulativePnl: 10, equityBalance: -110 }, portfolioEquityBalance: -100, lots: [lot('a', 800), lot('b', 300)] });
    expect(r.flagged).toBe(false);
    const lev = r.info.find((i) => i.kind === 'LEVERAGE')!;
    expect(lev.text).toBe('borrowed 1,200.00; gross exposure / equity n/a: equity <= 0 (-100.00)');
    expect(lev.values).toEqual({ borrowed: 1200, gross_exposure: 1100, equity: -100, gross_to_equity: null });
    const zero = reconcilePortfolioDate({ ...base, snapshot: { ...negative, totalValue: 0, equityBalance: 0 }, previous: { cumulativePnl: 10, equityBalance: -10 }, portfolioEquityBalance: 0, lots: [lot('a', 900), lot('b', 300)] });
    expect(zero.info.find((i) => i.kind === 'LEVERAGE')!.text).toBe('borrowed 1,200.00; gross exposure / equity n/a: equity <= 0 (0.00)');
    // Positive equity keeps its ratio.
    const pos = reconcilePortfolioDate({ ...base, snapshot: { ...base.snapshot, cashValue: -200, grossExposure: 1200, longValue: 1200 }, lots: [lot('a', 900), lot('b', 300)] });
    expect(pos.info.find((i) => i.kind === 'LEVERAGE')!.text).toBe('borrowed 200.00; gross exposure / equity = 1.2000');
  });

  it('threshold: a difference of exactly T is OK, above T is flagged; imported dates skip 1, 2 and 5', () => {
    const one = reconcilePortfolioDate({ ...base, snapshot: { ...base.snapshot, equityBalance: 1001, totalValue: 1001 }, previous: { cumulativePnl: 10, equityBalance: 991 } }, 1);
    expect(one.checks.find((c) => c.id === 1)!.status).toBe('ok'); // 901 - 900 = 1.00
    const two = reconcilePortfolioDate({ ...base, snapshot: { ...base.snapshot, equityBalance: 1001.01, totalValue: 1001.01 }, previous: { cumulativePnl: 10, equityBalance: 991.01 } }, 1);
    expect(two.checks.find((c) => c.id === 1)!.status).toBe('flag');
    const imp = reconcilePortfolioDate({ ...base, lots: [], importedWithoutMarks: true });
    expect(imp.checks.filter((c) => c.status === 'n/a').map((c) => c.id)).toEqual([1, 2, 5]);
    expect(imp.flagged).toBe(false);
  });

  it('checks 3, 4 and 6 catch P&L, equity and roll-forward breaks; flagged results sort first', () => {
    const r = reconcilePortfolioDate({ ...base, snapshot: { ...base.snapshot, dailyPnl: 12 }, portfolioEquityBalance: 1005 });
    expect(r.checks.find((c) => c.id === 3)!.difference).toBe(2);
    expect(r.checks.find((c) => c.id === 6)!.difference).toBe(-2); // 1000 - (990 + 12)
    expect(r.checks.find((c) => c.id === 4)!.secondary!.difference).toBe(5);
    const sorted = sortReconcileResults([reconcilePortfolioDate({ ...base, portfolioName: 'A' }), r]);
    expect(sorted[0]!.flagged).toBe(true);
  });
});
