/**
 * A symbol's volatility inputs over a whole price table, computed once per table and sliced
 * per processed date (SPEC.md d.10). The position series of D is the returns on consecutive
 * valid closes inside `[D − 365, D]`: exactly the table-wide consecutive-close returns whose
 * both closes lie in the window. rv_d, rv_w and rv_m of a return depend only on that return and
 * the 4 or 20 before it, so the table-wide values equal the window's wherever the window holds
 * those earlier returns; the first 4 (rv_w) and 20 (rv_m) positions of a window are undefined.
 * Slicing gives the same numbers as computing each window from scratch (same operations on the
 * same values in the same order), at a fraction of the cost over a backfill.
 */
import type { DayRange } from './align';
import { HAR_MONTH, HAR_WEEK, harComponents, type HarComponents } from './har';
import { lowerBound } from './lower-bound';
import { isValidClose } from './returns';
import type { ReturnSeries } from './volatility';

export interface VolatilityHistory {
  /** Table-wide returns on consecutive valid closes, non-finite ones dropped. */
  readonly returns: Float64Array;
  /** Table index of each return's earlier close. */
  readonly startDays: Int32Array;
  /** Table index of each return's later close. */
  readonly endDays: Int32Array;
  readonly components: HarComponents;
}

export function volatilityHistory(prices: ArrayLike<number>): VolatilityHistory {
  const n = prices.length;
  const returns = new Float64Array(Math.max(n - 1, 0));
  const startDays = new Int32Array(Math.max(n - 1, 0));
  const endDays = new Int32Array(Math.max(n - 1, 0));
  let count = 0;
  let prev = -1;
  for (let i = 0; i < n; i++) {
    const cur = prices[i]!;
    if (!isValidClose(cur)) continue;
    if (prev >= 0) {
      const r = cur / prices[prev]! - 1;
      if (Number.isFinite(r)) {
        returns[count] = r;
        startDays[count] = prev;
        endDays[count] = i;
        count++;
      }
    }
    prev = i;
  }
  const r = returns.slice(0, count);
  return { returns: r, startDays: startDays.slice(0, count), endDays: endDays.slice(0, count), components: harComponents(r, count) };
}

/** The window's return series and its HAR components (undefined positions NaN), from the history. */
export function windowVolatilityInputs(h: VolatilityHistory, prices: ArrayLike<number>, range: DayRange): { series: ReturnSeries; components: HarComponents } {
  const a = lowerBound(h.startDays, range.from);
  const b = lowerBound(h.endDays, range.to + 1);
  const n = Math.max(0, b - a);
  let validCloses = 0;
  for (let i = Math.max(0, range.from); i <= Math.min(prices.length - 1, range.to); i++) if (isValidClose(prices[i]!)) validCloses++;
  const rvWeekly = h.components.rvWeekly.slice(a, a + n);
  const rvMonthly = h.components.rvMonthly.slice(a, a + n);
  rvWeekly.fill(NaN, 0, Math.min(n, HAR_WEEK - 1));
  rvMonthly.fill(NaN, 0, Math.min(n, HAR_MONTH - 1));
  return {
    series: { validCloses, returns: h.returns.subarray(a, a + n), returnDays: h.endDays.subarray(a, a + n) },
    components: { rvDaily: h.components.rvDaily.subarray(a, a + n), rvWeekly, rvMonthly },
  };
}

