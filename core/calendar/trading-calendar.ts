/**
 * The NYSE trading calendar, 2000-01-01 to 2030-12-31 (SPEC.md f.1, f.2).
 *
 * Built once at module load from the rules in nyse-holidays.ts into frozen arrays: the sorted
 * trading days, and for every calendar day of the range the index of the last trading day on
 * or before it. Every function is then an O(1) lookup. Nothing here changes after load.
 *
 * Range rules: any date outside the range throws CalendarRangeError, except the start of a
 * look-back window (the `a` of tradingDaysBetween, firstTradingDayOnOrAfter,
 * tradingIndexOnOrAfter), which is clipped to 2000-01-01 (SPEC.md f.1).
 */
import { addCalendarDays, dayOfWeek, fromEpochDay, maxDate, minDate, toEpochDay, type IsoDate } from '../domain/iso-date';
import {
  assertInCalendarRange,
  CALENDAR_END,
  CALENDAR_FIRST_YEAR,
  CALENDAR_LAST_YEAR,
  CALENDAR_START,
  CalendarRangeError,
} from './calendar-range-error';
import { holidays } from './nyse-holidays';

interface CalendarTables {
  readonly startEpochDay: number;
  /** Trading days in ascending order. */
  readonly days: readonly IsoDate[];
  /** Epoch day of days[i]. */
  readonly epochDays: readonly number[];
  /** For calendar day startEpochDay + k: the index of the last trading day on or before it, or -1. */
  readonly indexOnOrBefore: readonly number[];
}

function buildTables(): CalendarTables {
  const closed = new Set<string>();
  for (let y = CALENDAR_FIRST_YEAR; y <= CALENDAR_LAST_YEAR; y++) {
    for (const c of holidays(y)) closed.add(c.date);
  }
  const startEpochDay = toEpochDay(CALENDAR_START);
  const endEpochDay = toEpochDay(CALENDAR_END);
  const days: IsoDate[] = [];
  const epochDays: number[] = [];
  const indexOnOrBefore: number[] = [];
  for (let e = startEpochDay; e <= endEpochDay; e++) {
    const d = fromEpochDay(e);
    const dow = dayOfWeek(d);
    if (dow !== 0 && dow !== 6 && !closed.has(d)) {
      days.push(d);
      epochDays.push(e);
    }
    indexOnOrBefore.push(days.length - 1);
  }
  return Object.freeze({
    startEpochDay,
    days: Object.freeze(days),
    epochDays: Object.freeze(epochDays),
    indexOnOrBefore: Object.freeze(indexOnOrBefore),
  });
}

const TABLES: CalendarTables = buildTables();

/** Number of trading days in the calendar (indices run 0 .. TRADING_DAY_COUNT - 1). */
export const TRADING_DAY_COUNT: number = TABLES.days.length;

/** All trading days of the calendar, ascending (frozen). */
export function allTradingDays(): readonly IsoDate[] {
  return TABLES.days;
}

function offsetOf(d: IsoDate): number {
  assertInCalendarRange(d);
  return toEpochDay(d) - TABLES.startEpochDay;
}

/** True when the NYSE holds a regular (or early-close) session on `d`. */
export function isTradingDay(d: IsoDate): boolean {
  return tradingDayIndex(d) >= 0;
}

/** Index of `d` in the sorted trading days, or -1 when `d` is not a trading day. */
export function tradingDayIndex(d: IsoDate): number {
  const off = offsetOf(d);
  const i = TABLES.indexOnOrBefore[off]!;
  return i >= 0 && TABLES.epochDays[i] === TABLES.startEpochDay + off ? i : -1;
}

/** The trading day at `index`; throws CalendarRangeError outside 0 .. TRADING_DAY_COUNT - 1. */
export function tradingDayAt(index: number): IsoDate {
  if (!Number.isInteger(index) || index < 0 || index >= TRADING_DAY_COUNT) {
    throw new CalendarRangeError(`trading-day index ${index}`, `valid indices are 0..${TRADING_DAY_COUNT - 1}`);
  }
  return TABLES.days[index]!;
}

/** Index of the last trading day on or before `d`; -1 when there is none (d before 2000-01-03). */
export function tradingIndexOnOrBefore(d: IsoDate): number {
  return TABLES.indexOnOrBefore[offsetOf(d)]!;
}

/**
 * Index of the first trading day on or after `d`; TRADING_DAY_COUNT when there is none.
 * A `d` before 2000-01-01 is clipped to it (look-back start).
 */
export function tradingIndexOnOrAfter(d: IsoDate): number {
  const clipped = clipToCalendarStart(d);
  const i = tradingIndexOnOrBefore(clipped);
  return i >= 0 && TABLES.days[i] === clipped ? i : i + 1;
}

/** The last trading day on or before `d`. */
export function lastTradingDayOnOrBefore(d: IsoDate): IsoDate {
  const i = tradingIndexOnOrBefore(d);
  if (i < 0) throw new CalendarRangeError(`the last trading day on or before ${d}`);
  return TABLES.days[i]!;
}

/** The first trading day on or after `d` (a `d` before 2000-01-01 is clipped to it). */
export function firstTradingDayOnOrAfter(d: IsoDate): IsoDate {
  const i = tradingIndexOnOrAfter(d);
  if (i >= TRADING_DAY_COUNT) throw new CalendarRangeError(`the first trading day on or after ${d}`);
  return TABLES.days[i]!;
}

/** The latest trading day strictly before `d` (SPEC.md a.1). */
export function previousTradingDay(d: IsoDate): IsoDate {
  const i = tradingIndexOnOrBefore(d);
  const j = i >= 0 && TABLES.days[i] === d ? i - 1 : i;
  if (j < 0) throw new CalendarRangeError(`the trading day before ${d}`);
  return TABLES.days[j]!;
}

/** The earliest trading day strictly after `d`. */
export function nextTradingDay(d: IsoDate): IsoDate {
  const j = tradingIndexOnOrBefore(d) + 1;
  if (j >= TRADING_DAY_COUNT) throw new CalendarRangeError(`the trading day after ${d}`);
  return TABLES.days[j]!;
}

/**
 * Trading days in [a, b], both ends included, ascending. Empty when a > b. `a` before
 * 2000-01-01 is clipped to it; `b` must lie in the range.
 */
export function tradingDaysBetween(a: IsoDate, b: IsoDate): readonly IsoDate[] {
  const hi = tradingIndexOnOrBefore(b);
  if (a > b) return [];
  return TABLES.days.slice(tradingIndexOnOrAfter(a), hi + 1);
}

/**
 * The trading days from the first to the last of `dates` (ascending) that are not among
 * them: the gaps of a tracked history. Dates after the calendar's end are ignored, so an
 * imported history that reaches beyond it still gets its gaps inside the range.
 */
export function tradingDaysMissingBetween(dates: readonly IsoDate[]): IsoDate[] {
  if (dates.length === 0 || dates[0]! > CALENDAR_END) return [];
  const have = new Set<string>(dates);
  return tradingDaysBetween(dates[0]!, minDate(dates[dates.length - 1]!, CALENDAR_END)).filter((d) => !have.has(d));
}

/** Number of trading days in [a, b] (same range rules as tradingDaysBetween). */
export function countTradingDaysBetween(a: IsoDate, b: IsoDate): number {
  const hi = tradingIndexOnOrBefore(b);
  if (a > b) return 0;
  return Math.max(0, hi - tradingIndexOnOrAfter(a) + 1);
}

/**
 * The trading day reached by |n| steps of nextTradingDay (n > 0) or previousTradingDay
 * (n < 0) from `d`. From a non-trading day, +1 is the next trading day and -1 the previous
 * one. n = 0 returns `d` unchanged (which need not be a trading day). Throws
 * CalendarRangeError when the result would leave the calendar.
 */
export function addTradingDays(d: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`addTradingDays: n must be an integer, got ${n}`);
  const i = tradingIndexOnOrBefore(d);
  if (n === 0) return d;
  const onDay = i >= 0 && TABLES.days[i] === d;
  const target = n > 0 ? i + n : (onDay ? i : i + 1) + n;
  if (target < 0 || target >= TRADING_DAY_COUNT) {
    throw new CalendarRangeError(`${n} trading days from ${d}`);
  }
  return TABLES.days[target]!;
}

/** max(d, 2000-01-01): the clipping rule for look-back window starts (SPEC.md f.1). */
export function clipToCalendarStart(d: IsoDate): IsoDate {
  return maxDate(d, CALENDAR_START);
}

/** Start of the calendar window [D - N, D] (SPEC.md a.1), clipped to 2000-01-01. */
export function lookbackStart(d: IsoDate, calendarDays: number): IsoDate {
  assertInCalendarRange(d);
  return clipToCalendarStart(addCalendarDays(d, -calendarDays));
}
