/**
 * Recovery of the synthetic implied betas by the engine's symbol stage (SPEC.md e.9, m.8,
 * Appendix C.7): a database of 48 synthetic stocks on profile 'independent' (seed 42), held
 * by one portfolio, backfilled 2025-06-30 .. 2025-08-08 through the whole engine. For each
 * regression, on the symbols whose shape isolates it ('market' for Market Beta (90D), 'rates'
 * for IR Beta, 'style' for the six ridge factors, 'spread' for the spread that was drawn), at
 * least 95 % of the stored symbol-date estimates lie within 0.15 of the synthetic_truth
 * implied_beta.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../../core/domain/iso-date';
import { createFixtureDatabase, runEngine, seedSyntheticBook, type FixtureDatabase } from '../../../support/analytics/analytics-fixture';

const D0 = '2025-06-30' as IsoDate;
const END = '2025-08-08' as IsoDate;
const TOLERANCE = 0.15;
const SYMBOLS = Array.from({ length: 48 }, (_, i) => `SYN${String(i + 1).padStart(2, '0')}`);

let fx: FixtureDatabase;

beforeAll(async () => {
  fx = createFixtureDatabase();
  seedSyntheticBook(fx.db, {
    seed: 42,
    profile: 'independent',
    start: D0,
    end: END,
    portfolios: [{ id: 'c0000000-0000-4000-8000-000000000001', name: 'Recovery', equity: 5_000_000, lots: SYMBOLS.map((symbol) => ({ symbol, quantity: 1000, entryPrice: 100, entryDate: D0 })) }],
  });
  const r = await runEngine(fx.store, { startDate: D0, endDate: END }, '2025-08-08T23:00:00Z');
  expect(r.result.kind).toBe('run');
}, 120_000);

afterAll(() => fx.close());

interface Estimate {
  readonly symbol: string;
  readonly date: string;
  readonly estimate: number;
  readonly truth: number;
}

/** Stored estimates of `factor` joined with the truth, for the symbols whose shape row is `shape`. */
function estimates(factor: string, shape: string): Estimate[] {
  return fx.db
    .prepare(
      `SELECT s.symbol, s.calculation_date AS date, s.beta_value AS estimate, t.value AS truth
         FROM symbol_factor_exposures s
         JOIN factor_definitions f ON f.id = s.factor_id AND f.name = ?
         JOIN synthetic_truth t ON t.symbol = s.symbol AND t.kind = 'implied_beta' AND t.name = f.name
         JOIN synthetic_truth sh ON sh.symbol = s.symbol AND sh.kind = 'shape' AND sh.name = ?`,
    )
    .all(factor, shape) as Estimate[];
}

function shareWithin(list: readonly Estimate[]): number {
  return list.filter((e) => Math.abs(e.estimate - e.truth) <= TOLERANCE).length / list.length;
}

describe('implied-beta recovery on profile independent (48 symbols, 29 dates)', () => {
  it('every symbol has a shape; every shape is represented', () => {
    const shapes = fx.db.prepare(`SELECT name, count(*) AS n FROM synthetic_truth WHERE kind = 'shape' GROUP BY name`).all() as { name: string; n: number }[];
    expect(shapes.reduce((s, r) => s + r.n, 0)).toBe(48);
    for (const name of ['market', 'rates', 'style']) expect(shapes.find((s) => s.name === name)?.n ?? 0).toBeGreaterThan(3);
    expect(shapes.filter((s) => s.name.endsWith('Spread')).reduce((s, r) => s + r.n, 0)).toBeGreaterThan(3);
  });

  it.each([
    ['Market Beta (90D)', 'market'],
    ['IR Beta', 'rates'],
  ])('%s on the %s shape: >= 95 %% of symbol-dates within 0.15', (factor, shape) => {
    const list = estimates(factor, shape);
    expect(list.length).toBeGreaterThan(3 * 29);
    expect(shareWithin(list)).toBeGreaterThanOrEqual(0.95);
  });

  it.each(['Value', 'Growth', 'Momentum', 'Quality', 'Size', 'Low Volatility'])('ridge %s on the style shape: >= 95 %% of symbol-dates within 0.15', (factor) => {
    const list = estimates(factor, 'style');
    expect(list.length).toBeGreaterThan(3 * 29);
    expect(shareWithin(list)).toBeGreaterThanOrEqual(0.95);
  });

  it('spreads: each spread-shape symbol on the spread it drew, >= 95 % of symbol-dates within 0.15', () => {
    const drawn = fx.db.prepare(`SELECT DISTINCT name FROM synthetic_truth WHERE kind = 'shape' AND name LIKE '% Spread'`).all() as { name: string }[];
    const list = drawn.flatMap(({ name }) => estimates(name, name));
    expect(list.length).toBeGreaterThan(3 * 29);
    expect(shareWithin(list)).toBeGreaterThanOrEqual(0.95);
  });
});
