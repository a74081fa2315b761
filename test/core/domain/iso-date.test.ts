/**
 * Epoch days of 'YYYY-MM-DD' dates. toEpochDay works on the digits (days-from-civil); it is
 * checked against ECMAScript's own day count (Date.UTC, an independent implementation of the
 * proleptic Gregorian calendar, used here only for years >= 100 where it is exact) for every
 * day from 1600-01-01 to 2400-12-31, against hand-computed values, and by round trips with
 * fromEpochDay. Exact: integer results, no tolerance.
 */
import { describe, expect, it } from 'vitest';
import { addCalendarDays, daysInMonth, fromEpochDay, isIsoDate, makeIsoDate, toEpochDay, type IsoDate } from '../../../core/domain/iso-date';

const d = (s: string) => s as IsoDate;

describe('toEpochDay', () => {
  it('hand-computed values', () => {
    expect(toEpochDay(d('1970-01-01'))).toBe(0);
    expect(toEpochDay(d('1969-12-31'))).toBe(-1);
    expect(toEpochDay(d('1970-03-01'))).toBe(59); // 31 + 28
    expect(toEpochDay(d('2000-03-01'))).toBe(11017); // 30 years of 365 days + 7 leap days (1972..1996) + 31 + 29
    expect(toEpochDay(d('2025-06-30'))).toBe(20269);
    // Year 0 is a leap year of the proleptic calendar: 0000-03-01 is day 60 of year 0, and
    // 0000-01-01 is 719,528 days before 1970 (the algorithm's era constant 719,468 plus Jan and Feb of year 0).
    expect(toEpochDay(d('0000-01-01'))).toBe(-719528);
    expect(toEpochDay(d('0000-03-01')) - toEpochDay(d('0000-01-01'))).toBe(60);
    expect(toEpochDay(d('0050-01-01')) - toEpochDay(d('0049-01-01'))).toBe(365);
    expect(toEpochDay(d('9999-12-31'))).toBe(2932896);
  });

  it('equals the day count of Date.UTC for every day of 1600-2400, and round-trips through fromEpochDay', () => {
    let checked = 0;
    for (let y = 1600; y <= 2400; y++) {
      for (let m = 1; m <= 12; m++) {
        const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
        if (daysInMonth(y, m) !== days) throw new Error(`days in ${y}-${m}: ${daysInMonth(y, m)}`);
        for (let day = 1; day <= days; day++) {
          const iso = makeIsoDate(y, m, day);
          const n = toEpochDay(iso);
          if (n !== Date.UTC(y, m - 1, day) / 86_400_000) throw new Error(`${iso}: ${n}`);
          if (fromEpochDay(n) !== iso) throw new Error(`round trip of ${iso} gave ${fromEpochDay(n)}`);
          checked++;
        }
      }
    }
    expect(checked).toBe(292_560); // 801 years: 801 * 365 + 195 leap days (201 multiples of 4, less 1700, 1800, 1900, 2100, 2200, 2300)
  });

  it('consecutive dates are consecutive days across month, year and century ends', () => {
    for (const s of ['1899-12-31', '1900-02-28', '2000-02-28', '2000-02-29', '2024-12-31', '2100-02-28']) {
      expect(toEpochDay(addCalendarDays(d(s), 1)) - toEpochDay(d(s))).toBe(1);
    }
  });

  it('isIsoDate knows the leap years of the proleptic calendar, including year 0', () => {
    expect(isIsoDate('0000-02-29')).toBe(true);
    expect(isIsoDate('0004-02-29')).toBe(true);
    expect(isIsoDate('0100-02-29')).toBe(false);
    expect(isIsoDate('1900-02-29')).toBe(false);
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-04-31')).toBe(false);
    expect(isIsoDate('2025-12-31')).toBe(true);
    expect(isIsoDate('2025-13-01')).toBe(false);
    expect(isIsoDate('2025-00-10')).toBe(false);
  });
});
