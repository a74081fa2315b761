/**
 * Daily bars the Yahoo mock serves: loaded from a recorded-shape chart fixture, or generated
 * deterministically from (symbol, date) so any symbol and range can be asked for (end-to-end
 * backfills against the mock). Generated closes are a smooth positive function of the date
 * (two sines plus a small drift), never a random walk, so a bar does not depend on the range
 * it was requested in.
 */
import { isTradingDay as nyseIsTradingDay } from '../../../core/calendar';
import { addCalendarDays, dayOfWeek, makeIsoDate, toEpochDay, type IsoDate } from '../../../core/domain/iso-date';

export interface MockBar {
  readonly date: IsoDate;
  /** Epoch seconds of the bar (session open in exchange time, as Yahoo sends). */
  readonly timestamp: number;
  readonly open: number | null;
  readonly high: number | null;
  readonly low: number | null;
  readonly close: number | null;
  readonly volume: number | null;
}

/** NYSE trading days inside the calendar's range, weekdays outside it. */
export function defaultIsTradingDay(d: IsoDate): boolean {
  try {
    return nyseIsTradingDay(d);
  } catch {
    const wd = dayOfWeek(d);
    return wd !== 0 && wd !== 6;
  }
}

/** 32-bit FNV-1a of a string. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i += 1) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Epoch seconds of a wall-clock time (HH:MM) on a date in an IANA zone. */
export function zonedEpochSeconds(date: IsoDate, time: string, timeZone: string): number {
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const asUtc = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)), hh, mm);
  let guess = asUtc - zoneOffsetMs(asUtc, timeZone);
  const second = asUtc - zoneOffsetMs(guess, timeZone);
  if (second !== guess) guess = second;
  return Math.round(guess / 1000);
}

/** Offset of a zone from UTC at an instant, in ms (New York winter: -5 h). */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(epochMs);
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return local - Math.floor(epochMs / 1000) * 1000;
}

export interface GeneratedSeriesOptions {
  readonly symbol: string;
  readonly timeZone: string;
  /** Wall-clock time of the bar timestamp, default 09:30. */
  readonly barTime?: string;
  readonly firstTradeDate: IsoDate;
  readonly isTradingDay: (d: IsoDate) => boolean;
}

/** The generated close of `symbol` on `date` (positive, deterministic). */
export function generatedClose(symbol: string, date: IsoDate): number {
  const h = fnv1a(symbol);
  const base = 20 + (h % 480);
  const t = toEpochDay(date);
  const value = base * Math.exp(0.15 * Math.sin(t / 45 + (h % 7)) + 0.05 * Math.sin(t / 7.3 + (h % 3)) + 0.0002 * (t - 10957));
  return Math.round(value * 10_000) / 10_000;
}

export function generatedBar(options: GeneratedSeriesOptions, date: IsoDate): MockBar {
  const close = generatedClose(options.symbol, date);
  const t = toEpochDay(date);
  const open = Math.round(close * (1 - 0.004 * Math.sin(t * 1.7)) * 10_000) / 10_000;
  return {
    date,
    timestamp: zonedEpochSeconds(date, options.barTime ?? '09:30', options.timeZone),
    open,
    high: Math.round(Math.max(open, close) * 1.01 * 10_000) / 10_000,
    low: Math.round(Math.min(open, close) * 0.99 * 10_000) / 10_000,
    close,
    volume: 1_000_000 + (fnv1a(options.symbol) % 1000) * 1000 + (t % 97) * 1000,
  };
}

/** Generated bars on the trading days of [from, to] (not before the first trade date). */
export function generatedBars(options: GeneratedSeriesOptions, from: IsoDate, to: IsoDate): MockBar[] {
  const bars: MockBar[] = [];
  const start = from < options.firstTradeDate ? options.firstTradeDate : from;
  for (let d = start; d <= to; d = addCalendarDays(d, 1)) {
    if (options.isTradingDay(d)) bars.push(generatedBar(options, d));
  }
  return bars;
}

/** IsoDate of epoch seconds in a zone. */
export function zonedDate(epochSeconds: number, timeZone: string): IsoDate {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(epochSeconds * 1000);
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value);
  return makeIsoDate(get('year'), get('month'), get('day'));
}
