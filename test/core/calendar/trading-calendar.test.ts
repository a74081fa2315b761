import { describe, expect, it } from 'vitest';
import { CalendarRangeError } from '../../../core/calendar/calendar-range-error';
import { holidays } from '../../../core/calendar/nyse-holidays';
import {
  addTradingDays,
  allTradingDays,
  clipToCalendarStart,
  countTradingDaysBetween,
  firstTradingDayOnOrAfter,
  isTradingDay,
  lastTradingDayOnOrBefore,
  lookbackStart,
  nextTradingDay,
  previousTradingDay,
  TRADING_DAY_COUNT,
  tradingDayAt,
  tradingDayIndex,
  tradingDaysBetween,
  tradingDaysMissingBetween,
  tradingIndexOnOrAfter,
  tradingIndexOnOrBefore,
} from '../../../core/calendar/trading-calendar';
import type { IsoDate } from '../../../core/domain/iso-date';

const D = (s: string): IsoDate => s as IsoDate;

/** Independent enumeration: every calendar day via a UTC Date loop, weekdays minus holidays(). */
function naiveTradingDays(fromYear: number, toYear: number): string[] {
  const closed = new Set<string>();
  for (let y = fromYear; y <= toYear; y++) for (const c of holidays(y)) closed.add(c.date);
  const out: string[] = [];
  for (let t = Date.UTC(fromYear, 0, 1); t <= Date.UTC(toYear, 11, 31); t += 86_400_000) {
    const dt = new Date(t);
    const iso = dt.toISOString().slice(0, 10);
    const dow = dt.getUTCDay();
    if (dow !== 0 && dow !== 6 && !closed.has(iso)) out.push(iso);
  }
  return out;
}

describe('trading-day table', () => {
  it('equals an independent weekday-minus-holidays enumeration', () => {
    expect(allTradingDays()).toEqual(naiveTradingDays(2000, 2030));
    expect(TRADING_DAY_COUNT).toBe(allTradingDays().length);
  });

  // Published NYSE session counts per year (NYSE annual calendars; 2001 lost four days to
  // the September closure).
  it.each([
    [2001, 248],
    [2012, 250],
    [2022, 251],
    [2023, 250],
    [2024, 252],
    [2025, 250],
  ])('%i has %i trading days', (year, n) => {
    expect(countTradingDaysBetween(D(`${year}-01-01`), D(`${year}-12-31`))).toBe(n);
  });

  it('first and last trading days of the calendar', () => {
    expect(tradingDayAt(0)).toBe('2000-01-03');
    expect(tradingDayAt(TRADING_DAY_COUNT - 1)).toBe('2030-12-31');
  });
});

describe('isTradingDay', () => {
  it.each([
    ['2025-01-08', true],
    ['2025-01-09', false], // national day of mourning
    ['2025-01-11', false], // Saturday
    ['2025-01-12', false], // Sunday
    ['2024-11-29', true], // day after Thanksgiving: early close, still a trading day
    ['2024-12-24', true], // early close
    ['2001-09-10', true],
    ['2001-09-11', false],
    ['2001-09-14', false],
    ['2001-09-17', true],
    ['2004-06-11', false],
    ['2007-01-02', false],
    ['2012-10-29', false],
    ['2012-10-30', false],
    ['2012-10-31', true],
    ['2018-12-05', false],
    ['2021-12-31', true], // New Year 2022 fell on Saturday: no closure
  ])('%s -> %s', (d, expected) => {
    expect(isTradingDay(D(d))).toBe(expected);
  });

  it('throws CalendarRangeError outside 2000-01-01..2030-12-31', () => {
    expect(() => isTradingDay(D('1999-12-31'))).toThrow(CalendarRangeError);
    expect(() => isTradingDay(D('2031-01-01'))).toThrow(CalendarRangeError);
    expect(isTradingDay(D('2000-01-01'))).toBe(false);
    expect(isTradingDay(D('2030-12-31'))).toBe(true);
  });
});

describe('previous / next trading day', () => {
  it.each([
    ['2025-01-10', '2025-01-08'],
    ['2025-01-09', '2025-01-08'],
    ['2025-01-13', '2025-01-10'],
    ['2025-01-11', '2025-01-10'],
    ['2001-09-17', '2001-09-10'],
    ['2012-10-31', '2012-10-26'],
    ['2024-04-01', '2024-03-28'], // Good Friday 2024-03-29
  ])('previousTradingDay(%s) = %s', (d, expected) => {
    expect(previousTradingDay(D(d))).toBe(expected);
  });

  it.each([
    ['2025-01-08', '2025-01-10'],
    ['2025-01-09', '2025-01-10'],
    ['2001-09-10', '2001-09-17'],
    ['2012-10-26', '2012-10-31'],
    ['2024-12-31', '2025-01-02'],
    ['2000-01-01', '2000-01-03'],
  ])('nextTradingDay(%s) = %s', (d, expected) => {
    expect(nextTradingDay(D(d))).toBe(expected);
  });

  it('throws at the ends of the calendar', () => {
    expect(() => previousTradingDay(D('2000-01-03'))).toThrow(CalendarRangeError);
    expect(() => previousTradingDay(D('2000-01-01'))).toThrow(CalendarRangeError);
    expect(() => nextTradingDay(D('2030-12-31'))).toThrow(CalendarRangeError);
  });

  it('invariant: next(previous(d)) = d for every trading day after the first', () => {
    const days = allTradingDays();
    for (let i = 1; i < days.length; i++) {
      expect(previousTradingDay(days[i]!)).toBe(days[i - 1]);
      expect(nextTradingDay(days[i - 1]!)).toBe(days[i]);
    }
  });
});

describe('tradingDaysBetween', () => {
  it('is inclusive and skips closures', () => {
    expect(tradingDaysBetween(D('2025-01-06'), D('2025-01-10'))).toEqual([
      '2025-01-06', '2025-01-07', '2025-01-08', '2025-01-10',
    ]);
    expect(tradingDaysBetween(D('2025-01-08'), D('2025-01-08'))).toEqual(['2025-01-08']);
    expect(tradingDaysBetween(D('2025-01-09'), D('2025-01-09'))).toEqual([]);
    expect(tradingDaysBetween(D('2025-01-11'), D('2025-01-12'))).toEqual([]);
    expect(countTradingDaysBetween(D('2025-01-06'), D('2025-01-10'))).toBe(4);
  });

  it('is empty when a > b', () => {
    expect(tradingDaysBetween(D('2025-01-10'), D('2025-01-06'))).toEqual([]);
    expect(countTradingDaysBetween(D('2025-01-10'), D('2025-01-06'))).toBe(0);
  });

  it('clips a look-back start before 2000-01-01, but not an end after 2030', () => {
    expect(tradingDaysBetween(D('1999-10-01'), D('2000-01-05'))).toEqual(['2000-01-03', '2000-01-04', '2000-01-05']);
    expect(() => tradingDaysBetween(D('2030-12-01'), D('2031-01-05'))).toThrow(CalendarRangeError);
  });

  it('agrees with the count over the whole range', () => {
    expect(countTradingDaysBetween(D('2000-01-01'), D('2030-12-31'))).toBe(TRADING_DAY_COUNT);
    expect(tradingDaysBetween(D('2000-01-01'), D('2030-12-31'))).toEqual(allTradingDays());
  });
});

describe('addTradingDays', () => {
  it.each([
    ['2025-01-08', 1, '2025-01-10'],
    ['2025-01-10', -1, '2025-01-08'],
    ['2025-01-08', 0, '2025-01-08'],
    ['2025-01-11', 1, '2025-01-13'], // from a Saturday
    ['2025-01-11', -1, '2025-01-10'],
    ['2025-01-11', 0, '2025-01-11'],
    ['2025-01-02', 5, '2025-01-10'],
    ['2025-01-10', -5, '2025-01-02'],
    ['2001-09-10', 1, '2001-09-17'],
  ])('addTradingDays(%s, %i) = %s', (d, n, expected) => {
    expect(addTradingDays(D(d), n)).toBe(expected);
  });

  it('invariant: equals |n| single steps, for trading and non-trading starts', () => {
    const starts = ['2024-12-20', '2024-12-25', '2025-01-09', '2025-07-05', '2012-10-29'];
    for (const s of starts) {
      for (const n of [-30, -7, -1, 1, 7, 30]) {
        let d = D(s);
        for (let k = 0; k < Math.abs(n); k++) d = n > 0 ? nextTradingDay(d) : previousTradingDay(d);
        expect(addTradingDays(D(s), n), `${s} ${n}`).toBe(d);
      }
    }
  });

  it('throws when leaving the calendar', () => {
    expect(() => addTradingDays(D('2000-01-05'), -3)).toThrow(CalendarRangeError);
    expect(() => addTradingDays(D('2030-12-30'), 2)).toThrow(CalendarRangeError);
    expect(addTradingDays(D('2000-01-05'), -2)).toBe('2000-01-03');
  });
});

describe('index helpers', () => {
  it('tradingDayIndex and tradingDayAt are inverse', () => {
    const days = allTradingDays();
    for (let i = 0; i < days.length; i++) {
      expect(tradingDayIndex(days[i]!)).toBe(i);
      expect(tradingDayAt(i)).toBe(days[i]);
    }
  });

  it('tradingDayIndex is -1 on closures and weekends', () => {
    expect(tradingDayIndex(D('2025-01-09'))).toBe(-1);
    expect(tradingDayIndex(D('2025-01-11'))).toBe(-1);
    expect(tradingDayIndex(D('2000-01-01'))).toBe(-1);
    expect(tradingDayIndex(D('2000-01-03'))).toBe(0);
  });

  it('tradingDayAt rejects out-of-range indices', () => {
    expect(() => tradingDayAt(-1)).toThrow(CalendarRangeError);
    expect(() => tradingDayAt(TRADING_DAY_COUNT)).toThrow(CalendarRangeError);
    expect(() => tradingDayAt(1.5)).toThrow(CalendarRangeError);
  });

  it('on-or-before / on-or-after', () => {
    expect(lastTradingDayOnOrBefore(D('2025-01-09'))).toBe('2025-01-08');
    expect(lastTradingDayOnOrBefore(D('2025-01-08'))).toBe('2025-01-08');
    expect(firstTradingDayOnOrAfter(D('2025-01-09'))).toBe('2025-01-10');
    expect(firstTradingDayOnOrAfter(D('2025-01-10'))).toBe('2025-01-10');
    expect(firstTradingDayOnOrAfter(D('1995-06-01'))).toBe('2000-01-03');
    expect(tradingIndexOnOrBefore(D('2000-01-01'))).toBe(-1);
    expect(tradingIndexOnOrAfter(D('1999-01-01'))).toBe(0);
    expect(tradingIndexOnOrAfter(D('2030-12-31'))).toBe(TRADING_DAY_COUNT - 1);
    expect(() => lastTradingDayOnOrBefore(D('2000-01-02'))).toThrow(CalendarRangeError);
    expect(() => lastTradingDayOnOrBefore(D('2031-01-02'))).toThrow(CalendarRangeError);
  });

  it('invariant: for every calendar day of 2024-2025, onOrBefore <= d <= onOrAfter with no trading day between', () => {
    for (let t = Date.UTC(2024, 0, 1); t <= Date.UTC(2025, 11, 31); t += 86_400_000) {
      const d = D(new Date(t).toISOString().slice(0, 10));
      const lo = tradingIndexOnOrBefore(d);
      const hi = tradingIndexOnOrAfter(d);
      expect(tradingDayAt(lo) <= d && d <= tradingDayAt(hi)).toBe(true);
      expect(hi - lo).toBe(isTradingDay(d) ? 0 : 1);
    }
  });
});

describe('look-back clipping', () => {
  it('clipToCalendarStart and lookbackStart', () => {
    expect(clipToCalendarStart(D('1999-05-05'))).toBe('2000-01-01');
    expect(clipToCalendarStart(D('2001-05-05'))).toBe('2001-05-05');
    expect(lookbackStart(D('2000-03-01'), 120)).toBe('2000-01-01');
    expect(lookbackStart(D('2025-06-30'), 120)).toBe('2025-03-02');
    expect(() => lookbackStart(D('2031-01-01'), 10)).toThrow(CalendarRangeError);
  });
});

describe('tradingDaysMissingBetween (the gaps of a tracked history)', () => {
  it('lists the trading days between the first and the last date that are not given, never weekends or holidays', () => {
    // 2025-07-04 is Independence Day and 07-05/06 a weekend (hand-checked on a calendar).
    expect(tradingDaysMissingBetween([D('2025-07-02'), D('2025-07-08')])).toEqual(['2025-07-03', '2025-07-07']);
    expect(tradingDaysMissingBetween([D('2025-07-02'), D('2025-07-03'), D('2025-07-07')])).toEqual([]);
  });

  it('is empty for no dates or one, and ignores dates after the calendar end instead of throwing', () => {
    expect(tradingDaysMissingBetween([])).toEqual([]);
    expect(tradingDaysMissingBetween([D('2025-07-05')])).toEqual([]);
    expect(tradingDaysMissingBetween([D('2030-12-27'), D('2031-01-05')])).toEqual(['2030-12-30', '2030-12-31']);
    expect(tradingDaysMissingBetween([D('2031-01-02'), D('2031-01-05')])).toEqual([]);
  });
});
