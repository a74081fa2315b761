/**
 * Micro-benchmark of the symbol-level regressions of one processed date (SPEC.md d.6–d.8):
 * for each of N synthetic symbols (default 1,200), the market and IR OLS betas over the
 * `[D − 120, D]` window (84 trading days), the ridge style betas over the same window, and
 * the four spread betas over `[D − 210, D]` (145 trading days), every call aligning its own
 * series as the engine does. Data generation is outside the timed section; one alignment
 * workspace is shared, as the engine is expected to do.
 *
 * Not a vitest test: the bench runner imports runCalcBench and reports the milliseconds.
 */
import { createAlignWorkspace } from '../../core/calc/align';
import { spreadBetas, type SpreadConfig } from '../../core/calc/spread-betas';
import { styleFactorBetas, type StyleFactorConfig } from '../../core/calc/style-betas';
import { DEFAULT_SYMBOL_OLS_CONFIG, symbolOlsBeta } from '../../core/calc/symbol-ols-beta';
import { RIDGE_FACTORS, SPREAD_FACTORS } from '../../core/data/factors';
import { FACTOR_ETFS } from '../../core/domain/symbols';
import { normalSeries, pricesFromReturns, seededRng } from '../support/calc-random';

export interface CalcBenchOptions {
  /** Number of symbols (default 1,200). */
  readonly symbols?: number;
  /** Seed of the synthetic data (default 20250930). */
  readonly seed?: number;
  /** Probability that a symbol has no close on a given day (default 0.02). */
  readonly gapProbability?: number;
}

/** Trading days in the spread window [D − 210, D]; the OLS/ridge window is its last 84 days. */
const DAYS = 145;
const SHORT_WINDOW = 84;

const SPREAD_CONFIG: SpreadConfig = {
  definitions: SPREAD_FACTORS,
  alignedEtfs: ['VUG', 'VTV', 'MTUM', 'QUAL', 'IWM', 'SPY'],
  minObservations: 60,
  betaCap: 5,
};
const STYLE_CONFIG: StyleFactorConfig = { factors: RIDGE_FACTORS, alpha: 1, minObservations: 30, betaCap: 5 };

/** Runs the benchmark once and returns the elapsed wall time of the timed section in milliseconds. */
export function runCalcBench(options: CalcBenchOptions = {}): number {
  const n = options.symbols ?? 1_200;
  const rng = seededRng(options.seed ?? 20250930);
  const gap = options.gapProbability ?? 0.02;

  const market = normalSeries(rng, DAYS - 1, 0.0004, 0.01);
  const etf: Record<string, Float64Array> = {};
  FACTOR_ETFS.forEach((name, k) => {
    const own = normalSeries(rng, DAYS - 1, 0, 0.004);
    etf[name] = pricesFromReturns(market.map((m, i) => (name === 'TLT' ? -0.2 : 0.8 + 0.05 * k) * m + own[i]!), 100);
  });
  const symbols: Float64Array[] = [];
  for (let s = 0; s < n; s++) {
    const beta = 0.5 + rng.next();
    const idio = normalSeries(rng, DAYS - 1, 0, 0.015);
    const p = pricesFromReturns(market.map((m, i) => beta * m + idio[i]!), 20 + 200 * rng.next());
    for (let d = 0; d < DAYS; d++) if (rng.next() < gap) p[d] = NaN;
    symbols.push(p);
  }
  const longRange = { from: 0, to: DAYS - 1 };
  const shortRange = { from: DAYS - SHORT_WINDOW, to: DAYS - 1 };
  const ws = createAlignWorkspace(8, DAYS);

  let sink = 0;
  let failures = 0;
  const start = performance.now();
  for (const p of symbols) {
    const mkt = symbolOlsBeta(p, etf.SPY!, shortRange, DEFAULT_SYMBOL_OLS_CONFIG, ws);
    const ir = symbolOlsBeta(p, etf.TLT!, shortRange, DEFAULT_SYMBOL_OLS_CONFIG, ws);
    const style = styleFactorBetas(p, etf, shortRange, STYLE_CONFIG, ws);
    const spreads = spreadBetas(p, etf, longRange, SPREAD_CONFIG, ws);
    if (mkt.ok) sink += mkt.beta;
    else failures++;
    if (ir.ok) sink += ir.beta;
    else failures++;
    if (style.ok) sink += style.rSquared;
    else failures++;
    if (spreads.ok) sink += spreads.rSquared;
    else failures++;
  }
  const elapsed = performance.now() - start;
  // Every synthetic symbol has enough history: a failure means the benchmark measured nothing useful.
  if (failures > 0 || !Number.isFinite(sink)) throw new Error(`calc bench: ${failures} regressions failed`);
  return elapsed;
}
