/**
 * One symbol's closes and volumes on every trading day of the calendar (SPEC.md e.9, m.8).
 *
 * Returns, per trading-day index i (from 2000-01-03):
 *   factor ETF j:  r_i = f_i,j (the factor return itself, no idiosyncratic part)
 *   other symbol:  r_i = alpha + Σ_f b_f f_i,f + sigma_idio_daily × eps_i,
 *                  eps_i = normal i of 'idio:<SYMBOL>', sigma_idio_daily = annual / sqrt(252)
 * Prices from the anchor (index a, price P_a): forward P_i = P_(i-1) (1 + r_i), backward
 * P_(i-1) = P_i / (1 + r_i), in float64, each close rounded to 4 decimals only at output, so
 * the close on the anchor day is the anchor price.
 *
 * Volumes come from their own stream 'volume:<SYMBOL>' so they never change returns: one
 * uniform sets a base volume log-uniform in [300 000, 30 000 000] shares, then normal i of the
 * same stream gives
 *   v_i = max(1, round(base × exp(0.35 z_i − 0.35²/2) × (1 + 10 |r_i|)))
 * (a mean-one lognormal day-to-day spread, busier on large moves).
 */
import { TRADING_DAY_COUNT } from '../../core/calendar/trading-calendar';
import { FACTOR_COUNT, TRADING_DAYS_PER_YEAR } from './factor-model';
import { RandomStream } from './prng';
import type { StockParams } from './stock-params';

export interface SymbolSeries {
  /** Close of trading day i, rounded to 4 decimals. */
  readonly closes: Float64Array;
  /** Volume (shares) of trading day i. */
  readonly volumes: Float64Array;
}

export type SeriesDriver =
  | { readonly kind: 'factor'; readonly factorIndex: number }
  | { readonly kind: 'stock'; readonly params: StockParams };

const VOLUME_MIN = 3e5;
const VOLUME_MAX = 3e7;
const VOLUME_SPREAD = 0.35;

export function roundTo4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

export function generateSymbolSeries(
  seed: number,
  symbol: string,
  driver: SeriesDriver,
  factorReturns: Float64Array,
  anchorIndex: number,
  anchorPrice: number,
): SymbolSeries {
  const n = TRADING_DAY_COUNT;
  const r = new Float64Array(n);
  if (driver.kind === 'factor') {
    for (let i = 0; i < n; i++) r[i] = factorReturns[i * FACTOR_COUNT + driver.factorIndex]!;
  } else {
    const { loadings, alphaDaily, idioVolAnnual } = driver.params;
    const sigma = idioVolAnnual / Math.sqrt(TRADING_DAYS_PER_YEAR);
    const idio = new RandomStream(seed, `idio:${symbol}`);
    for (let i = 0; i < n; i++) {
      let s = alphaDaily;
      for (let k = 0; k < FACTOR_COUNT; k++) s += loadings[k]! * factorReturns[i * FACTOR_COUNT + k]!;
      r[i] = s + sigma * idio.normal();
    }
  }

  const prices = new Float64Array(n);
  prices[anchorIndex] = anchorPrice;
  for (let i = anchorIndex + 1; i < n; i++) prices[i] = prices[i - 1]! * (1 + r[i]!);
  for (let i = anchorIndex - 1; i >= 0; i--) prices[i] = prices[i + 1]! / (1 + r[i + 1]!);
  const closes = prices.map(roundTo4);

  const vol = new RandomStream(seed, `volume:${symbol}`);
  const base = Math.exp(Math.log(VOLUME_MIN) + vol.uniform() * (Math.log(VOLUME_MAX) - Math.log(VOLUME_MIN)));
  const volumes = new Float64Array(n);
  const shift = (VOLUME_SPREAD * VOLUME_SPREAD) / 2;
  for (let i = 0; i < n; i++) {
    volumes[i] = Math.max(1, Math.round(base * Math.exp(VOLUME_SPREAD * vol.normal() - shift) * (1 + 10 * Math.abs(r[i]!))));
  }
  return { closes, volumes };
}
