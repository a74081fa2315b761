/**
 * The stress_tests job (SPEC.md d.12) with hand-built contexts: the settings it honours
 * (stress.include_inactive, stress.ir_shock_mode, stress.tlt_duration), exposures older than D,
 * partial coverage of a scenario, and the skip without exposures. Exposure rows are written
 * with the store; the expected P&L figures are computed by hand from them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tradingDaysBetween } from '../../../../core/calendar';
import type { IsoDate } from '../../../../core/domain/iso-date';
import { roundCents } from '../../../../core/domain/money';
import { FACTOR_ETFS } from '../../../../core/domain/symbols';
import { stressTestsJob } from '../../../../core/phases/analytics/stress-tests-job';
import { normalSeries, pricesFromReturns, seededRng } from '../../../support/calc-random';
import { createFixtureDatabase, insertPortfolios, type FixtureDatabase } from '../../../support/analytics/analytics-fixture';
import { directDateContext, directRunContext, priceTableFrom, testJobContext, testSnapshot } from '../../../support/analytics/direct-context';

const START = '2024-06-03' as IsoDate;
const D = '2025-06-30' as IsoDate;
const EARLIER = '2025-06-27' as IsoDate;
const PID = 'd0000000-0000-4000-8000-000000000001';
const EQUITY = 2_000_000;
const NET = 1_500_000;

let fx: FixtureDatabase;

function etfPrices(): Record<string, Float64Array> {
  const n = tradingDaysBetween(START, D).length;
  const rng = seededRng(99);
  const market = normalSeries(rng, n - 1, 0, 0.01);
  const out: Record<string, Float64Array> = {};
  FACTOR_ETFS.forEach((etf, k) => {
    const own = normalSeries(rng, n - 1, 0, 0.005);
    out[etf] = pricesFromReturns(market.map((m, i) => (etf === 'TLT' ? -0.3 : 0.7 + 0.04 * k) * m + own[i]!), 100);
  });
  return out;
}

function factorId(name: string): string {
  return fx.store.loadFactors().find((f) => f.name === name)!.id;
}

function writeExposures(date: IsoDate, rows: Record<string, { value: number; dollar: number | null }>): void {
  fx.store.insertFactorExposures(
    Object.entries(rows).map(([name, r]) => ({ portfolioId: PID, factorId: factorId(name), calculationDate: date, exposureValue: r.value, exposureDollar: r.dollar, coverage: 1 })),
    '2025-06-30T23:00:00.000000Z',
  );
}

function runJob(settings: Record<string, unknown> = {}) {
  const run = directRunContext(fx.store, { lots: [], prices: priceTableFrom(START, D, etfPrices()), settings });
  const ctx = testJobContext(directDateContext(run, D, [PID]), PID, [], testSnapshot(PID, D, EQUITY, { gross: 1_800_000, net: NET }));
  return { result: stressTestsJob.run(ctx) };
}

function stored(): Map<string, { direct: number; correlated: number; effect: number; meta: Record<string, any>; impacts: Record<string, any> }> {
  const rows = fx.db
    .prepare(`SELECT s.scenario_id AS key, r.direct_pnl, r.correlated_pnl, r.correlation_effect, r.calculation_metadata, r.factor_impacts FROM stress_test_results r JOIN stress_test_scenarios s ON s.id = r.scenario_id WHERE r.portfolio_id = ? AND r.calculation_date = ?`)
    .all(PID, D) as { key: string; direct_pnl: number; correlated_pnl: number; correlation_effect: number; calculation_metadata: string; factor_impacts: string }[];
  return new Map(rows.map((r) => [r.key, { direct: r.direct_pnl, correlated: r.correlated_pnl, effect: r.correlation_effect, meta: JSON.parse(r.calculation_metadata), impacts: JSON.parse(r.factor_impacts) }]));
}

beforeEach(() => {
  fx = createFixtureDatabase();
  insertPortfolios(fx.db, [{ id: PID, name: 'Stress book', equity: EQUITY, lots: [] }]);
});

afterEach(() => fx.close());

describe('stress_tests job (d.12)', () => {
  it('no factor_exposures row dated <= D: benign skip no_factor_exposures, no rows', () => {
    writeExposures('2025-07-01' as IsoDate, { 'Market Beta (90D)': { value: 1, dollar: 2_000_000 } });
    const { result } = runJob();
    expect(result).toMatchObject({ status: 'benign_skip', reason: 'no_factor_exposures' });
    expect(stored().size).toBe(0);
  });

  it('literal IR shocks by default: rates_up_100bp = E × β_IR × 0.01; duration mode: E × β_IR × (−17 × 0.01)', () => {
    writeExposures(D, { 'IR Beta': { value: -0.12, dollar: roundCents(-0.12 * EQUITY) } });
    expect(runJob().result.status).toBe('success');
    expect(stored().get('rates_up_100bp')!.direct).toBe(roundCents(EQUITY * -0.12 * 0.01)); // −2,400.00
    fx.db.prepare(`DELETE FROM stress_test_results`).run();
    expect(runJob({ 'stress.ir_shock_mode': 'duration', 'stress.tlt_duration': 17 }).result.status).toBe('success');
    const r = stored().get('rates_up_100bp')!;
    expect(r.direct).toBe(roundCents(EQUITY * -0.12 * (-17 * 0.01))); // +40,800.00
    expect(r.meta['ir_shock_mode']).toBe('duration');
  });

  it('only a rate exposure: the 7 rate scenarios are saved, the 12 others are skipped and listed', () => {
    writeExposures(D, { 'IR Beta': { value: 0.2, dollar: null } });
    const { result } = runJob();
    expect(result.metrics).toMatchObject({ scenarios_tested: 7, scenarios_saved: 7 });
    expect((result.metrics['scenarios_skipped'] as string[]).sort()).toEqual([
      'growth_rally_15', 'liquidity_crisis', 'market_crash_35', 'market_down_10', 'market_down_5', 'market_rally_25',
      'market_up_10', 'market_up_5', 'quality_flight_12', 'small_cap_outperformance_10', 'value_rotation_20', 'vix_spike_150',
    ]);
    expect([...stored().keys()].sort()).toEqual(['rate_spike_300bp', 'rates_down_100bp', 'rates_down_25bp', 'rates_down_50bp', 'rates_up_100bp', 'rates_up_25bp', 'rates_up_50bp']);
  });

  it('stress.include_inactive = true tests the three historical replays too (22 rows)', () => {
    writeExposures(D, {
      'Market Beta (90D)': { value: 0.9, dollar: 1_800_000 },
      'IR Beta': { value: 0.05, dollar: 100_000 },
      Value: { value: 0.1, dollar: 200_000 },
      Growth: { value: 0.2, dollar: 400_000 },
      Size: { value: -0.1, dollar: -200_000 },
    });
    expect(runJob().result.metrics['scenarios_saved']).toBe(19);
    fx.db.prepare(`DELETE FROM stress_test_results`).run();
    expect(runJob({ 'stress.include_inactive': true }).result.metrics['scenarios_saved']).toBe(22);
    expect(stored().has('financial_crisis_2008')).toBe(true);
  });

  it('an exposure older than D is used with its date; dollars(F) = V × β when exposure_dollar is null; missing factors are listed', () => {
    writeExposures(EARLIER, { 'Market Beta (90D)': { value: 0.8, dollar: null } });
    writeExposures(D, { Quality: { value: 0.25, dollar: 500_000 } });
    const { result } = runJob();
    expect(result.metrics['exposures_before_date']).toEqual(['Market Beta (90D)']);
    const flight = stored().get('quality_flight_12')!; // Quality +0.12, Market −0.05
    expect(flight.direct).toBe(roundCents(500_000 * 0.12 + NET * 0.8 * -0.05));
    expect(flight.meta['exposure_dates']).toMatchObject({ 'Market Beta (90D)': EARLIER, Quality: D });
    expect(flight.impacts['Market']).toEqual({ shock_pct: -5, direct_pnl: roundCents(NET * 0.8 * -0.05), exposure: 0.8, exposure_dollar: roundCents(NET * 0.8) });
    const crisis = stored().get('liquidity_crisis')!; // Market, Low Volatility, Quality, Size
    expect(crisis.meta['missing_factors'].sort()).toEqual(['Low Volatility', 'Size']);
    expect(crisis.effect).toBe(roundCents(crisis.correlated - crisis.direct));
  });

  it('the −99 % floor: a crash on a 3× levered market exposure loses at most 0.99 V', () => {
    writeExposures(D, { 'Market Beta (90D)': { value: 3, dollar: 6_000_000 } });
    runJob();
    const crash = stored().get('market_crash_35')!;
    expect(crash.direct).toBe(roundCents(-0.99 * NET));
    expect(crash.correlated).toBe(roundCents(-0.99 * NET));
  });
});
