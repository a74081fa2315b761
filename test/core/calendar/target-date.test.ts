import { afterEach, describe, expect, it, vi } from 'vitest';
import { CalendarRangeError } from '../../../core/calendar/calendar-range-error';
import { newYorkWallTime, targetDate } from '../../../core/calendar/target-date';

/** Epoch ms of an ISO instant with an explicit offset (Date.parse of an offset string is zone-free). */
const at = (iso: string): number => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(iso);
  return t;
};

// Each instant is written with New York's offset of that day (EST -05:00, EDT -04:00).
const CASES: [string, string, string][] = [
  // SPEC.md f.3 examples
  ['Saturday -> the Friday before', '2025-06-14T12:00:00-04:00', '2025-06-13'],
  ['Saturday after a holiday Friday -> Thursday', '2025-04-19T12:00:00-04:00', '2025-04-17'],
  ['Monday 09:00 -> the Friday before', '2025-06-16T09:00:00-04:00', '2025-06-13'],
  ['Monday 17:00 -> that Monday', '2025-06-16T17:00:00-04:00', '2025-06-16'],
  ['2025-01-09 00:01 -> 2025-01-08', '2025-01-09T00:01:00-05:00', '2025-01-08'],
  ['2025-01-09 12:00 -> 2025-01-08', '2025-01-09T12:00:00-05:00', '2025-01-08'],
  ['2025-01-09 23:59 -> 2025-01-08', '2025-01-09T23:59:00-05:00', '2025-01-08'],
  ['a Friday holiday (Good Friday 2025) at 18:00 -> Thursday', '2025-04-18T18:00:00-04:00', '2025-04-17'],
  ['Sunday after Good Friday -> Thursday', '2025-04-20T20:00:00-04:00', '2025-04-17'],
  // the 16:30 boundary
  ['16:29 -> previous trading day', '2025-06-17T16:29:59-04:00', '2025-06-16'],
  ['16:30 exactly -> same day', '2025-06-17T16:30:00-04:00', '2025-06-17'],
  ['23:59 -> same day', '2025-06-17T23:59:59-04:00', '2025-06-17'],
  ['00:00 next day -> still previous trading day', '2025-06-18T00:00:00-04:00', '2025-06-17'],
  // DST start 2025-03-09 (EST -> EDT): 16:30 is 21:30Z on Friday 03-07 but 20:30Z on Monday 03-10
  ['Fri 2025-03-07 21:29Z (16:29 EST)', '2025-03-07T21:29:00Z', '2025-03-06'],
  ['Fri 2025-03-07 21:30Z (16:30 EST)', '2025-03-07T21:30:00Z', '2025-03-07'],
  ['Mon 2025-03-10 20:29Z (16:29 EDT)', '2025-03-10T20:29:00Z', '2025-03-07'],
  ['Mon 2025-03-10 20:30Z (16:30 EDT)', '2025-03-10T20:30:00Z', '2025-03-10'],
  ['Sun 2025-03-09 06:59Z (01:59 EST, before the jump)', '2025-03-09T06:59:00Z', '2025-03-07'],
  ['Sun 2025-03-09 07:00Z (03:00 EDT, after the jump)', '2025-03-09T07:00:00Z', '2025-03-07'],
  // DST end 2025-11-02 (EDT -> EST)
  ['Fri 2025-10-31 20:30Z (16:30 EDT)', '2025-10-31T20:30:00Z', '2025-10-31'],
  ['Mon 2025-11-03 21:29Z (16:29 EST)', '2025-11-03T21:29:00Z', '2025-10-31'],
  ['Mon 2025-11-03 21:30Z (16:30 EST)', '2025-11-03T21:30:00Z', '2025-11-03'],
  ['Mon 2025-11-03 20:45Z (15:45 EST, would be 16:45 under EDT)', '2025-11-03T20:45:00Z', '2025-10-31'],
  // New York date differs from the UTC date in the evening
  ['Tue 2025-06-17 03:59Z is Mon 23:59 EDT', '2025-06-17T03:59:00Z', '2025-06-16'],
  ['Tue 2025-06-17 04:00Z is Tue 00:00 EDT', '2025-06-17T04:00:00Z', '2025-06-16'],
  // instants given with a non-New-York offset
  ['Kolkata Tue 02:30 +05:30 = Mon 17:00 EDT', '2025-06-17T02:30:00+05:30', '2025-06-16'],
  ['Kolkata Tue 01:30 +05:30 = Mon 16:00 EDT', '2025-06-17T01:30:00+05:30', '2025-06-13'],
];

function checkAll(): void {
  for (const [label, iso, expected] of CASES) expect(targetDate(at(iso)), label).toBe(expected);
}

describe('targetDate (SPEC.md f.3)', () => {
  it.each(CASES)('%s', (_label, iso, expected) => {
    expect(targetDate(at(iso))).toBe(expected);
  });

  it('newYorkWallTime reads the New York clock', () => {
    expect(newYorkWallTime(at('2025-03-10T20:30:00Z'))).toEqual({ date: '2025-03-10', minuteOfDay: 16 * 60 + 30 });
    expect(newYorkWallTime(at('2025-01-01T05:00:00Z'))).toEqual({ date: '2025-01-01', minuteOfDay: 0 });
  });

  it('throws CalendarRangeError outside the calendar', () => {
    expect(() => targetDate(at('2000-01-03T12:00:00-05:00'))).toThrow(CalendarRangeError);
    expect(() => targetDate(at('2031-02-03T12:00:00-05:00'))).toThrow(CalendarRangeError);
    expect(targetDate(at('2000-01-03T17:00:00-05:00'))).toBe('2000-01-03');
  });
});

describe('host time zone does not matter', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
    vi.resetModules();
  });

  it('gives the same answers and the same calendar under TZ=Asia/Kolkata', async () => {
    const before = await import('../../../core/calendar/trading-calendar');
    const daysBefore = [...before.allTradingDays()];
    process.env.TZ = 'Asia/Kolkata';
    expect(new Date(0).getTimezoneOffset()).toBe(-330); // the switch took effect
    vi.resetModules();
    const fresh = await import('../../../core/calendar/trading-calendar');
    expect(fresh.allTradingDays()).toEqual(daysBefore);
    const freshTarget = await import('../../../core/calendar/target-date');
    for (const [label, iso, expected] of CASES) expect(freshTarget.targetDate(at(iso)), label).toBe(expected);
    checkAll();
  });

  it('and under TZ=Pacific/Kiritimati (UTC+14) and TZ=America/Los_Angeles', () => {
    for (const tz of ['Pacific/Kiritimati', 'America/Los_Angeles']) {
      process.env.TZ = tz;
      checkAll();
    }
  });
});
