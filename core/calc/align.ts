/**
 * The aligned price table and its returns (SPEC.md d.5).
 *
 * Input: price series of equal length indexed by trading-day index (index i is the i-th
 * trading day of the caller's calendar; NaN, ≤ 0 or non-finite means "no valid close"), and
 * an inclusive day-index range (the calendar window `[D − N, D]` mapped to trading days).
 *
 * Rule: keep only the days on which every series has a valid close (ascending); returns are
 * taken between consecutive kept days, so a return may span several trading days when days
 * were dropped. Return rows with any non-finite value (possible only through overflow, e.g.
 * 1e300 / 1e−300) are dropped too, as d.11 step 5 asks; every other return is kept. The
 * number of observations n is the number of returns.
 *
 * Performance: this runs tens of thousands of times per backfill, so it allocates nothing per
 * row. Pass an AlignWorkspace to reuse buffers across calls: the result then aliases the
 * workspace and is valid until the next call with the same workspace. A workspace too small
 * for the call (fewer series or days than needed) is ignored and fresh arrays are allocated.
 */
import { isValidClose, type ReturnKind } from './returns';

/** Inclusive range of trading-day indices. */
export interface DayRange {
  readonly from: number;
  readonly to: number;
}

export interface AlignedReturns {
  /** n: number of returns (rows of the return table). */
  readonly observations: number;
  /** Number of kept price rows (days on which every series has a valid close). */
  readonly keptDays: number;
  /** Trading-day index of the later close of each return (length n). */
  readonly returnDays: Int32Array;
  /** One return column per input series, in input order (each of length n). */
  readonly columns: readonly Float64Array[];
}

/** Reusable buffers for alignedReturns (caller-owned; no module-level state). */
export interface AlignWorkspace {
  readonly maxSeries: number;
  readonly maxDays: number;
  readonly days: Int32Array;
  readonly values: Float64Array;
}

export function createAlignWorkspace(maxSeries: number, maxDays: number): AlignWorkspace {
  if (!(maxSeries >= 1 && maxDays >= 1)) throw new RangeError('createAlignWorkspace: sizes must be >= 1');
  return {
    maxSeries,
    maxDays,
    days: new Int32Array(maxDays),
    values: new Float64Array(maxSeries * maxDays),
  };
}

/**
 * Aligned returns of `series` over `range` (SPEC.md d.5). See the file header for the rule.
 *
 * Edge cases: an empty or inverted range, or fewer than two common days, gives n = 0 (the
 * caller reports `insufficient_observations`). The range is clipped to the series length.
 * Throws only on programming errors: no series, or series of different lengths.
 */
export function alignedReturns(
  series: readonly ArrayLike<number>[],
  range: DayRange,
  kind: ReturnKind = 'simple',
  workspace?: AlignWorkspace,
): AlignedReturns {
  const k = series.length;
  if (k === 0) throw new RangeError('alignedReturns: at least one series is required');
  const len = series[0]!.length;
  for (let s = 1; s < k; s++) {
    if (series[s]!.length !== len) throw new RangeError('alignedReturns: series must have equal length');
  }
  const from = Math.max(0, Math.floor(range.from));
  const to = Math.min(len - 1, Math.floor(range.to));
  const span = to >= from ? to - from + 1 : 0;

  const ws = workspace !== undefined && workspace.maxSeries >= k && workspace.maxDays >= span ? workspace : null;
  const days = ws ? ws.days : new Int32Array(Math.max(span, 1));
  const values = ws ? ws.values : new Float64Array(Math.max(k * Math.max(span - 1, 0), 1));

  // Pass 1: the days on which every series has a valid close.
  let kept = 0;
  for (let d = from; d <= to; d++) {
    let ok = true;
    for (let s = 0; s < k; s++) {
      if (!isValidClose(series[s]![d]!)) {
        ok = false;
        break;
      }
    }
    if (ok) days[kept++] = d;
  }

  // Pass 2: returns between consecutive kept days, column-major with stride = kept − 1.
  const raw = Math.max(kept - 1, 0);
  const stride = raw;
  let nonFinite = false;
  for (let s = 0; s < k; s++) {
    const p = series[s]!;
    const base = s * stride;
    if (raw === 0) break;
    let prev = p[days[0]!]!;
    for (let i = 0; i < raw; i++) {
      const cur = p[days[i + 1]!]!;
      const r = kind === 'log' ? Math.log(cur / prev) : cur / prev - 1;
      if (!Number.isFinite(r)) nonFinite = true;
      values[base + i] = r;
      prev = cur;
    }
  }

  // Return days: the later day of each return. Shift the kept days left by one in place.
  for (let i = 0; i < raw; i++) days[i] = days[i + 1]!;

  let n = raw;
  if (nonFinite) {
    // Rare path: compact away rows that hold a non-finite value in any column.
    n = 0;
    for (let i = 0; i < raw; i++) {
      let ok = true;
      for (let s = 0; s < k; s++) {
        if (!Number.isFinite(values[s * stride + i]!)) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      for (let s = 0; s < k; s++) values[s * stride + n] = values[s * stride + i]!;
      days[n] = days[i]!;
      n++;
    }
  }

  const columns: Float64Array[] = new Array<Float64Array>(k);
  for (let s = 0; s < k; s++) columns[s] = values.subarray(s * stride, s * stride + n);
  return { observations: n, keptDays: kept, returnDays: days.subarray(0, n), columns };
}
