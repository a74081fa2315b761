/**
 * Calendar dates as 'YYYY-MM-DD' strings (SPEC.md a.3).
 *
 * Dates never go through a JavaScript `Date` in local time: arithmetic works on epoch-day
 * integers, so no host time zone can shift a day. Strings compare in date order, so `<`/`>`
 * on two IsoDates is a date comparison.
 */
import { z } from 'zod';

export type IsoDate = string & { readonly __brand: 'IsoDate' };

const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** True when `s` is a real calendar date written as YYYY-MM-DD (2025-02-30 is not). */
export function isIsoDate(s: string): s is IsoDate {
  const m = ISO_DATE_RE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days of a month of the proleptic Gregorian calendar (month1 = 1..12). */
export function daysInMonth(year: number, month1: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month1 === 2 && leap ? 29 : MONTH_DAYS[month1 - 1]!;
}

/** zod schema for an IsoDate, with a message that says what to do. */
export const isoDateSchema = z
  .string()
  .refine(isIsoDate, { message: 'expected a real calendar date written as YYYY-MM-DD' })
  .transform((s) => s as IsoDate);

/**
 * Days since 1970-01-01 of a 'YYYY-MM-DD' date (negative before it), by H. Hinnant's
 * days-from-civil algorithm on the digits: exact for the proleptic Gregorian calendar over
 * years 0000-9999, without building a Date (a backfill calls this hundreds of thousands of
 * times; `Date.UTC` would also read years 0000-0099 as 1900-1999).
 */
export function toEpochDay(d: IsoDate): number {
  let y = (d.charCodeAt(0) - 48) * 1000 + (d.charCodeAt(1) - 48) * 100 + (d.charCodeAt(2) - 48) * 10 + (d.charCodeAt(3) - 48);
  const m = (d.charCodeAt(5) - 48) * 10 + (d.charCodeAt(6) - 48);
  const day = (d.charCodeAt(8) - 48) * 10 + (d.charCodeAt(9) - 48);
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function fromEpochDay(n: number): IsoDate {
  const dt = new Date(n * MS_PER_DAY);
  return makeIsoDate(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate());
}

export function makeIsoDate(year: number, month1: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month1).padStart(2, '0')}-${String(day).padStart(2, '0')}` as IsoDate;
}

export function addCalendarDays(d: IsoDate, n: number): IsoDate {
  return fromEpochDay(toEpochDay(d) + n);
}

/** Calendar days from a to b (positive when b is later). */
export function calendarDaysBetween(a: IsoDate, b: IsoDate): number {
  return toEpochDay(b) - toEpochDay(a);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(d: IsoDate): number {
  return (((toEpochDay(d) + 4) % 7) + 7) % 7;
}

export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return a < b ? a : b;
}

export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a > b ? a : b;
}
