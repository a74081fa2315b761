/**
 * Easter Sunday of a Gregorian year (Western church), by the anonymous computus
 * ("Meeus/Jones/Butcher") exactly as SPEC.md f.2 writes it. Valid for any year >= 1583.
 * Source: J. Meeus, Astronomical Algorithms, 2nd ed., ch. 8.
 */
import { makeIsoDate, type IsoDate } from '../domain/iso-date';

export function easterSunday(year: number): IsoDate {
  const div = (x: number, y: number): number => Math.floor(x / y);
  const a = year % 19;
  const b = div(year, 100);
  const c = year % 100;
  const d = div(b, 4);
  const e = b % 4;
  const f = div(b + 8, 25);
  const g = div(b - f + 1, 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = div(c, 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = div(a + 11 * h + 22 * l, 451);
  const month = div(h + l - 7 * m + 114, 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return makeIsoDate(year, month, day);
}
