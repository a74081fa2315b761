import { describe, expect, it } from 'vitest';
import { easterSunday } from '../../../core/calendar/easter';
import { dayOfWeek, makeIsoDate } from '../../../core/domain/iso-date';

/**
 * Tøndering's form of Oudin's algorithm (Claus Tøndering, "Calendar FAQ", section 2.9.1):
 * a second, independently written computus used as an oracle.
 */
function easterOudin(y: number): string {
  const div = (a: number, b: number): number => Math.floor(a / b);
  const g = y % 19;
  const c = div(y, 100);
  const h = (c - div(c, 4) - div(8 * c + 13, 25) + 19 * g + 15) % 30;
  const i = h - div(h, 28) * (1 - div(29, h + 1) * div(21 - g, 11));
  const j = (y + div(y, 4) + i + 2 - c + div(c, 4)) % 7;
  const l = i - j;
  const month = 3 + div(l + 40, 44);
  const day = l + 28 - 31 * div(month, 4);
  return makeIsoDate(y, month, day);
}

describe('easterSunday', () => {
  // Published Western Easter dates (e.g. the US Naval Observatory table; 1818 and 2285 are the
  // earliest possible date, 22 March; 1943 and 2038 the latest, 25 April).
  const reference: [number, string][] = [
    [1818, '1818-03-22'],
    [1943, '1943-04-25'],
    [2000, '2000-04-23'],
    [2001, '2001-04-15'],
    [2008, '2008-03-23'],
    [2011, '2011-04-24'],
    [2016, '2016-03-27'],
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2030, '2030-04-21'],
    [2038, '2038-04-25'],
    [2285, '2285-03-22'],
  ];
  it.each(reference)('Easter %i is %s', (year, expected) => {
    expect(easterSunday(year)).toBe(expected);
  });

  it('agrees with an independent algorithm (Oudin) for every year 1583..4099', () => {
    for (let y = 1583; y <= 4099; y++) expect(easterSunday(y), String(y)).toBe(easterOudin(y));
  });

  it('is always a Sunday between 22 March and 25 April', () => {
    for (let y = 1900; y <= 2100; y++) {
      const e = easterSunday(y);
      expect(dayOfWeek(e)).toBe(0);
      expect(e.slice(5) >= '03-22' && e.slice(5) <= '04-25').toBe(true);
    }
  });
});
