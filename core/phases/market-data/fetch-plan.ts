/**
 * The fetch plan of a chunk (SPEC.md e.3): per symbol, the required trading days are the
 * union of the windows [D − 366, D] of the chunk's dates on which it is needed; a day is
 * satisfied by a valid cached close, by an earlier answered request (ok, or a provider's
 * no_data, not the CSV folder's: prefetch.ts) made after the day's settle time, or by lying
 * before the symbol's first trade date; but neither a close nor an answer satisfies a day whose
 * CSV folder file changed after an earlier run read it (prefetch.ts). The
 * unsatisfied days are grouped into ranges, merging gaps of up to 10 trading days; one
 * request per range. A close stored from an answer made before its day's settle time does
 * not satisfy the day: the next run asks again.
 */
import { lookbackStart, tradingDayAt, tradingIndexOnOrAfter, tradingIndexOnOrBefore } from '../../calendar';
import type { IsoDate } from '../../domain/iso-date';
import type { FetchLogEntry } from '../../ports/store';

export const PRICE_WINDOW_DAYS = 366;
const MERGE_GAP_TRADING_DAYS = 10;

export interface FetchRange {
  readonly symbol: string;
  readonly start: IsoDate;
  readonly end: IsoDate;
  readonly days: number;
}

export type FetchMode = 'cached' | 'incremental' | 'gap_fill' | 'full_backfill';

/** Global trading-day indexes required for a symbol over the chunk's dates that need it. */
export function requiredIndexes(dates: readonly IsoDate[]): [number, number][] {
  const spans: [number, number][] = [];
  for (const d of [...dates].sort()) {
    const from = tradingIndexOnOrAfter(lookbackStart(d, PRICE_WINDOW_DAYS));
    const to = tradingIndexOnOrBefore(d);
    const last = spans[spans.length - 1];
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else spans.push([from, to]);
  }
  return spans;
}

export interface SatisfiedCheck {
  /** True when the cache holds a valid close for the symbol on this trading day. */
  hasClose(globalIndex: number): boolean;
  /** Answered requests (ok or no_data) for the symbol. */
  readonly answered: readonly FetchLogEntry[];
  readonly firstTradeDate: IsoDate | null;
  /** Epoch ms of a day's settle time (settle_hour New York). */
  settleMs(d: IsoDate): number;
  /**
   * True for a day whose source file changed after the read that last covered it (a CSV folder
   * file edited since an earlier run read it): asked again though cached or answered, so its
   * corrected close replaces the stored one by the e.4 rules.
   */
  changedSinceRead?(d: IsoDate): boolean;
}

/**
 * Days whose stored close came from an answer made before the day's settle time and that no
 * answer after the settle time has covered since: their close is provisional (an intraday
 * price, or a mutual fund's price not yet published), so they are asked for again (e.3).
 */
export function provisionalDays(check: Pick<SatisfiedCheck, 'answered' | 'settleMs'>): Set<IsoDate> {
  const early = new Set<IsoDate>();
  for (const e of check.answered) {
    if (e.outcome !== 'ok') continue;
    const at = Date.parse(e.requestedAt);
    // Only the last days of a range can be fetched before their settle time.
    for (let i = tradingIndexOnOrBefore(e.rangeEnd); i >= 0; i--) {
      const day = tradingDayAt(i);
      if (day < e.rangeStart || check.settleMs(day) <= at) break;
      early.add(day);
    }
  }
  for (const day of [...early]) {
    const settle = check.settleMs(day);
    if (check.answered.some((e) => e.rangeStart <= day && e.rangeEnd >= day && Date.parse(e.requestedAt) >= settle)) early.delete(day);
  }
  return early;
}

export function planSymbol(symbol: string, spans: readonly [number, number][], check: SatisfiedCheck): FetchRange[] {
  const provisional = provisionalDays(check);
  const missing: number[] = [];
  for (const [from, to] of spans) {
    for (let i = from; i <= to; i++) {
      const day = tradingDayAt(i);
      const changed = check.changedSinceRead?.(day) === true;
      if (check.hasClose(i) && !provisional.has(day) && !changed) continue;
      if (check.firstTradeDate && day < check.firstTradeDate) continue;
      const settle = check.settleMs(day);
      const answered = !changed && check.answered.some((e) => e.rangeStart <= day && e.rangeEnd >= day && Date.parse(e.requestedAt) >= settle);
      if (!answered) missing.push(i);
    }
  }
  const ranges: FetchRange[] = [];
  let start = -1;
  let prev = -1;
  let count = 0;
  for (const i of missing) {
    if (start >= 0 && i - prev <= MERGE_GAP_TRADING_DAYS) {
      prev = i;
      count++;
      continue;
    }
    if (start >= 0) ranges.push({ symbol, start: tradingDayAt(start), end: tradingDayAt(prev), days: count });
    start = prev = i;
    count = 1;
  }
  if (start >= 0) ranges.push({ symbol, start: tradingDayAt(start), end: tradingDayAt(prev), days: count });
  return ranges;
}

/** fetch_mode for metrics (e.3 step 4). */
export function fetchModeOf(ranges: readonly FetchRange[], lastDate: IsoDate | null): FetchMode {
  if (ranges.length === 0 || lastDate === null) return 'cached';
  const recent = tradingIndexOnOrBefore(lastDate) - 7;
  if (ranges.every((r) => tradingIndexOnOrAfter(r.start) >= recent)) return 'incremental';
  const total = ranges.reduce((s, r) => s + r.days, 0);
  return total <= 30 ? 'gap_fill' : 'full_backfill';
}
