/**
 * The nine analytics jobs (SPEC.md c.10, d.9-d.13) through the whole engine on a small real
 * database: one long/short book with an option and a private lot, and one private-only book,
 * synthetic prices (seed 7, realistic), 2025-06-30 to 2025-07-15. Each job's stored figures are
 * recomputed here by hand from what the engine stored before it (marks, snapshot, symbol rows,
 * closes), so the references do not go through the job code.
 */
import * as ss from 'simple-statistics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookbackStart } from '../../../../core/calendar';
import type { IsoDate } from '../../../../core/domain/iso-date';
import { roundCents } from '../../../../core/domain/money';
import { createFixtureDatabase, fixtureLotId, runEngine, seedSyntheticBook, type EngineRun, type FixtureDatabase } from '../../../support/analytics/analytics-fixture';

const D0 = '2025-06-30' as IsoDate;
const D = '2025-07-15' as IsoDate;
const BOOK = 'b0000000-0000-4000-8000-000000000001';
const PRIV = 'b0000000-0000-4000-8000-000000000002';
const SQRT252 = Math.sqrt(252);

let fx: FixtureDatabase;
let run: EngineRun;

type Row = Record<string, unknown>;
const all = (sql: string, ...args: unknown[]): Row[] => fx.db.prepare(sql).all(...args) as Row[];
const one = (sql: string, ...args: unknown[]): Row => fx.db.prepare(sql).get(...args) as Row;

beforeAll(async () => {
  fx = createFixtureDatabase();
  // Each symbol's path is anchored at its lot's entry price on D0 (m.8), so the first day's P&L is 0.
  seedSyntheticBook(fx.db, {
    start: D0,
    end: D,
    portfolios: [
      {
        id: BOOK,
        name: 'Long short book',
        equity: 1_000_000,
        lots: [
          { symbol: 'AAA', quantity: 4000, entryPrice: 50, entryDate: D0 },
          { symbol: 'BBB', quantity: 2000, entryPrice: 120, entryDate: D0 },
          { symbol: 'CCC', quantity: -3000, entryPrice: 30, entryDate: D0 },
          { symbol: 'SPY', quantity: 500, entryPrice: 615, entryDate: D0 },
          { symbol: 'AAA250919C00055000', positionType: 'LC', quantity: 10, entryPrice: 2, entryDate: D0, investmentClass: 'OPTIONS', underlyingSymbol: 'AAA', strikePrice: 55, expirationDate: '2025-09-19' as IsoDate },
          { symbol: 'PRIVATE_FUND_X', quantity: 1, entryPrice: 100_000, entryDate: D0, investmentClass: 'PRIVATE' },
        ],
      },
      { id: PRIV, name: 'Private only', equity: 500_000, lots: [{ symbol: 'PRIVATE_FUND_Y', quantity: 1, entryPrice: 400_000, entryDate: D0, investmentClass: 'PRIVATE' }] },
    ],
  });
  // BBB has no profile beta: provider_beta falls back to its OLS market beta of D.
  fx.db.prepare(`UPDATE company_profiles SET beta = NULL WHERE symbol = 'BBB'`).run();
  run = await runEngine(fx.store, { startDate: D0, endDate: D }, '2025-07-15T23:00:00Z');
});

afterAll(() => fx.close());

const lot = (i: number) => fixtureLotId(BOOK, i);
const PUBLIC_LOTS = [0, 1, 2, 3].map(lot);

function factorId(name: string): string {
  return one(`SELECT id FROM factor_definitions WHERE name = ?`, name)['id'] as string;
}

function snapshot(pid: string, d: IsoDate = D): Row {
  return one(`SELECT * FROM portfolio_snapshots WHERE portfolio_id = ? AND snapshot_date = ?`, pid, d);
}

/** Unrounded MV of each lot on D from its mark: quantity × price × multiplier (m.9). */
function marketValues(pid: string, d: IsoDate = D): Map<string, { mv: number; symbol: string; cls: string }> {
  const rows = all(
    `SELECT m.position_id, m.quantity, m.price, m.multiplier, p.symbol, p.investment_class FROM position_marks m JOIN positions p ON p.id = m.position_id WHERE m.portfolio_id = ? AND m.mark_date = ? AND m.is_active = 1`,
    pid,
    d,
  );
  return new Map(rows.map((r) => [r['position_id'] as string, { mv: (r['quantity'] as number) * (r['price'] as number) * (r['multiplier'] as number), symbol: r['symbol'] as string, cls: r['investment_class'] as string }]));
}

function symbolBeta(symbol: string, factor: string, d: IsoDate = D): Row | undefined {
  return fx.db.prepare(`SELECT * FROM symbol_factor_exposures WHERE symbol = ? AND factor_id = ? AND calculation_date = ?`).get(symbol, factorId(factor), d) as Row | undefined;
}

function factorExposure(pid: string, factor: string, d: IsoDate = D): Row | undefined {
  return fx.db.prepare(`SELECT * FROM factor_exposures WHERE portfolio_id = ? AND factor_id = ? AND calculation_date = ?`).get(pid, factorId(factor), d) as Row | undefined;
}

/** Σ MV_i β_i / E over the public lots (d.9), by hand. */
function handPortfolioBeta(factor: string): number {
  const mvs = marketValues(BOOK);
  const e = snapshot(BOOK)['equity_balance'] as number;
  let sum = 0;
  for (const id of PUBLIC_LOTS) {
    const { mv, symbol } = mvs.get(id)!;
    sum += mv * (symbolBeta(symbol, factor)!['beta_value'] as number);
  }
  return sum / e;
}

function closes(symbol: string, from: IsoDate, to: IsoDate): { date: string; close: number }[] {
  return all(`SELECT date, close FROM market_data_cache WHERE symbol = ? AND date >= ? AND date <= ? ORDER BY date`, symbol, from, to) as { date: string; close: number }[];
}

function jobOutcome(pid: string, job: string, d: IsoDate = D): { success: boolean; reason: string | null; metrics: Record<string, unknown> } {
  const meta = JSON.parse(one(`SELECT metadata FROM batch_run_tracking WHERE run_date = ?`, d)['metadata'] as string);
  return meta.portfolios[pid].analytics.jobs[job];
}

describe('the run', () => {
  it('completes every date with status success (private-only book included) and exit code 0', () => {
    expect(run.result.kind).toBe('run');
    expect(run.result.exitCode).toBe(0);
    const statuses = all(`SELECT status, count(*) AS n FROM batch_run_tracking GROUP BY status`);
    expect(statuses).toEqual([{ status: 'success', n: 11 }]); // 2025-06-30 .. 2025-07-15 minus 4 July and two weekends
  });

  it('records every job outcome { success, reason, metrics } in the tracking metadata (h.4)', () => {
    const meta = JSON.parse(one(`SELECT metadata FROM batch_run_tracking WHERE run_date = ?`, D)['metadata'] as string);
    const book = meta.portfolios[BOOK].analytics;
    expect(Object.keys(book.jobs)).toEqual(['market_beta', 'provider_beta', 'ir_beta', 'spread_factors', 'ridge_factors', 'sector_concentration', 'volatility', 'correlations', 'stress_tests']);
    expect(book).toMatchObject({ jobs_expected: 9, jobs_completed: 9, jobs_failed: 0, analytics_skipped: false });
    for (const o of Object.values(book.jobs) as { success: boolean; reason: unknown }[]) expect(o).toMatchObject({ success: true, reason: null });
    expect(meta.analytics_symbol_stage).toMatchObject({ status: 'success', symbols: 4, rows: 4 * 12 + 3 });
    // The symbol stage runs once per date outside the portfolio entries; its time is its own.
    expect(meta.analytics_symbol_stage.duration_ms).toEqual(expect.any(Number));
    expect(meta.analytics_symbol_stage.duration_ms).toBeGreaterThanOrEqual(0);
  });

  it('the private-only book: beta, factor, volatility and correlation jobs not applicable; stress tests a benign skip (no_factor_exposures)', () => {
    const jobs = JSON.parse(one(`SELECT metadata FROM batch_run_tracking WHERE run_date = ?`, D)['metadata'] as string).portfolios[PRIV].analytics;
    expect(jobs).toMatchObject({ jobs_expected: 1, jobs_completed: 1, jobs_failed: 0, jobs_not_applicable: 8 });
    for (const j of ['market_beta', 'provider_beta', 'ir_beta', 'spread_factors', 'ridge_factors', 'volatility', 'correlations']) expect(jobs.jobs[j]).toMatchObject({ success: false, reason: 'not_applicable' });
    expect(jobs.jobs['stress_tests']).toMatchObject({ success: false, reason: 'no_factor_exposures' });
    expect(jobs.jobs['sector_concentration']).toMatchObject({ success: true });
    expect(all(`SELECT 1 FROM stress_test_results WHERE portfolio_id = ?`, PRIV)).toEqual([]);
  });
});

describe('market_beta (d.9)', () => {
  it('one position_market_betas row per public marked lot, copying the symbol row of D', () => {
    const rows = all(`SELECT * FROM position_market_betas WHERE portfolio_id = ? AND calc_date = ? ORDER BY position_id`, BOOK, D);
    expect(rows.map((r) => r['position_id']).sort()).toEqual([...PUBLIC_LOTS].sort());
    const mvs = marketValues(BOOK);
    for (const r of rows) {
      const sym = symbolBeta(mvs.get(r['position_id'] as string)!.symbol, 'Market Beta (90D)')!;
      expect(r).toMatchObject({ beta: sym['beta_value'], alpha: sym['alpha'], r_squared: sym['r_squared'], std_error: sym['std_error'], p_value: sym['p_value'], observations: sym['observations'], window_days: 90, method: 'OLS_SIMPLE', market_index: 'SPY' });
    }
  });

  it('portfolio beta Σ MV β / E, exposure_dollar = roundCents(β E), coverage 1, and the snapshot fields (|MV|-weighted R², min observations)', () => {
    const beta = handPortfolioBeta('Market Beta (90D)');
    const e = snapshot(BOOK)['equity_balance'] as number;
    const fe = factorExposure(BOOK, 'Market Beta (90D)')!;
    expect(fe['exposure_value'] as number).toBeCloseTo(beta, 12);
    expect(fe['exposure_dollar']).toBe(roundCents(beta * e));
    expect(fe['coverage']).toBe(1);
    const mvs = marketValues(BOOK);
    let num = 0;
    let den = 0;
    let minObs = Infinity;
    for (const id of PUBLIC_LOTS) {
      const { mv, symbol } = mvs.get(id)!;
      const s = symbolBeta(symbol, 'Market Beta (90D)')!;
      num += Math.abs(mv) * (s['r_squared'] as number);
      den += Math.abs(mv);
      minObs = Math.min(minObs, s['observations'] as number);
    }
    const snap = snapshot(BOOK);
    expect(snap['beta_calculated_90d'] as number).toBeCloseTo(beta, 12);
    expect(snap['beta_calculated_90d_r_squared'] as number).toBeCloseTo(num / den, 12);
    expect(snap['beta_calculated_90d_observations']).toBe(minObs);
    expect(snap['beta_portfolio_regression']).toBeNull();
  });
});

describe('provider_beta (d.9)', () => {
  it('Σ MV_i β_i / E with the profile beta, falling back to the OLS beta of D for BBB (no profile beta)', () => {
    const mvs = marketValues(BOOK);
    const e = snapshot(BOOK)['equity_balance'] as number;
    let sum = 0;
    for (const id of PUBLIC_LOTS) {
      const { mv, symbol } = mvs.get(id)!;
      const profile = one(`SELECT beta FROM company_profiles WHERE symbol = ?`, symbol)['beta'] as number | null;
      sum += mv * (profile ?? (symbolBeta(symbol, 'Market Beta (90D)')!['beta_value'] as number));
    }
    expect(snapshot(BOOK)['beta_provider_1y'] as number).toBeCloseTo(sum / e, 12);
    const fe = factorExposure(BOOK, 'Provider Beta (1Y)')!;
    expect(fe['exposure_value'] as number).toBeCloseTo(sum / e, 12);
    expect(fe['exposure_dollar']).toBe(roundCents((sum / e) * e));
    expect(jobOutcome(BOOK, 'provider_beta').metrics['beta_sources']).toEqual({ profile: 3, ols_on_date: 1, ols_before: 0 });
  });
});

describe('ir_beta, spread_factors, ridge_factors (d.7-d.9)', () => {
  it('IR Beta: signed-weight sum and one position_interest_rate_betas row per public lot', () => {
    expect(factorExposure(BOOK, 'IR Beta')!['exposure_value'] as number).toBeCloseTo(handPortfolioBeta('IR Beta'), 12);
    const rows = all(`SELECT * FROM position_interest_rate_betas WHERE portfolio_id = ? AND calculation_date = ?`, BOOK, D);
    expect(rows).toHaveLength(4);
    const mvs = marketValues(BOOK);
    for (const r of rows) {
      const s = symbolBeta(mvs.get(r['position_id'] as string)!.symbol, 'IR Beta')!;
      expect(r).toMatchObject({ ir_beta: s['beta_value'], r_squared: s['r_squared'] });
    }
  });

  it.each(['Growth-Value Spread', 'Momentum Spread', 'Size Spread', 'Quality Spread', 'Value', 'Growth', 'Momentum', 'Quality', 'Size', 'Low Volatility'])(
    '%s: portfolio beta Σ w β and one position_factor_exposures row per public lot',
    (factor) => {
      expect(factorExposure(BOOK, factor)!['exposure_value'] as number).toBeCloseTo(handPortfolioBeta(factor), 12);
      const rows = all(`SELECT * FROM position_factor_exposures WHERE factor_id = ? AND calculation_date = ?`, factorId(factor), D);
      expect(rows.map((r) => r['position_id']).sort()).toEqual([...PUBLIC_LOTS].sort());
      const mvs = marketValues(BOOK);
      for (const r of rows) expect(r['exposure_value']).toBe(symbolBeta(mvs.get(r['position_id'] as string)!.symbol, factor)!['beta_value']);
    },
  );

  it('13 factor_exposures rows of D for the book (every factor definition)', () => {
    expect(all(`SELECT factor_id FROM factor_exposures WHERE portfolio_id = ? AND calculation_date = ?`, BOOK, D)).toHaveLength(13);
  });
});

describe('sector_concentration (d.13)', () => {
  it('HHI, effective positions and top-3/top-10 from |MV| per symbol; sector weights of equity by bucket', () => {
    const mvs = [...marketValues(BOOK).values()];
    const total = mvs.reduce((s, x) => s + Math.abs(x.mv), 0);
    const shares = mvs.map((x) => Math.abs(x.mv) / total).sort((a, b) => b - a);
    const hhi = shares.reduce((s, w) => s + w * w, 0) * 10_000;
    const snap = snapshot(BOOK);
    expect(snap['hhi'] as number).toBeCloseTo(hhi, 9);
    expect(snap['effective_num_positions'] as number).toBeCloseTo(10_000 / hhi, 9);
    expect(snap['top_3_concentration'] as number).toBeCloseTo(shares[0]! + shares[1]! + shares[2]!, 12);
    expect(snap['top_10_concentration'] as number).toBeCloseTo(1, 12);
    const e = snap['equity_balance'] as number;
    const expected: Record<string, number> = {};
    for (const x of mvs) {
      const profile = fx.db.prepare(`SELECT sector, is_etf FROM company_profiles WHERE symbol = ?`).get(x.symbol) as { sector: string | null; is_etf: number } | undefined;
      const bucket = x.cls !== 'PUBLIC' ? 'Unclassified' : profile?.is_etf ? 'ETFs' : profile?.sector;
      if (bucket) expected[bucket] = (expected[bucket] ?? 0) + Math.abs(x.mv) / e;
    }
    const stored = JSON.parse(snap['sector_exposure'] as string) as Record<string, number>;
    expect(Object.keys(stored).sort()).toEqual(Object.keys(expected).sort());
    for (const [k, v] of Object.entries(expected)) expect(stored[k]!).toBeCloseTo(v, 12);
    expect(stored['ETFs']).toBeGreaterThan(0); // SPY
    expect(stored['Unclassified']).toBeGreaterThan(0); // the option and the private fund
  });
});

describe('volatility (d.10)', () => {
  it('one row per non-private lot; the option uses its underlying, so its row equals AAA’s', () => {
    const rows = all(`SELECT * FROM position_volatility WHERE calculation_date = ? AND position_id IN (SELECT id FROM positions WHERE portfolio_id = ?)`, D, BOOK);
    expect(rows.map((r) => r['position_id']).sort()).toEqual([...PUBLIC_LOTS, lot(4)].sort());
    const strip = (r: Row) => ({ ...r, id: null, position_id: null, created_at: null, updated_at: null });
    expect(strip(rows.find((r) => r['position_id'] === lot(4))!)).toEqual(strip(rows.find((r) => r['position_id'] === lot(0))!));
  });

  it('AAA: realized 21d / 63d volatility are the sample std of the last 21 / 63 returns over [D − 365, D] × √252 (simple-statistics; rel 1e-12)', () => {
    const c = closes('AAA', lookbackStart(D, 365), D).map((r) => r.close);
    const r = c.slice(1).map((p, i) => p / c[i]! - 1);
    const row = one(`SELECT * FROM position_volatility WHERE position_id = ? AND calculation_date = ?`, lot(0), D);
    expect(row['observations']).toBe(r.length);
    expect(row['realized_vol_21d'] as number).toBeCloseTo(ss.sampleStandardDeviation(r.slice(-21)) * SQRT252, 12);
    expect(row['realized_vol_63d'] as number).toBeCloseTo(ss.sampleStandardDeviation(r.slice(-63)) * SQRT252, 12);
    expect(row['vol_daily'] as number).toBeCloseTo(Math.abs(r[r.length - 1]!) * SQRT252, 12);
    expect(row['vol_weekly'] as number).toBeCloseTo(ss.sampleStandardDeviation(r.slice(-5)) * SQRT252, 12);
  });

  it('portfolio: weights MV_i / Σ MV over the stock lots (option and private excluded), R_t on the union of days; realized 21d by hand', () => {
    const mvs = marketValues(BOOK);
    const stock = PUBLIC_LOTS.map((id) => mvs.get(id)!);
    const net = stock.reduce((s, x) => s + x.mv, 0);
    const byDay = new Map<string, number>();
    for (const x of stock) {
      const c = closes(x.symbol, lookbackStart(D, 365), D);
      for (let i = 1; i < c.length; i++) byDay.set(c[i]!.date, (byDay.get(c[i]!.date) ?? 0) + (x.mv / net) * (c[i]!.close / c[i - 1]!.close - 1));
    }
    const series = [...byDay.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
    const snap = snapshot(BOOK);
    expect(snap['realized_volatility_21d'] as number).toBeCloseTo(ss.sampleStandardDeviation(series.slice(-21)) * SQRT252, 10);
    expect(snap['realized_volatility_63d'] as number).toBeCloseTo(ss.sampleStandardDeviation(series.slice(-63)) * SQRT252, 10);
    expect(snap['expected_volatility_21d']).not.toBeNull();
    expect(['increasing', 'decreasing', 'stable']).toContain(snap['volatility_trend']);
  });
});

describe('correlations (d.11)', () => {
  it('4 symbols, 16 ordered pairs with self pairs 1; each ρ equals the sample correlation of aligned log returns over [D − 90, D] (rel 1e-10)', () => {
    const calc = one(`SELECT * FROM correlation_calculations WHERE portfolio_id = ? AND calculation_date = ?`, BOOK, D);
    expect(calc).toMatchObject({ duration_days: 90, positions_included: 4, positions_excluded: 0, min_position_value: 10_000, min_portfolio_weight: 0.01, filter_mode: 'both', correlation_threshold: 0.7, data_quality: 'sufficient', correlation_concentration_score: 0 });
    const pairs = all(`SELECT * FROM pairwise_correlations WHERE correlation_calculation_id = ?`, calc['id']);
    expect(pairs).toHaveLength(16);
    const symbols = ['AAA', 'BBB', 'CCC', 'SPY'];
    const from = lookbackStart(D, 90);
    const series = symbols.map((s) => new Map(closes(s, from, D).map((r) => [r.date, r.close])));
    const days = [...series[0]!.keys()].filter((d) => series.every((m) => m.has(d))).sort();
    const logRet = series.map((m) => days.slice(1).map((d, i) => Math.log(m.get(d)! / m.get(days[i]!)!)));
    for (const p of pairs) {
      const a = symbols.indexOf(p['symbol_1'] as string);
      const b = symbols.indexOf(p['symbol_2'] as string);
      expect(p['data_points']).toBe(days.length - 1);
      if (a === b) expect(p).toMatchObject({ correlation_value: 1, statistical_significance: 1 });
      else expect(p['correlation_value'] as number).toBeCloseTo(ss.sampleCorrelation(logRet[a]!, logRet[b]!), 10);
    }
    const offDiag = pairs.filter((p) => p['symbol_1'] !== p['symbol_2']).map((p) => Math.abs(p['correlation_value'] as number));
    expect(calc['overall_correlation'] as number).toBeCloseTo(ss.mean(offDiag), 12);
  });
});

describe('stress_tests (d.12)', () => {
  const results = () =>
    all(`SELECT r.*, s.scenario_id AS key, s.active FROM stress_test_results r JOIN stress_test_scenarios s ON s.id = r.scenario_id WHERE r.portfolio_id = ? AND r.calculation_date = ?`, BOOK, D);

  it('19 rows: every active scenario, none of the inactive historical replays', () => {
    const rows = results();
    expect(rows).toHaveLength(19);
    expect(rows.every((r) => r['active'] === 1)).toBe(true);
    expect(jobOutcome(BOOK, 'stress_tests').metrics).toMatchObject({ scenarios_tested: 19, scenarios_saved: 19, scenarios_skipped: [] });
  });

  it('direct impacts by hand: market_down_5 = exposure_dollar(Market Beta) × −0.05; rates_up_50bp = E × β_IR × 0.005', () => {
    const rows = results();
    const market = factorExposure(BOOK, 'Market Beta (90D)')!;
    const ir = factorExposure(BOOK, 'IR Beta')!;
    const e = snapshot(BOOK)['equity_balance'] as number;
    expect(rows.find((r) => r['key'] === 'market_down_5')!['direct_pnl']).toBe(roundCents((market['exposure_dollar'] as number) * -0.05));
    expect(rows.find((r) => r['key'] === 'rates_up_50bp')!['direct_pnl']).toBe(roundCents(e * (ir['exposure_value'] as number) * 0.005));
    // A rate-only scenario is uncorrelated: correlated = direct.
    const rates = rows.find((r) => r['key'] === 'rates_up_50bp')!;
    expect(rates['correlated_pnl']).toBe(rates['direct_pnl']);
    // value_rotation_20: Value +0.20, Growth −0.10.
    const value = factorExposure(BOOK, 'Value')!;
    const growth = factorExposure(BOOK, 'Growth')!;
    expect(rows.find((r) => r['key'] === 'value_rotation_20')!['direct_pnl']).toBe(roundCents((value['exposure_dollar'] as number) * 0.2 - (growth['exposure_dollar'] as number) * 0.1));
  });

  it('money is stored in cents; correlation_effect = correlated − direct; metadata names D, the data days, V and E', () => {
    const snap = snapshot(BOOK);
    for (const r of results()) {
      for (const k of ['direct_pnl', 'correlated_pnl', 'correlation_effect']) expect(roundCents(r[k] as number)).toBe(r[k]);
      expect(r['correlation_effect'] as number).toBeCloseTo((r['correlated_pnl'] as number) - (r['direct_pnl'] as number), 9);
      const meta = JSON.parse(r['calculation_metadata'] as string);
      expect(meta).toMatchObject({ correlation_matrix_date: D, portfolio_value: roundCents(snap['net_exposure'] as number), equity: roundCents(snap['equity_balance'] as number), missing_factors: [], ir_shock_mode: 'literal' });
      expect(meta.data_days).toBeGreaterThanOrEqual(30);
      const impacts = JSON.parse(r['factor_impacts'] as string) as Record<string, { shock_pct: number; direct_pnl: number; exposure_dollar: number }>;
      for (const i of Object.values(impacts)) expect(roundCents(i.direct_pnl)).toBe(i.direct_pnl);
    }
  });
});

describe('replace semantics and monitor-only (g.8, g.12)', () => {
  const analyticsContent = () => {
    const out: Record<string, Row[]> = {};
    for (const t of ['factor_exposures', 'position_market_betas', 'position_interest_rate_betas', 'position_factor_exposures', 'position_volatility', 'stress_test_results', 'correlation_calculations']) {
      const dateCol = t === 'position_market_betas' ? 'calc_date' : 'calculation_date';
      out[t] = all(`SELECT * FROM ${t} WHERE ${dateCol} = ? ORDER BY id`, D).map(({ created_at: _c, updated_at: _u, ...rest }) => rest);
    }
    out['symbol_factor_exposures'] = all(`SELECT * FROM symbol_factor_exposures WHERE calculation_date = ? ORDER BY id`, D).map(({ created_at: _c, ...rest }) => rest);
    out['snapshot'] = all(`SELECT * FROM portfolio_snapshots WHERE snapshot_date = ? ORDER BY id`, D).map(({ computed_at: _a, analytics_computed_at: _b, created_at: _c, run_id: _r, ...rest }) => rest);
    return out;
  };

  it('running D again with --phase analytics rewrites identical rows', async () => {
    const before = analyticsContent();
    const again = await runEngine(fx.store, { targetDate: D, phases: ['analytics'] }, '2025-07-15T23:30:00Z');
    expect(again.result.exitCode).toBe(0);
    expect(analyticsContent()).toEqual(before);
  });

  it('a monitor-only run of D writes no analytics row', async () => {
    fx.db.prepare(`DELETE FROM stress_test_results WHERE calculation_date = ?`).run(D);
    fx.db.prepare(`DELETE FROM symbol_factor_exposures WHERE calculation_date = ?`).run(D);
    const m = await runEngine(fx.store, { targetDate: D, phases: ['analytics'], monitorOnly: true }, '2025-07-15T23:40:00Z');
    expect(m.result.kind).toBe('run');
    expect(all(`SELECT 1 FROM stress_test_results WHERE calculation_date = ?`, D)).toEqual([]);
    expect(all(`SELECT 1 FROM symbol_factor_exposures WHERE calculation_date = ?`, D)).toEqual([]);
  });
});
