/**
 * The analytics symbol stage (SPEC.md c.10 prepareDate, d.6-d.8) on a real SQLite database,
 * with hand-built contexts. Prices are seeded random paths (test/support/calc-random.ts); some
 * symbols are exact functions of the ETFs, so their betas are known by construction. The
 * other references are independent algorithms run in the test: simple-statistics for the
 * univariate OLS fits and ml-matrix for the ridge normal equations.
 */
import { Matrix, solve } from 'ml-matrix';
import * as ss from 'simple-statistics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countTradingDaysBetween, lookbackStart, tradingDaysBetween } from '../../../../core/calendar';
import type { IsoDate } from '../../../../core/domain/iso-date';
import { MARKET_BETA_FACTOR } from '../../../../core/domain/factor-names';
import { analyticsDateCache, SYMBOL_STAGE_FAILED_KEY } from '../../../../core/phases/analytics/analytics-date-cache';
import { marketBetaJob } from '../../../../core/phases/analytics/market-beta-job';
import { prepareSymbolStage, symbolStageSymbols } from '../../../../core/phases/analytics/symbol-stage';
import type { SymbolExposureRow } from '../../../../core/ports/analytics-store';
import { normalSeries, pricesFromReturns, seededRng } from '../../../support/calc-random';
import { createFixtureDatabase, insertPortfolios, insertProfiles, type FixtureDatabase } from '../../../support/analytics/analytics-fixture';
import { directDateContext, directRunContext, priceTableFrom, testJobContext, testLot, testMark, testSnapshot } from '../../../support/analytics/direct-context';

const START = '2024-06-03' as IsoDate;
const D = '2025-06-30' as IsoDate;
const DAYS = tradingDaysBetween(START, D);
const N = DAYS.length;
const PID = 'aaaaaaaa-0000-4000-8000-000000000001';
const OTHER = 'aaaaaaaa-0000-4000-8000-000000000002';

/** Returns of every series over the table's days (index 0 has no return). */
function buildReturns(): Record<string, Float64Array> {
  const rng = seededRng(20250630);
  const spy = normalSeries(rng, N - 1, 0.0004, 0.01);
  const out: Record<string, Float64Array> = { SPY: spy, TLT: normalSeries(rng, N - 1, 0, 0.008) };
  ['VTV', 'VUG', 'MTUM', 'QUAL', 'IWM', 'USMV'].forEach((etf, k) => {
    const own = normalSeries(rng, N - 1, 0, 0.006);
    out[etf] = spy.map((m, i) => (0.6 + 0.05 * k) * m + own[i]!);
  });
  const noise = normalSeries(rng, N - 1, 0, 0.004);
  out['TWO'] = spy.map((m) => 2 * m);
  out['MIX'] = spy.map((m, i) => 0.7 * m + 0.3 * out['TLT']![i]! + noise[i]!);
  out['STY'] = out['VTV']!.map((v, i) => 0.5 * v - 0.3 * out['IWM']![i]! + 0.2 * noise[i]!);
  out['SPR'] = out['VUG']!.map((g, i) => 0.6 * (g - out['VTV']![i]!) + 0.5 * noise[i]!);
  out['GAPPY'] = spy.map((m, i) => 1.2 * m + noise[i]!);
  out['NEW'] = spy.map((m, i) => m + noise[i]!);
  return out;
}

const RETURNS = buildReturns();

function buildPrices(): Record<string, Float64Array> {
  const prices: Record<string, Float64Array> = {};
  for (const [s, r] of Object.entries(RETURNS)) prices[s] = pricesFromReturns(r, 100);
  // GAPPY: no close on every 7th day; NEW: listed 20 trading days before D.
  for (let i = 3; i < N; i += 7) prices['GAPPY']![i] = NaN;
  for (let i = 0; i < N - 20; i++) prices['NEW']![i] = NaN;
  return prices;
}

const PRICES = buildPrices();
const HELD = ['GAPPY', 'MIX', 'NEW', 'SPR', 'STY', 'TWO'];

let fx: FixtureDatabase;

beforeEach(() => {
  fx = createFixtureDatabase();
  insertPortfolios(fx.db, [
    { id: PID, name: 'Stage book', equity: 1_000_000, lots: [] },
    { id: OTHER, name: 'Other book', equity: 1_000_000, lots: [] },
  ]);
  insertProfiles(fx.db, [
    { symbol: 'MIX', sector: 'Technology', beta: 1.1 },
    { symbol: 'NEW', sector: 'Energy', beta: 0.9 },
    { symbol: 'TWO', sector: 'Utilities', beta: null },
    { symbol: 'STY', sector: 'Industrials', beta: 0 },
  ]);
});

afterEach(() => fx.close());

function lots() {
  return [
    ...HELD.slice(0, 4).map((s, i) => testLot(PID, `lot-${i}`, s, 100, '2025-01-02' as IsoDate)),
    // Two portfolios hold STY: it is computed once.
    testLot(PID, 'lot-sty', 'STY', 50, '2025-01-02' as IsoDate),
    testLot(OTHER, 'lot-sty-2', 'STY', -40, '2025-01-02' as IsoDate),
    testLot(OTHER, 'lot-two', 'TWO', 10, '2025-01-02' as IsoDate),
    // Not public, or not active on D: no symbol rows.
    testLot(OTHER, 'lot-priv', 'PRIVATE_FUND_Z', 1, '2025-01-02' as IsoDate, { investmentClass: 'PRIVATE' }),
    testLot(OTHER, 'lot-exited', 'EXITED', 10, '2025-01-02' as IsoDate, { exitDate: '2025-06-02' as IsoDate }),
    testLot(OTHER, 'lot-future', 'LATER', 10, '2025-07-01' as IsoDate),
  ];
}

function stageContext(monitorOnly = false) {
  const run = directRunContext(fx.store, { lots: lots(), prices: priceTableFrom(START, D, PRICES), monitorOnly });
  return directDateContext(run, D, [PID, OTHER]);
}

function storedRows(): SymbolExposureRow[] {
  return fx.store.loadSymbolExposures(D);
}

function factorNames(): Map<string, string> {
  return new Map(fx.store.loadFactors().map((f) => [f.id, f.name]));
}

function rowOf(rows: readonly SymbolExposureRow[], symbol: string, factor: string): SymbolExposureRow | undefined {
  const names = factorNames();
  return rows.find((r) => r.symbol === symbol && names.get(r.factorId) === factor);
}

/** Simple returns of two series over [D − days, D], on the days both have a close (d.5), computed here. */
function alignedPair(a: string, b: string, calendarDays: number): { x: number[]; y: number[] } {
  const from = lookbackStart(D, calendarDays);
  const keep: number[] = [];
  DAYS.forEach((day, i) => {
    if (day >= from && day <= D && PRICES[a]![i]! > 0 && PRICES[b]![i]! > 0) keep.push(i);
  });
  const x: number[] = [];
  const y: number[] = [];
  for (let k = 1; k < keep.length; k++) {
    y.push(PRICES[a]![keep[k]!]! / PRICES[a]![keep[k - 1]!]! - 1);
    x.push(PRICES[b]![keep[k]!]! / PRICES[b]![keep[k - 1]!]! - 1);
  }
  return { x, y };
}

describe('symbol stage rows (d.6-d.8)', () => {
  it('selects the distinct PUBLIC symbols of lots active on D over the planned portfolios', () => {
    expect(symbolStageSymbols(stageContext())).toEqual(['GAPPY', 'MIX', 'NEW', 'SPR', 'STY', 'TWO']);
  });

  it('writes 12 regression rows per symbol with full history, plus Provider Beta (1Y) when the profile beta is non-null and non-zero', () => {
    const o = prepareSymbolStage(stageContext());
    expect(o.status).toBe('success');
    const rows = storedRows();
    const count = (s: string) => rows.filter((r) => r.symbol === s).length;
    // MIX: 12 + provider; TWO (beta null) and STY (beta 0): 12; GAPPY, SPR (no profile): 12;
    // NEW (20 closes): only the provider row.
    expect({ MIX: count('MIX'), TWO: count('TWO'), STY: count('STY'), GAPPY: count('GAPPY'), SPR: count('SPR'), NEW: count('NEW') }).toEqual({ MIX: 13, TWO: 12, STY: 12, GAPPY: 12, SPR: 12, NEW: 1 });
    expect(o.metrics['rows']).toBe(rows.length);
    expect(o.metrics['symbols']).toBe(6);
    expect(o.metrics['failures']).toMatchObject({ market: { insufficient_observations: 1 }, ridge: { insufficient_observations: 1 }, spread: { insufficient_observations: 1 } });
  });

  it('stores methods, windows, quality flags and the ridge alpha as SPEC.md d.6-d.8 fix them', () => {
    prepareSymbolStage(stageContext());
    const rows = storedRows().filter((r) => r.symbol === 'MIX');
    const names = factorNames();
    const byMethod = (m: string) => rows.filter((r) => r.calculationMethod === m);
    expect(byMethod('ols_market').map((r) => names.get(r.factorId))).toEqual(['Market Beta (90D)']);
    expect(byMethod('ols_ir').map((r) => names.get(r.factorId))).toEqual(['IR Beta']);
    expect(byMethod('ridge_regression').map((r) => names.get(r.factorId)).sort()).toEqual(['Growth', 'Low Volatility', 'Momentum', 'Quality', 'Size', 'Value']);
    expect(byMethod('spread_regression').map((r) => names.get(r.factorId)).sort()).toEqual(['Growth-Value Spread', 'Momentum Spread', 'Quality Spread', 'Size Spread']);
    for (const r of [...byMethod('ols_market'), ...byMethod('ols_ir')]) {
      expect(r).toMatchObject({ regressionWindowDays: 90, qualityFlag: 'full_history', regularizationAlpha: null });
      expect(r.alpha).not.toBeNull();
      expect(r.stdError).not.toBeNull();
      expect(r.pValue).not.toBeNull();
    }
    for (const r of byMethod('ridge_regression')) expect(r).toMatchObject({ regressionWindowDays: 90, regularizationAlpha: 1, qualityFlag: 'full_history', alpha: null, pValue: null });
    for (const r of byMethod('spread_regression')) expect(r).toMatchObject({ regressionWindowDays: 180, regularizationAlpha: null });
    expect(byMethod('provider')).toEqual([expect.objectContaining({ betaValue: 1.1, observations: 252, regressionWindowDays: 252, rSquared: null })]);
    // Observations: every trading day of the window has a close, so n = days − 1 (hand count via the calendar).
    const olsDays = countTradingDaysBetween(lookbackStart(D, 120), D);
    const spreadDays = countTradingDaysBetween(lookbackStart(D, 210), D);
    expect(byMethod('ols_market')[0]!.observations).toBe(olsDays - 1);
    expect(byMethod('ridge_regression')[0]!.observations).toBe(olsDays - 1);
    expect(byMethod('spread_regression')[0]!.observations).toBe(spreadDays - 1);
    // One R² for the six ridge rows and one (the mean) for the four spread rows.
    expect(new Set(byMethod('ridge_regression').map((r) => r.rSquared)).size).toBe(1);
    expect(new Set(byMethod('spread_regression').map((r) => r.rSquared)).size).toBe(1);
  });

  it('Market Beta (90D) of TWO (returns exactly 2 × SPY) is 2 with R² 1 and alpha 0 (by construction; abs 1e-9)', () => {
    prepareSymbolStage(stageContext());
    const r = rowOf(storedRows(), 'TWO', MARKET_BETA_FACTOR)!;
    expect(r.betaValue).toBeCloseTo(2, 9);
    expect(r.rSquared!).toBeCloseTo(1, 9);
    expect(r.alpha!).toBeCloseTo(0, 12);
  });

  it('OLS betas equal simple-statistics linearRegression on the independently aligned returns (MIX, GAPPY; abs 1e-10)', () => {
    prepareSymbolStage(stageContext());
    const rows = storedRows();
    for (const [symbol, factor, benchmark] of [
      ['MIX', 'Market Beta (90D)', 'SPY'],
      ['MIX', 'IR Beta', 'TLT'],
      ['GAPPY', 'Market Beta (90D)', 'SPY'],
    ] as const) {
      const { x, y } = alignedPair(symbol, benchmark, 120);
      const pts = x.map((xi, i) => [xi, y[i]!]);
      const fit = ss.linearRegression(pts);
      const row = rowOf(rows, symbol, factor)!;
      expect(row.observations).toBe(x.length);
      expect(row.betaValue).toBeCloseTo(fit.m, 10);
      expect(row.alpha!).toBeCloseTo(fit.b, 10);
      expect(row.rSquared!).toBeCloseTo(ss.rSquared(pts, ss.linearRegressionLine(fit)), 10);
    }
    // GAPPY misses every 7th close: fewer observations than a full window.
    expect(rowOf(rows, 'GAPPY', MARKET_BETA_FACTOR)!.observations).toBeLessThan(rowOf(rows, 'MIX', MARKET_BETA_FACTOR)!.observations!);
  });

  it('ridge betas equal the standardised ridge solved with ml-matrix: (ZᵀZ + I) w = Zᵀ(y − ȳ), β = w / σ (STY; abs 1e-10)', () => {
    prepareSymbolStage(stageContext());
    const rows = storedRows();
    const etfs = ['VTV', 'VUG', 'MTUM', 'QUAL', 'IWM', 'USMV'];
    const names = ['Value', 'Growth', 'Momentum', 'Quality', 'Size', 'Low Volatility'];
    const cols = etfs.map((e) => alignedPair('STY', e, 120));
    const y = cols[0]!.y;
    const n = y.length;
    const z: number[][] = [];
    const sigma: number[] = [];
    for (const c of cols) {
      const mu = ss.mean(c.x);
      const sd = Math.sqrt(c.x.reduce((s, v) => s + (v - mu) ** 2, 0) / n); // population deviation
      sigma.push(sd);
      z.push(c.x.map((v) => (v - mu) / sd));
    }
    const Z = new Matrix(z).transpose();
    const yc = Matrix.columnVector(y.map((v) => v - ss.mean(y)));
    const w = solve(Z.transpose().mmul(Z).add(Matrix.eye(6, 6)), Z.transpose().mmul(yc));
    names.forEach((name, k) => {
      expect(rowOf(rows, 'STY', name)!.betaValue).toBeCloseTo(w.get(k, 0) / sigma[k]!, 10);
    });
    // The generating loadings (Value 0.5, Size −0.3) are recovered up to the small shrinkage.
    expect(rowOf(rows, 'STY', 'Value')!.betaValue).toBeCloseTo(0.5, 1);
    expect(rowOf(rows, 'STY', 'Size')!.betaValue).toBeCloseTo(-0.3, 1);
  });

  it('spread betas: each spread regression equals simple-statistics on r_long − r_short; r_squared is the mean of the four R² (SPR; abs 1e-10)', () => {
    prepareSymbolStage(stageContext());
    const rows = storedRows();
    const defs = [
      ['Growth-Value Spread', 'VUG', 'VTV'],
      ['Momentum Spread', 'MTUM', 'SPY'],
      ['Size Spread', 'IWM', 'SPY'],
      ['Quality Spread', 'QUAL', 'SPY'],
    ] as const;
    const r2: number[] = [];
    for (const [name, long, short] of defs) {
      const l = alignedPair('SPR', long, 210);
      const s = alignedPair('SPR', short, 210);
      const pts = l.x.map((v, i) => [v - s.x[i]!, l.y[i]!]);
      const fit = ss.linearRegression(pts);
      r2.push(ss.rSquared(pts, ss.linearRegressionLine(fit)));
      expect(rowOf(rows, 'SPR', name)!.betaValue).toBeCloseTo(fit.m, 10);
    }
    expect(rowOf(rows, 'SPR', 'Growth-Value Spread')!.rSquared!).toBeCloseTo(ss.mean(r2), 10);
    // The generating loading on the growth-value spread is 0.6.
    expect(rowOf(rows, 'SPR', 'Growth-Value Spread')!.betaValue).toBeCloseTo(0.6, 1);
  });
});

describe('symbol stage behaviour (c.10)', () => {
  it('replaces the rows of D: a second run leaves the same rows with the same ids', () => {
    prepareSymbolStage(stageContext());
    const first = fx.db.prepare(`SELECT * FROM symbol_factor_exposures ORDER BY id`).all() as Record<string, unknown>[];
    prepareSymbolStage(stageContext());
    const second = fx.db.prepare(`SELECT * FROM symbol_factor_exposures ORDER BY id`).all() as Record<string, unknown>[];
    const strip = (rows: Record<string, unknown>[]) => rows.map(({ created_at: _c, ...rest }) => rest);
    expect(strip(second)).toEqual(strip(first));
    expect(first.length).toBeGreaterThan(0);
  });

  it('monitor-only writes nothing, yet the jobs of the date see the betas through the date cache', () => {
    const dateCtx = stageContext(true);
    expect(prepareSymbolStage(dateCtx).status).toBe('success');
    expect(storedRows()).toEqual([]);
    const access = analyticsDateCache(dateCtx).symbolBetas();
    expect(access.ok && access.source).toBe('stage');
    expect(access.ok && access.table.row('TWO', MARKET_BETA_FACTOR)?.betaValue).toBeCloseTo(2, 9);
  });

  it('without the stage in this process, the jobs read the stored rows of D', () => {
    prepareSymbolStage(stageContext());
    const fresh = stageContext();
    const access = analyticsDateCache(fresh).symbolBetas();
    expect(access.ok && access.source).toBe('stored');
    expect(access.ok && access.table.row('MIX', 'IR Beta')?.betaValue).toBe(rowOf(storedRows(), 'MIX', 'IR Beta')!.betaValue);
  });

  it('fails with factor_definitions_missing when a factor has no definition row; the beta jobs then fail with symbol_stage_failed', () => {
    fx.db.prepare(`DELETE FROM factor_definitions WHERE name = 'Size Spread'`).run();
    const dateCtx = stageContext();
    const o = prepareSymbolStage(dateCtx);
    expect(o).toMatchObject({ status: 'failed', reason: 'factor_definitions_missing' });
    expect(o.metrics['missing_factors']).toEqual(['Size Spread']);
    expect(storedRows()).toEqual([]);
    // What the engine does with a failed stage (run-engine.ts), then a beta job of the date.
    dateCtx.shared.set(SYMBOL_STAGE_FAILED_KEY, o.error);
    const lot = dateCtx.run.lotsByPortfolio.get(PID)![0]!;
    const ctx = testJobContext(dateCtx, PID, [testMark(lot, D, 50)], testSnapshot(PID, D, 1_000_000, { gross: 5_000, net: 5_000 }));
    const r = marketBetaJob.run(ctx);
    expect(r).toMatchObject({ status: 'failed', reason: 'symbol_stage_failed' });
    expect(String(r.metrics['error'])).toContain('Size Spread');
  });

  it('a flat benchmark is a coded failure (zero_variance), never an exception', () => {
    const flat = { ...PRICES, SPY: new Float64Array(N).fill(400), TLT: new Float64Array(N).fill(90) };
    const run = directRunContext(fx.store, { lots: lots(), prices: priceTableFrom(START, D, flat) });
    const o = prepareSymbolStage(directDateContext(run, D, [PID, OTHER]));
    expect(o.status).toBe('success');
    expect(o.metrics['failures']).toMatchObject({ market: { zero_variance: 5 }, ir: { zero_variance: 5 } });
    // The ridge and spreads still run (a flat factor column is zeroed; the spreads against SPY are then r_long).
    expect(rowOf(storedRows(), 'MIX', 'Value')).toBeDefined();
  });

  it('a symbol the price table does not know gets no regression rows (insufficient_observations)', () => {
    const run = directRunContext(fx.store, { lots: [testLot(PID, 'x', 'UNKNOWN', 1, '2025-01-02' as IsoDate)], prices: priceTableFrom(START, D, PRICES) });
    const o = prepareSymbolStage(directDateContext(run, D, [PID]));
    expect(o.status).toBe('success');
    expect(o.metrics['rows']).toBe(0);
    expect(o.metrics['failures']).toMatchObject({ market: { insufficient_observations: 1 }, ridge: { insufficient_observations: 1 } });
  });
});
