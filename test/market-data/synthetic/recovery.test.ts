/**
 * Recovery of the generating betas (SPEC.md e.9, m.8): on profile 'independent', regressions run
 * test-side on the generated closes recover the implied_beta truth rows; for each regression,
 * on the symbols whose shape isolates it, at least 95 % of symbol-date estimates lie within
 * 0.15 of the implied value.
 *
 * The estimators are written here from d.5 to d.8 (independently of core/calc): calendar
 * windows [D - 120, D] (OLS and ridge) and [D - 210, D] (spreads), aligned closes, simple
 * returns, simple OLS with intercept, and ridge with intercept on population-standardised
 * factors with alpha = 1 solved by ml-matrix.
 */
import { Matrix, solve } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { addCalendarDays, type IsoDate } from '../../../core/domain/iso-date';
import { tradingDaysBetween } from '../../../core/calendar/trading-calendar';
import { createSyntheticGenerator, type SyntheticGenerator } from '../../../market-data/synthetic/synthetic-generator';

const D = (s: string): IsoDate => s as IsoDate;
const START = D('2024-01-01');
const END = D('2025-08-01'); // 397 trading days
const SYMBOLS = Array.from({ length: 40 }, (_, i) => `R${String(i).padStart(2, '0')}`);
const RIDGE = [
  ['Value', 'VTV'], ['Growth', 'VUG'], ['Momentum', 'MTUM'], ['Quality', 'QUAL'], ['Size', 'IWM'], ['Low Volatility', 'USMV'],
] as const;
const SPREADS: Record<string, [string, string]> = {
  'Growth-Value Spread': ['VUG', 'VTV'],
  'Momentum Spread': ['MTUM', 'SPY'],
  'Size Spread': ['IWM', 'SPY'],
  'Quality Spread': ['QUAL', 'SPY'],
};
const TOLERANCE = 0.15;

/** Date -> close for every symbol over [START, END]. */
function closeTable(g: SyntheticGenerator, symbols: readonly string[]): Map<string, Map<string, number>> {
  const t = new Map<string, Map<string, number>>();
  for (const s of symbols) t.set(s, new Map(g.quotes(s, START, END).map((q) => [q.date, q.close])));
  return t;
}

/** Aligned simple returns of `symbols` over the calendar window [d - days, d] (d.5). */
function alignedReturns(t: Map<string, Map<string, number>>, symbols: readonly string[], d: IsoDate, days: number): number[][] {
  const dates = tradingDaysBetween(addCalendarDays(d, -days), d).filter((x) => symbols.every((s) => t.get(s)!.has(x)));
  return symbols.map((s) => {
    const m = t.get(s)!;
    const out: number[] = [];
    for (let i = 1; i < dates.length; i++) out.push(m.get(dates[i]!)! / m.get(dates[i - 1]!)! - 1);
    return out;
  });
}

function olsSlope(y: number[], x: number[]): number {
  const n = y.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  return sxy / sxx;
}

/** d.7: standardise (population sd), centre y, solve (ZᵀZ + I) w = Zᵀ(y - ȳ), beta = w / sd. */
function ridgeBetas(y: number[], xs: number[][]): number[] {
  const n = y.length;
  const my = y.reduce((a, b) => a + b, 0) / n;
  const stats = xs.map((x) => {
    const m = x.reduce((a, b) => a + b, 0) / n;
    return [m, Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / n)] as const;
  });
  const Z = new Matrix(Array.from({ length: n }, (_, i) => xs.map((x, f) => (x[i]! - stats[f]![0]) / stats[f]![1])));
  const yc = Matrix.columnVector(y.map((v) => v - my));
  const lhs = Z.transpose().mmul(Z).add(Matrix.eye(xs.length));
  const w = solve(lhs, Z.transpose().mmul(yc)).to1DArray();
  return w.map((v, f) => v / stats[f]![1]);
}

interface Tally {
  within: number;
  total: number;
  worst: number;
}
const tally = (): Tally => ({ within: 0, total: 0, worst: 0 });
function record(t: Tally, estimate: number, truth: number): void {
  const err = Math.abs(estimate - truth);
  t.total++;
  if (err <= TOLERANCE) t.within++;
  t.worst = Math.max(t.worst, err);
}

describe('beta recovery on profile independent (40 symbols, 397 trading days)', () => {
  const g = createSyntheticGenerator({ seed: 42, profile: 'independent', start: START, end: END, symbols: SYMBOLS });
  const truth = new Map(SYMBOLS.map((s) => [s, new Map(g.impliedBetas(s)!.map((b) => [b.name, b.value]))]));
  const shapeOf = (s: string): string => {
    const sh = g.stockParams(s)!.shape!;
    return sh.kind === 'spread' ? sh.spread : sh.kind;
  };
  const group = (pred: (shape: string) => boolean): string[] => SYMBOLS.filter((s) => pred(shapeOf(s)));
  const table = closeTable(g, [...SYMBOLS, 'SPY', 'VTV', 'VUG', 'MTUM', 'QUAL', 'IWM', 'USMV', 'TLT']);
  const olsDates = tradingDaysBetween(D('2024-05-01'), END); // [D - 120, D] lies inside the data
  const spreadDates = tradingDaysBetween(D('2024-07-29'), END); // [D - 210, D] lies inside the data

  it('every shape has symbols to test', () => {
    expect(group((s) => s === 'market').length).toBeGreaterThanOrEqual(3);
    expect(group((s) => s === 'rates').length).toBeGreaterThanOrEqual(3);
    expect(group((s) => s === 'style').length).toBeGreaterThanOrEqual(3);
    expect(group((s) => s.endsWith('Spread')).length).toBeGreaterThanOrEqual(3);
  });

  it.each([
    ['Market Beta (90D)', 'SPY', 'market'],
    ['IR Beta', 'TLT', 'rates'],
  ])('%s on %s: >= 95 %% of symbol-dates within 0.15 for the %s shape', (factor, benchmark, shape) => {
    const t = tally();
    for (const s of group((x) => x === shape)) {
      for (const d of olsDates) {
        const [y, x] = alignedReturns(table, [s, benchmark], d, 120);
        expect(y!.length).toBeGreaterThanOrEqual(30);
        record(t, olsSlope(y!, x!), truth.get(s)!.get(factor)!);
      }
    }
    expect(t.total).toBeGreaterThan(1000);
    expect(t.within / t.total).toBeGreaterThanOrEqual(0.95);
  });

  it('spread factors: >= 95 % of symbol-dates within 0.15, each symbol on the spread it drew', () => {
    const t = tally();
    for (const s of group((x) => x.endsWith('Spread'))) {
      const name = shapeOf(s);
      const [long, short] = SPREADS[name]!;
      for (const d of spreadDates) {
        const [y, l, sh] = alignedReturns(table, [s, long, short], d, 210);
        expect(y!.length).toBeGreaterThanOrEqual(60);
        record(t, olsSlope(y!, l!.map((v, i) => v - sh![i]!)), truth.get(s)!.get(name)!);
      }
    }
    expect(t.total).toBeGreaterThan(500);
    expect(t.within / t.total).toBeGreaterThanOrEqual(0.95);
  });

  it('ridge style factors (alpha = 1): >= 95 % of symbol-dates within 0.15 for each of the six, style shape', () => {
    const tallies = RIDGE.map(() => tally());
    const styleSymbols = group((x) => x === 'style');
    const etfs = RIDGE.map(([, etf]) => etf);
    for (const s of styleSymbols) {
      for (const d of olsDates.filter((_, i) => i % 3 === 0)) {
        const [y, ...xs] = alignedReturns(table, [s, ...etfs], d, 120);
        const betas = ridgeBetas(y!, xs);
        RIDGE.forEach(([name], k) => record(tallies[k]!, betas[k]!, truth.get(s)!.get(name)!));
      }
    }
    for (const t of tallies) {
      expect(t.total).toBeGreaterThan(300);
      expect(t.within / t.total).toBeGreaterThanOrEqual(0.95);
    }
  });
});

describe('profile realistic (demo): estimates are only checked to be finite and inside the ±5 cap', () => {
  it('Market Beta (90D) on 10 symbols', () => {
    const symbols = Array.from({ length: 10 }, (_, i) => `Q${i}`);
    const g = createSyntheticGenerator({ seed: 42, profile: 'realistic', start: START, end: END, symbols });
    const table = closeTable(g, [...symbols, 'SPY']);
    for (const s of symbols) {
      for (const d of tradingDaysBetween(D('2024-05-01'), END).filter((_, i) => i % 10 === 0)) {
        const [y, x] = alignedReturns(table, [s, 'SPY'], d, 120);
        const b = olsSlope(y!, x!);
        expect(Number.isFinite(b) && Math.abs(b) < 5).toBe(true);
      }
    }
  });
});
