/**
 * Returns between consecutive values (SPEC.md a.4, d.5, d.11).
 *
 * - simple: `p_t / p_(t−1) − 1` (the default everywhere unless a section says otherwise);
 * - log: `ln(p_t / p_(t−1))` (position correlations, d.11).
 *
 * A close is valid when it is finite and > 0 (SPEC.md d.2.1). A return that involves an
 * invalid close is NaN; the aligned table (align.ts) never produces one because it keeps
 * valid rows only.
 */

export type ReturnKind = 'simple' | 'log';

/** A close is valid when it is finite and strictly positive (SPEC.md d.2.1). */
export function isValidClose(p: number): boolean {
  return p > 0 && p < Infinity;
}

/** One return from `prev` to `cur`. NaN when either close is invalid. Unitless (0.01 = 1 %). */
export function periodReturn(prev: number, cur: number, kind: ReturnKind): number {
  if (!isValidClose(prev) || !isValidClose(cur)) return NaN;
  return kind === 'log' ? Math.log(cur / prev) : cur / prev - 1;
}

/**
 * Returns of consecutive values: `out[i] = return(values[i], values[i + 1])`, length n − 1
 * (0 for fewer than two values). Writes into `out` when given (it must hold n − 1 values) and
 * returns it, otherwise allocates. Invalid closes give NaN at the affected positions.
 */
export function consecutiveReturns(
  values: ArrayLike<number>,
  kind: ReturnKind = 'simple',
  out?: Float64Array,
): Float64Array {
  const n = Math.max(0, values.length - 1);
  const target = out ?? new Float64Array(n);
  if (target.length < n) throw new RangeError(`consecutiveReturns: output holds ${target.length}, needs ${n}`);
  for (let i = 0; i < n; i++) target[i] = periodReturn(values[i]!, values[i + 1]!, kind);
  return n === target.length ? target : target.subarray(0, n);
}

/** Number of valid closes in `series[from..to]` (inclusive, clipped to the series). */
export function countValidCloses(series: ArrayLike<number>, from: number, to: number): number {
  let count = 0;
  const end = Math.min(to, series.length - 1);
  for (let d = Math.max(0, from); d <= end; d++) if (isValidClose(series[d]!)) count++;
  return count;
}
