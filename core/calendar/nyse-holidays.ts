/**
 * NYSE full-day closures on weekdays (SPEC.md f.2, Appendix A): the rule-based holidays plus
 * the special closures. Early-close days are trading days and are not listed.
 */
import { addCalendarDays, dayOfWeek, makeIsoDate, type IsoDate } from '../domain/iso-date';
import { CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR, CalendarRangeError } from './calendar-range-error';
import { easterSunday } from './easter';

/** Appendix A codes. */
export type HolidayCode = 'NY' | 'JH' | 'PD' | 'GF' | 'MD' | 'JT' | 'ID' | 'LD' | 'TG' | 'XM' | 'SP';

export interface MarketClosure {
  /** The weekday the exchange is closed (the observed date for fixed-date holidays). */
  readonly date: IsoDate;
  readonly code: HolidayCode;
  readonly name: string;
}

const HOLIDAY_NAMES: Readonly<Record<Exclude<HolidayCode, 'SP'>, string>> = {
  NY: "New Year's Day",
  JH: 'January holiday',
  PD: "Presidents' Day",
  GF: 'Good Friday',
  MD: 'Memorial Day',
  JT: 'Juneteenth',
  ID: 'Independence Day',
  LD: 'Labor Day',
  TG: 'Thanksgiving Day',
  XM: 'Christmas Day',
};

/** Special full-day closures (SPEC.md f.2). */
export const SPECIAL_CLOSURES: readonly { readonly date: IsoDate; readonly name: string }[] = Object.freeze([
  { date: '2001-09-11' as IsoDate, name: 'Closure after the September 2001 attacks' },
  { date: '2001-09-12' as IsoDate, name: 'Closure after the September 2001 attacks' },
  { date: '2001-09-13' as IsoDate, name: 'Closure after the September 2001 attacks' },
  { date: '2001-09-14' as IsoDate, name: 'Closure after the September 2001 attacks' },
  { date: '2004-06-11' as IsoDate, name: 'National day of mourning (President Reagan)' },
  { date: '2007-01-02' as IsoDate, name: 'National day of mourning (President Ford)' },
  { date: '2012-10-29' as IsoDate, name: 'Hurricane Sandy closure' },
  { date: '2012-10-30' as IsoDate, name: 'Hurricane Sandy closure' },
  { date: '2018-12-05' as IsoDate, name: 'National day of mourning (President G. H. W. Bush)' },
  { date: '2025-01-09' as IsoDate, name: 'National day of mourning (President Carter)' },
]);

/** The n-th (1-based) given weekday (0 = Sunday) of a month. */
function nthWeekday(year: number, month1: number, weekday: number, n: number): IsoDate {
  const first = makeIsoDate(year, month1, 1);
  const offset = (weekday - dayOfWeek(first) + 7) % 7;
  return addCalendarDays(first, offset + 7 * (n - 1));
}

/** The last given weekday of a month. */
function lastWeekday(year: number, month1: number, weekday: number): IsoDate {
  const firstOfNext = month1 === 12 ? makeIsoDate(year + 1, 1, 1) : makeIsoDate(year, month1 + 1, 1);
  const last = addCalendarDays(firstOfNext, -1);
  return addCalendarDays(last, -((dayOfWeek(last) - weekday + 7) % 7));
}

/** Observed rule: Saturday -> the Friday before, Sunday -> the Monday after. */
function observed(d: IsoDate): IsoDate {
  const dow = dayOfWeek(d);
  if (dow === 6) return addCalendarDays(d, -1);
  if (dow === 0) return addCalendarDays(d, 1);
  return d;
}

/**
 * Full-day weekday closures of `year`, sorted by date, with Appendix A codes and names.
 * New Year's Day on a Saturday closes nothing (the exchange keeps the last trading day of
 * the previous year open). Throws CalendarRangeError outside 2000..2030.
 */
export function holidays(year: number): readonly MarketClosure[] {
  if (!Number.isInteger(year) || year < CALENDAR_FIRST_YEAR || year > CALENDAR_LAST_YEAR) {
    throw new CalendarRangeError(`year ${year}`);
  }
  const out: MarketClosure[] = [];
  const add = (date: IsoDate, code: Exclude<HolidayCode, 'SP'>): void => {
    out.push({ date, code, name: HOLIDAY_NAMES[code] });
  };
  const newYear = makeIsoDate(year, 1, 1);
  const nyDow = dayOfWeek(newYear);
  if (nyDow === 0) add(addCalendarDays(newYear, 1), 'NY');
  else if (nyDow !== 6) add(newYear, 'NY');
  add(nthWeekday(year, 1, 1, 3), 'JH');
  add(nthWeekday(year, 2, 1, 3), 'PD');
  add(addCalendarDays(easterSunday(year), -2), 'GF');
  add(lastWeekday(year, 5, 1), 'MD');
  if (year >= 2022) add(observed(makeIsoDate(year, 6, 19)), 'JT');
  add(observed(makeIsoDate(year, 7, 4)), 'ID');
  add(nthWeekday(year, 9, 1, 1), 'LD');
  add(nthWeekday(year, 11, 4, 4), 'TG');
  add(observed(makeIsoDate(year, 12, 25)), 'XM');
  const prefix = `${year}-`;
  for (const s of SPECIAL_CLOSURES) {
    if (s.date.startsWith(prefix)) out.push({ date: s.date, code: 'SP', name: s.name });
  }
  out.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
  return Object.freeze(out.map((c) => Object.freeze(c)));
}
