/**
 * The target date (SPEC.md f.3): the latest trading day whose close is settled.
 *
 *   ny = now in America/New_York
 *   ny.date not a trading day -> previousTradingDay(ny.date)
 *   ny.time < 16:30           -> previousTradingDay(ny.date)
 *   otherwise                 -> ny.date
 *
 * New York wall time comes from Intl.DateTimeFormat with timeZone 'America/New_York', so the
 * host's own time zone never matters and DST is handled by the tz database.
 */
import { makeIsoDate, type IsoDate } from '../domain/iso-date';
import { isTradingDay, previousTradingDay } from './trading-calendar';

/** 16:30 New York time, in minutes after midnight. */
export const SETTLEMENT_MINUTE = 16 * 60 + 30;

// An Intl formatter is immutable once built; building one per call costs ~50 µs.
const NY_FORMAT = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

export interface NewYorkWallTime {
  /** The New York civil date ("today" everywhere in batchdesk). */
  readonly date: IsoDate;
  /** Minutes after New York midnight, 0..1439. */
  readonly minuteOfDay: number;
}

/** New York civil date and time of an instant (epoch milliseconds). */
export function newYorkWallTime(epochMs: number): NewYorkWallTime {
  if (!Number.isFinite(epochMs)) throw new RangeError(`not a finite instant: ${epochMs}`);
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const p of NY_FORMAT.formatToParts(epochMs)) {
    if (p.type === 'year') year = Number(p.value);
    else if (p.type === 'month') month = Number(p.value);
    else if (p.type === 'day') day = Number(p.value);
    else if (p.type === 'hour') hour = Number(p.value) % 24;
    else if (p.type === 'minute') minute = Number(p.value);
  }
  return { date: makeIsoDate(year, month, day), minuteOfDay: hour * 60 + minute };
}

/** The New York date of an instant. */
export function newYorkDate(epochMs: number): IsoDate {
  return newYorkWallTime(epochMs).date;
}

/**
 * Target date for the instant `nowEpochMs` (the Clock port's now()). Throws
 * CalendarRangeError when the New York date lies outside the calendar.
 */
export function targetDate(nowEpochMs: number): IsoDate {
  const ny = newYorkWallTime(nowEpochMs);
  if (!isTradingDay(ny.date) || ny.minuteOfDay < SETTLEMENT_MINUTE) return previousTradingDay(ny.date);
  return ny.date;
}
