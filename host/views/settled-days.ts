/**
 * The latest settled trading day (SPEC.md f.3, the target date of a run started now) and the
 * trading days after a tracking listing's last date up to it: the days a calendar of the
 * tracked dates draws as not run. Worked out from the host's calendar and clock, so a screen
 * learns them without planning a run (a plan of a database far behind lists every date).
 */
import { CalendarRangeError, targetDate, tradingDaysBetween } from '../../core/calendar';
import { addCalendarDays, minDate, type IsoDate } from '../../core/domain/iso-date';

export interface SettledDays {
  /** Null when the clock's New York date lies outside the trading calendar (f.1). */
  readonly latestSettledDate: IsoDate | null;
  /** Ascending; empty without a listed date, after a truncated listing, or without a settled date. */
  readonly tradingDaysAfterLast: IsoDate[];
}

/**
 * The settled days after `listing`'s last date, up to the latest settled date at `nowMs` and
 * no further than `endDate` (the listing's range end). A truncated listing stops before the
 * last tracked date, so the days after it are not known to be untracked: none are given.
 */
export function settledDaysAfter(listing: { readonly dates: readonly { readonly date: IsoDate }[]; readonly truncated: boolean }, endDate: IsoDate | null, nowMs: number): SettledDays {
  let settled: IsoDate;
  try {
    settled = targetDate(nowMs);
  } catch (err) {
    if (err instanceof CalendarRangeError) return { latestSettledDate: null, tradingDaysAfterLast: [] };
    throw err;
  }
  const last = listing.truncated ? undefined : listing.dates.at(-1)?.date;
  const end = endDate === null ? settled : minDate(settled, endDate);
  return { latestSettledDate: settled, tradingDaysAfterLast: last === undefined || last >= end ? [] : [...tradingDaysBetween(addCalendarDays(last, 1), end)] };
}
