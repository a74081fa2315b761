/**
 * Bad and edge inputs for the analytics jobs (SPEC.md c.10, d.9-d.12, m.22, m.23) through the
 * whole engine: a symbol listed a few days ago, zero equity, a flat benchmark, a flat symbol,
 * missing closes, a book hedged to zero net value, an options-only book. Nothing throws;
 * every job ends with a coded reason, and benign skips (a window not filled yet, no factor
 * exposure) leave the portfolio's analytics phase successful.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tradingDaysBetween } from '../../../../core/calendar';
import type { IsoDate } from '../../../../core/domain/iso-date';
import { createFixtureDatabase, fixtureLotId, insertProfiles, runEngine, seedSyntheticBook, type EngineRun, type FixtureDatabase } from '../../../support/analytics/analytics-fixture';

const D0 = '2025-06-30' as IsoDate;
const D1 = '2025-07-03' as IsoDate;

type Jobs = Record<string, { success: boolean; reason: string | null; metrics: Record<string, unknown> }>;

function trackingOf(fx: FixtureDatabase, d: IsoDate): { status: string; phaseStatus: Record<string, any>; meta: Record<string, any> } {
  const r = fx.db.prepare(`SELECT status, phase_status, metadata FROM batch_run_tracking WHERE run_date = ?`).get(d) as { status: string; phase_status: string; metadata: string };
  return { status: r.status, phaseStatus: JSON.parse(r.phase_status), meta: JSON.parse(r.metadata) };
}

function jobsOf(fx: FixtureDatabase, d: IsoDate, pid: string): Jobs {
  return trackingOf(fx, d).meta['portfolios'][pid].analytics.jobs as Jobs;
}

function analyticsStatus(fx: FixtureDatabase, d: IsoDate, pid: string): { status: string; reason: string | null } {
  return trackingOf(fx, d).phaseStatus['analytics'].portfolios[pid];
}

/** Closes from a function of the trading day's position in [from, to]. */
function series(from: IsoDate, to: IsoDate, f: (i: number) => number): { date: IsoDate; close: number }[] {
  return tradingDaysBetween(from, to).map((date, i) => ({ date, close: f(i) }));
}

describe('a symbol listed 14 trading days ago, and zero equity', () => {
  const NEWBOOK = 'e0000000-0000-4000-8000-000000000001';
  const ZERO = 'e0000000-0000-4000-8000-000000000002';
  let fx: FixtureDatabase;
  let run: EngineRun;

  beforeAll(async () => {
    fx = createFixtureDatabase();
    seedSyntheticBook(fx.db, {
      start: D0,
      end: D1,
      portfolios: [
        { id: NEWBOOK, name: 'New listing', equity: 300_000, lots: [{ symbol: 'NEWCO', quantity: 1000, entryPrice: 20, entryDate: D0 }] },
        { id: ZERO, name: 'Zero equity', equity: 0, lots: [{ symbol: 'AAA', quantity: 1000, entryPrice: 50, entryDate: D0 }] },
      ],
      customPrices: { NEWCO: series('2025-06-10' as IsoDate, D1, (i) => 20 * (1 + 0.01 * Math.sin(i))) },
    });
    // NEWCO's close on D0 must equal the entry price for a clean baseline.
    fx.db.prepare(`UPDATE market_data_cache SET close = 20 WHERE symbol = 'NEWCO' AND date = ?`).run(D0);
    insertProfiles(fx.db, [{ symbol: 'NEWCO', sector: 'Technology', beta: 1.3 }]);
    run = await runEngine(fx.store, { startDate: D0, endDate: D1 }, '2025-07-03T23:00:00Z');
  });
  afterAll(() => fx.close());

  it('the run completes with exit 0: zero equity is an edge input with coded reasons, not a failure (m.22, m.23)', () => {
    expect(run.result.kind).toBe('run');
    expect(run.result.exitCode).toBe(0);
    expect(trackingOf(fx, D0).status).toBe('success');
  });

  it('before the windows fill: regression, volatility and stress jobs are benign skips; the phase stays successful (m.23)', () => {
    const jobs = jobsOf(fx, D0, NEWBOOK);
    for (const j of ['market_beta', 'ir_beta', 'spread_factors', 'ridge_factors']) {
      expect(jobs[j]).toMatchObject({ success: false, reason: 'insufficient_observations' });
      expect(jobs[j]!.metrics['missing_reasons']).toEqual({ insufficient_observations: 1 });
    }
    expect(jobs['volatility']).toMatchObject({ success: false, reason: 'insufficient_observations' });
    expect(jobs['correlations']).toMatchObject({ success: false, reason: 'not_applicable' });
    // The profile beta still gives a Provider Beta (1Y) exposure; no scenario shocks it.
    expect(jobs['provider_beta']).toMatchObject({ success: true });
    expect(jobs['stress_tests']).toMatchObject({ success: false, reason: 'no_factor_exposures' });
    expect(jobs['sector_concentration']).toMatchObject({ success: true });
    expect(analyticsStatus(fx, D0, NEWBOOK)).toMatchObject({ status: 'success' });
    const sym = fx.db.prepare(`SELECT calculation_method FROM symbol_factor_exposures WHERE symbol = 'NEWCO' AND calculation_date = ?`).all(D0);
    expect(sym).toEqual([{ calculation_method: 'provider' }]);
  });

  it('zero equity: the jobs that need E > 0 skip with non_positive_equity (an edge input, m.22/m.23); the others still run', () => {
    const jobs = jobsOf(fx, D0, ZERO);
    for (const j of ['market_beta', 'provider_beta', 'ir_beta', 'spread_factors', 'ridge_factors']) {
      expect(jobs[j]).toMatchObject({ success: false, reason: 'non_positive_equity' });
    }
    // Concentration needs no equity (d.13): written, with sector_exposure left null.
    expect(jobs['sector_concentration']).toMatchObject({ success: true, metrics: { sector_exposure: null, sector_exposure_reason: 'non_positive_equity' } });
    expect(fx.db.prepare(`SELECT hhi, effective_num_positions AS eff, sector_exposure AS sectors FROM portfolio_snapshots WHERE portfolio_id = ? AND snapshot_date = ?`).get(ZERO, D0)).toEqual({ hhi: 10_000, eff: 1, sectors: null });
    expect(jobs['volatility']).toMatchObject({ success: true });
    expect(jobs['correlations']).toMatchObject({ success: false, reason: 'not_applicable' });
    expect(jobs['stress_tests']).toMatchObject({ success: false, reason: 'no_factor_exposures' });
    expect(analyticsStatus(fx, D0, ZERO)).toMatchObject({ status: 'success' });
    const lot = fixtureLotId(ZERO, 0);
    expect(fx.db.prepare(`SELECT count(*) AS n FROM position_market_betas WHERE position_id = ? AND calc_date = ?`).get(lot, D0)).toEqual({ n: 0 });
    expect(fx.db.prepare(`SELECT count(*) AS n FROM position_volatility WHERE position_id = ? AND calculation_date = ?`).get(lot, D0)).toEqual({ n: 1 });
  });
});

describe('a flat benchmark, a flat symbol, gaps', () => {
  const BOOK = 'f0000000-0000-4000-8000-000000000001';
  let fx: FixtureDatabase;
  let run: EngineRun;
  const from = '2024-05-24' as IsoDate;

  beforeAll(async () => {
    fx = createFixtureDatabase();
    const gappy = series(from, D1, (i) => 80 * (1 + 0.02 * Math.sin(i / 3) + 0.0005 * i));
    // Every 4th day has no close (the cache never stores an invalid print: CHECK close > 0).
    const gappyRows = gappy.filter((_, i) => i % 4 !== 1);
    seedSyntheticBook(fx.db, {
      start: D0,
      end: D1,
      portfolios: [
        {
          id: BOOK,
          name: 'Odd prices',
          equity: 1_000_000,
          lots: [
            { symbol: 'FLAT', quantity: 1000, entryPrice: 50, entryDate: D0 },
            { symbol: 'GAPPY', quantity: 2000, entryPrice: gappy.find((r) => r.date === D0)!.close, entryDate: D0 },
            { symbol: 'AAA', quantity: 3000, entryPrice: 50, entryDate: D0 },
          ],
        },
      ],
      customPrices: { SPY: series(from, D1, () => 400), FLAT: series(from, D1, () => 50), GAPPY: gappyRows },
    });
    run = await runEngine(fx.store, { startDate: D0, endDate: D1 }, '2025-07-03T23:00:00Z');
  });
  afterAll(() => fx.close());

  it('the run completes without an exception in any job', () => {
    expect(run.result.kind).toBe('run');
    const jobs = jobsOf(fx, D1, BOOK);
    for (const o of Object.values(jobs)) expect(o.reason).not.toBe('exception');
  });

  it('a flat SPY: every market beta fails with zero_variance, so market_beta fails with that code', () => {
    const jobs = jobsOf(fx, D1, BOOK);
    expect(jobs['market_beta']).toMatchObject({ success: false, reason: 'zero_variance' });
    expect(jobs['market_beta']!.metrics['missing_reasons']).toEqual({ zero_variance: 3 });
    // IR, ridge (a flat factor column is zeroed) and the spreads still work.
    for (const j of ['ir_beta', 'ridge_factors', 'spread_factors']) expect(jobs[j]).toMatchObject({ success: true });
  });

  it('a flat symbol: zero volatility and correlation 0 with every other symbol', () => {
    const lot = fixtureLotId(BOOK, 0);
    const vol = fx.db.prepare(`SELECT realized_vol_21d, realized_vol_63d, vol_daily FROM position_volatility WHERE position_id = ? AND calculation_date = ?`).get(lot, D1);
    expect(vol).toEqual({ realized_vol_21d: 0, realized_vol_63d: 0, vol_daily: 0 });
    const pairs = fx.db
      .prepare(`SELECT symbol_2, correlation_value FROM pairwise_correlations p JOIN correlation_calculations c ON c.id = p.correlation_calculation_id WHERE c.calculation_date = ? AND p.symbol_1 = 'FLAT' AND p.symbol_2 <> 'FLAT'`)
      .all(D1);
    expect(pairs).toEqual([
      { symbol_2: 'AAA', correlation_value: 0 },
      { symbol_2: 'GAPPY', correlation_value: 0 },
    ]);
    expect(jobsOf(fx, D1, BOOK)['correlations']!.metrics['zero_variance_symbols']).toEqual(['FLAT']);
  });

  it('gaps: GAPPY keeps its betas and volatility on its valid closes only', () => {
    const ir = fx.db.prepare(`SELECT observations FROM symbol_factor_exposures s JOIN factor_definitions f ON f.id = s.factor_id WHERE s.symbol = 'GAPPY' AND f.name = 'IR Beta' AND s.calculation_date = ?`).get(D1) as { observations: number };
    const aaa = fx.db.prepare(`SELECT observations FROM symbol_factor_exposures s JOIN factor_definitions f ON f.id = s.factor_id WHERE s.symbol = 'AAA' AND f.name = 'IR Beta' AND s.calculation_date = ?`).get(D1) as { observations: number };
    expect(ir.observations).toBeGreaterThanOrEqual(30);
    expect(ir.observations).toBeLessThan(aaa.observations);
    const vol = fx.db.prepare(`SELECT observations FROM position_volatility WHERE position_id = ? AND calculation_date = ?`).get(fixtureLotId(BOOK, 1), D1) as { observations: number };
    expect(vol.observations).toBeGreaterThanOrEqual(63);
  });

  it('the stress tests use the exposures that exist: Market Beta is missing, so market scenarios list it as missing', () => {
    const rows = fx.db
      .prepare(`SELECT s.scenario_id AS key, r.calculation_metadata FROM stress_test_results r JOIN stress_test_scenarios s ON s.id = r.scenario_id WHERE r.portfolio_id = ? AND r.calculation_date = ?`)
      .all(BOOK, D1) as { key: string; calculation_metadata: string }[];
    const keys = rows.map((r) => r.key);
    // Market-only scenarios have no exposed factor and are skipped; the others are saved.
    expect(keys).not.toContain('market_down_5');
    expect(keys).toContain('rates_up_50bp');
    const flight = JSON.parse(rows.find((r) => r.key === 'quality_flight_12')!.calculation_metadata);
    expect(flight.missing_factors).toEqual(['Market']);
    expect(jobsOf(fx, D1, BOOK)['stress_tests']!.metrics['scenarios_skipped']).toEqual(expect.arrayContaining(['market_up_5', 'market_down_5', 'market_crash_35']));
  });
});

describe('a book hedged to zero net value, and an options-only book', () => {
  const HEDGED = 'a0000000-0000-4000-8000-000000000001';
  const OPTIONS = 'a0000000-0000-4000-8000-000000000002';
  let fx: FixtureDatabase;

  beforeAll(async () => {
    fx = createFixtureDatabase();
    seedSyntheticBook(fx.db, {
      start: D0,
      end: D1,
      portfolios: [
        {
          id: HEDGED,
          name: 'Hedged',
          equity: 500_000,
          lots: [
            { symbol: 'QQQ1', quantity: 1000, entryPrice: 100, entryDate: D0 },
            { symbol: 'QQQ1', quantity: -1000, entryPrice: 100, entryDate: D0 },
          ],
        },
        {
          id: OPTIONS,
          name: 'Options only',
          equity: 200_000,
          lots: [{ symbol: 'AAA250919C00055000', positionType: 'LC', quantity: 10, entryPrice: 2, entryDate: D0, investmentClass: 'OPTIONS', underlyingSymbol: 'AAA', strikePrice: 55, expirationDate: '2025-09-19' as IsoDate }],
        },
      ],
      extraSymbols: ['AAA'],
    });
    await runEngine(fx.store, { startDate: D0, endDate: D1 }, '2025-07-03T23:00:00Z');
  });
  afterAll(() => fx.close());

  it('hedged: the portfolio volatility fails with net_value_near_zero; the betas are 0 with full coverage', () => {
    const jobs = jobsOf(fx, D1, HEDGED);
    expect(jobs['volatility']).toMatchObject({ success: false, reason: 'net_value_near_zero' });
    expect(fx.db.prepare(`SELECT count(*) AS n FROM position_volatility WHERE calculation_date = ? AND position_id IN (?, ?)`).get(D1, fixtureLotId(HEDGED, 0), fixtureLotId(HEDGED, 1))).toEqual({ n: 0 });
    expect(jobs['market_beta']).toMatchObject({ success: true });
    expect(jobs['market_beta']!.metrics['beta']).toBeCloseTo(0, 12);
    expect(jobs['correlations']).toMatchObject({ reason: 'not_applicable' });
    // V = net exposure 0 → 1.0; every exposure dollar is 0, so every scenario's P&L is 0.
    const pnl = fx.db.prepare(`SELECT DISTINCT direct_pnl, correlated_pnl FROM stress_test_results WHERE portfolio_id = ? AND calculation_date = ?`).all(HEDGED, D1);
    expect(pnl).toEqual([{ direct_pnl: 0, correlated_pnl: 0 }]);
  });

  it('options only: position volatility from the underlying, no portfolio figures; beta jobs not applicable; stress benign skip', () => {
    const jobs = jobsOf(fx, D1, OPTIONS);
    expect(jobs['volatility']).toMatchObject({ success: true });
    expect(jobs['volatility']!.metrics).toMatchObject({ rows_position_volatility: 1, portfolio_reason: 'no_positions' });
    for (const j of ['market_beta', 'provider_beta', 'ir_beta', 'spread_factors', 'ridge_factors', 'correlations']) expect(jobs[j]).toMatchObject({ reason: 'not_applicable' });
    expect(jobs['stress_tests']).toMatchObject({ reason: 'no_factor_exposures' });
    expect(analyticsStatus(fx, D1, OPTIONS)).toMatchObject({ status: 'success' });
    const snap = fx.db.prepare(`SELECT realized_volatility_21d, sector_exposure FROM portfolio_snapshots WHERE portfolio_id = ? AND snapshot_date = ?`).get(OPTIONS, D1) as { realized_volatility_21d: null; sector_exposure: string };
    expect(snap.realized_volatility_21d).toBeNull();
    expect(Object.keys(JSON.parse(snap.sector_exposure))).toEqual(['Unclassified']);
  });
});
