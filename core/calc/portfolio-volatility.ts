/**
 * Portfolio-level volatility (SPEC.md d.10, "Portfolio level"), written to the snapshot.
 *
 * Lots: active on D, not private, not options (the engine selects them), each with its
 * symbol's ReturnSeries (volatility.ts; shared by lots of one symbol) and its market value.
 * - Weights w_i = MV_i / Σ_j MV_j (signed sum: shorts subtract in the denominator). Lots whose
 *   mark is missing (marketValue null) are left out; when every lot lacks a mark,
 *   quantity × entry price (costValue) replaces MV for all of them.
 * - Guard: |Σ MV| < 0.01 × Σ |MV| (including Σ |MV| = 0) fails with `net_value_near_zero`.
 * - R_t = Σ_i w_i r_(i,t) on the union of the trading days on which at least one lot's symbol
 *   has a return; a missing return counts as 0. Compensated sums (SPEC.md a.4).
 * - Then the metrics of volatility.ts on R (≥ 63 returns, else `insufficient_observations`).
 * Failures: `no_positions` (no lot), `net_value_near_zero`, `no_price_data` (no lot has a
 * return), `insufficient_observations`.
 */
import { calcFailure, type CalcFailure } from './outcome';
import { volatilityMetrics, type ReturnSeries, type VolatilityMetrics } from './volatility';

export const NET_VALUE_GUARD_FRACTION = 0.01;

export interface PortfolioVolatilityLot {
  /** Signed market value from D's mark; null when the mark is missing. */
  readonly marketValue: number | null;
  /** quantity × entry_price (signed), used only when no lot has a mark. */
  readonly costValue: number;
  readonly series: ReturnSeries;
}

export interface PortfolioReturns {
  readonly ok: true;
  readonly returns: Float64Array;
  readonly returnDays: Int32Array;
  /** w_i per input lot (0 for lots left out). */
  readonly weights: Float64Array;
  readonly basis: 'market_value' | 'cost';
}

export type PortfolioReturnsFailure = CalcFailure<'no_positions' | 'net_value_near_zero' | 'no_price_data'>;

/** The weighted portfolio return series of SPEC.md d.10. */
export function portfolioReturnSeries(lots: readonly PortfolioVolatilityLot[]): PortfolioReturns | PortfolioReturnsFailure {
  if (lots.length === 0) return calcFailure('no_positions');
  const anyMark = lots.some((l) => l.marketValue !== null && Number.isFinite(l.marketValue));
  const value = (l: PortfolioVolatilityLot): number | null => {
    const v = anyMark ? l.marketValue : l.costValue;
    return v !== null && Number.isFinite(v) ? v : null;
  };
  let net = 0;
  let netC = 0;
  let gross = 0;
  for (const l of lots) {
    const v = value(l);
    if (v === null) continue;
    const t = net + v;
    netC += Math.abs(net) >= Math.abs(v) ? net - t + v : v - t + net;
    net = t;
    gross += Math.abs(v);
  }
  net += netC;
  if (!(gross > 0) || Math.abs(net) < NET_VALUE_GUARD_FRACTION * gross) return calcFailure('net_value_near_zero');

  const weights = new Float64Array(lots.length);
  let minDay = Infinity;
  let maxDay = -Infinity;
  lots.forEach((l, i) => {
    const v = value(l);
    if (v === null) return;
    weights[i] = v / net;
    const days = l.series.returnDays;
    if (days.length > 0) {
      if (days[0]! < minDay) minDay = days[0]!;
      if (days[days.length - 1]! > maxDay) maxDay = days[days.length - 1]!;
    }
  });
  if (minDay === Infinity) return calcFailure('no_price_data');

  const span = maxDay - minDay + 1;
  const sum = new Float64Array(span);
  const comp = new Float64Array(span);
  const present = new Uint8Array(span);
  lots.forEach((l, i) => {
    const w = weights[i]!;
    if (w === 0 && value(l) === null) return;
    const { returns, returnDays } = l.series;
    for (let k = 0; k < returns.length; k++) {
      const j = returnDays[k]! - minDay;
      const v = w * returns[k]!;
      const s = sum[j]!;
      const t = s + v;
      comp[j] = comp[j]! + (Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s);
      sum[j] = t;
      present[j] = 1;
    }
  });
  let count = 0;
  for (let j = 0; j < span; j++) count += present[j]!;
  const returns = new Float64Array(count);
  const returnDays = new Int32Array(count);
  let k = 0;
  for (let j = 0; j < span; j++) {
    if (present[j] === 0) continue;
    returns[k] = sum[j]! + comp[j]!;
    returnDays[k] = j + minDay;
    k++;
  }
  return { ok: true, returns, returnDays, weights, basis: anyMark ? 'market_value' : 'cost' };
}

/** Portfolio volatility metrics (SPEC.md d.10): the weighted series, then volatilityMetrics. */
export function portfolioVolatility(
  lots: readonly PortfolioVolatilityLot[],
): VolatilityMetrics | PortfolioReturnsFailure | (CalcFailure<'insufficient_observations'> & { readonly observations: number }) {
  const series = portfolioReturnSeries(lots);
  if (!series.ok) return series;
  const m = volatilityMetrics(series.returns);
  if (!m.ok) return { ok: false, reason: 'insufficient_observations', observations: m.observations };
  return m;
}
