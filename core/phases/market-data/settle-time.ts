/**
 * A trading day's settle instant: `settle_hour` o'clock in New York (SPEC.md e.3; default
 * 20:00, because mutual-fund prices arrive in the evening). DST-aware through the
 * calendar's New York clock: of the two possible UTC offsets (EDT −4, EST −5), the one whose
 * wall time reads back as the settle hour is taken. Memoised: the New York clock (Intl) costs
 * microseconds per call and the fetch planner asks for each missing day of every symbol.
 */
import { newYorkWallTime } from '../../calendar';
import type { IsoDate } from '../../domain/iso-date';

/** Settle instants already computed, by `date@hour` (the fetch planner asks for the same days per symbol). */
const memo = new Map<string, number>();

export function settleInstantMs(d: IsoDate, settleHour: number): number {
  const key = `${d}@${settleHour}`;
  let ms = memo.get(key);
  if (ms === undefined) {
    ms = computeSettleInstantMs(d, settleHour);
    if (memo.size < 100_000) memo.set(key, ms);
  }
  return ms;
}

function computeSettleInstantMs(d: IsoDate, settleHour: number): number {
  const y = Number(d.slice(0, 4));
  const m = Number(d.slice(5, 7)) - 1;
  const day = Number(d.slice(8, 10));
  for (const offset of [4, 5]) {
    const candidate = Date.UTC(y, m, day, settleHour + offset, 0, 0);
    const wall = newYorkWallTime(candidate);
    if (wall.date === d && wall.minuteOfDay === settleHour * 60) return candidate;
  }
  return Date.UTC(y, m, day, settleHour + 5, 0, 0);
}
