/**
 * Benchmark of the analytics symbol stage (SPEC.md c.10 prepareDate, d.6-d.8) for one processed
 * date: N synthetic symbols (default 1,200) held by one portfolio, each needing the market and
 * IR OLS betas, the six ridge betas, the four spread betas and a provider row (every second
 * symbol has a profile beta), written with replaceSymbolExposures in one transaction to a real
 * SQLite file. Data generation, the database set-up and one warm-up run on an earlier date are
 * outside the timed section. Target: at most 1 s on the CI machine kind (2 cores).
 *
 * Not a vitest test: the bench runner imports runAnalyticsBench and reports the milliseconds.
 */
import { tradingDaysBetween } from '../../core/calendar';
import type { IsoDate } from '../../core/domain/iso-date';
import { FACTOR_ETFS } from '../../core/domain/symbols';
import { PriceTable } from '../../core/engine/price-table';
import { prepareSymbolStage } from '../../core/phases/analytics/symbol-stage';
import { createFixtureDatabase } from '../support/analytics/analytics-fixture';
import { directDateContext, directRunContext, testLot } from '../support/analytics/direct-context';
import { normalSeries, pricesFromReturns, seededRng } from '../support/calc-random';

export interface AnalyticsBenchOptions {
  /** Number of symbols (default 1,200). */
  readonly symbols?: number;
  /** Seed of the synthetic data (default 20250930). */
  readonly seed?: number;
  /** Probability that a symbol has no close on a given day (default 0.02). */
  readonly gapProbability?: number;
}

const START = '2024-06-28' as IsoDate;
const D = '2025-06-30' as IsoDate;
const WARM_UP = '2025-06-27' as IsoDate;

/** Runs the benchmark once and returns the elapsed wall time of the timed section in milliseconds. */
export function runAnalyticsBench(options: AnalyticsBenchOptions = {}): number {
  const n = options.symbols ?? 1_200;
  const rng = seededRng(options.seed ?? 20250930);
  const gap = options.gapProbability ?? 0.02;
  const days = tradingDaysBetween(START, D);
  const prices = new PriceTable(START, D);
  const market = normalSeries(rng, days.length - 1, 0.0004, 0.01);
  const put = (symbol: string, closes: Float64Array) => {
    prices.declare([symbol]);
    closes.forEach((c, i) => prices.set(symbol, days[i]!, c));
  };
  FACTOR_ETFS.forEach((etf, k) => {
    const own = normalSeries(rng, market.length, 0, 0.004);
    put(etf, pricesFromReturns(market.map((m, i) => (etf === 'TLT' ? -0.2 : 0.8 + 0.05 * k) * m + own[i]!), 100));
  });
  const symbols: string[] = [];
  for (let s = 0; s < n; s++) {
    const symbol = `B${String(s).padStart(4, '0')}`;
    const beta = 0.5 + rng.next();
    const idio = normalSeries(rng, market.length, 0, 0.015);
    const p = pricesFromReturns(market.map((m, i) => beta * m + idio[i]!), 20 + 200 * rng.next());
    for (let d = 0; d < p.length; d++) if (rng.next() < gap) p[d] = NaN;
    put(symbol, p);
    symbols.push(symbol);
  }

  const fx = createFixtureDatabase();
  try {
    const pid = 'bench-portfolio';
    const lots = symbols.map((s, i) => testLot(pid, `bench-lot-${i}`, s, 100, '2025-01-02' as IsoDate));
    const run = directRunContext(fx.store, { lots, prices });
    symbols.forEach((s, i) => {
      if (i % 2 === 0) run.profiles.set(s, { symbol: s, sector: 'Technology', isEtf: false, isFund: false, beta: 1 + (i % 7) / 10, dataSource: 'bench', lastUpdatedMs: 0 });
    });
    prepareSymbolStage(directDateContext(run, WARM_UP, [pid]));
    const t0 = performance.now();
    const o = prepareSymbolStage(directDateContext(run, D, [pid]));
    const elapsed = performance.now() - t0;
    if (o.status !== 'success' || o.metrics['symbols'] !== n) throw new Error(`analytics bench: the symbol stage did not succeed (${o.reason ?? o.status})`);
    return elapsed;
  } finally {
    fx.close();
  }
}
