/**
 * The calendar covers 2000-01-01 to 2030-12-31 (SPEC.md f.1). Asking about a date outside it
 * is a programming or configuration error, so it throws this error rather than returning a value.
 */
import { isoDateSchema, type IsoDate } from '../domain/iso-date';

export const CALENDAR_START = '2000-01-01' as IsoDate;
export const CALENDAR_END = '2030-12-31' as IsoDate;
export const CALENDAR_FIRST_YEAR = 2000;
export const CALENDAR_LAST_YEAR = 2030;

export class CalendarRangeError extends RangeError {
  override readonly name = 'CalendarRangeError';
  constructor(readonly subject: string, detail?: string) {
    super(
      `${subject} is outside the trading calendar (${CALENDAR_START} to ${CALENDAR_END})${detail ? `: ${detail}` : ''}`,
    );
  }
}

/** Throws CalendarRangeError unless `d` lies inside the calendar range. */
export function assertInCalendarRange(d: IsoDate): void {
  if (d < CALENDAR_START || d > CALENDAR_END) throw new CalendarRangeError(d);
}

/**
 * zod schema for a date a user gives (a flag, a form field, a contract input): a real calendar
 * date inside the calendar range, so that a report or a run refuses it as bad input (exit 2)
 * instead of failing later with a CalendarRangeError.
 */
export const calendarDateSchema = isoDateSchema.refine((d) => d >= CALENDAR_START && d <= CALENDAR_END, {
  message: `outside the calendar range ${CALENDAR_START}..${CALENDAR_END}`,
});
