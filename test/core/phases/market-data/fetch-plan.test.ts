/**
 * The fetch plan (SPEC.md e.3): satisfied days, gap merging, and provisional closes (fetched
 * before their day's settle time) asked for again. Expected ranges are counted by hand on the
 * NYSE calendar of March 2025 (no holidays; weekends 1-2, 8-9, 15-16).
 */
import { describe, expect, it } from 'vitest';
import { tradingDayIndex } from '../../../../core/calendar';
import type { IsoDate } from '../../../../core/domain/iso-date';
import { planSymbol, provisionalDays, type SatisfiedCheck } from '../../../../core/phases/market-data/fetch-plan';
import { settleInstantMs } from '../../../../core/phases/market-data/settle-time';
import type { FetchLogEntry } from '../../../../core/ports/store';

const d = (s: string) => s as IsoDate;
const idx = (s: string) => tradingDayIndex(d(s));
const span = (a: string, b: string): [number, number][] => [[idx(a), idx(b)]];
const entry = (start: string, end: string, requestedAt: string, outcome: FetchLogEntry['outcome'] = 'ok'): FetchLogEntry => ({
  symbol: 'X',
  provider: 'yahoo',
  rangeStart: d(start),
  rangeEnd: d(end),
  requestedAt,
  outcome,
  rowsReturned: 1,
  firstTradeDate: null,
  error: null,
  runId: null,
});
function check(closes: string[], answered: FetchLogEntry[] = [], firstTradeDate: string | null = null): SatisfiedCheck {
  const have = new Set(closes.map(idx));
  return { hasClose: (g) => have.has(g), answered, firstTradeDate: firstTradeDate as IsoDate | null, settleMs: (x) => settleInstantMs(x, 20) };
}

describe('planSymbol', () => {
  it('merges gaps of up to 10 trading days into one range, splits longer gaps', () => {
    const closes = ['2025-03-04', '2025-03-05', '2025-03-06', '2025-03-07', '2025-03-10'];
    // Missing: 03-03 and 03-11..03-14 -> one range (gap of 5 trading days).
    expect(planSymbol('X', span('2025-03-03', '2025-03-14'), check(closes))).toEqual([{ symbol: 'X', start: '2025-03-03', end: '2025-03-14', days: 5 }]);
    // Missing 2025-02-03 and 2025-03-14: 28 trading days apart -> two ranges.
    const all: number[] = [];
    for (let i = idx('2025-02-04'); i < idx('2025-03-14'); i++) all.push(i);
    const c: SatisfiedCheck = { ...check([]), hasClose: (g) => all.includes(g) };
    expect(planSymbol('X', span('2025-02-03', '2025-03-14'), c)).toEqual([
      { symbol: 'X', start: '2025-02-03', end: '2025-02-03', days: 1 },
      { symbol: 'X', start: '2025-03-14', end: '2025-03-14', days: 1 },
    ]);
  });

  it('days answered after their settle time, and days before the first trade date, are satisfied', () => {
    const answered = [entry('2025-03-03', '2025-03-05', '2025-03-06T01:00:00.000000Z', 'no_data')];
    expect(planSymbol('X', span('2025-03-03', '2025-03-07'), check([], answered, '2025-03-10'))).toEqual([]);
    expect(planSymbol('X', span('2025-03-03', '2025-03-07'), check([], answered))).toEqual([{ symbol: 'X', start: '2025-03-06', end: '2025-03-07', days: 2 }]);
  });

  it('a close fetched before its settle time is provisional and asked for again', () => {
    // 2025-03-14 20:00 New York (EDT) = 2025-03-15T00:00Z. A request at 18:00 New York is early.
    const early = [entry('2025-03-10', '2025-03-14', '2025-03-14T22:00:00.000000Z')];
    expect([...provisionalDays({ answered: early, settleMs: (x) => settleInstantMs(x, 20) })]).toEqual(['2025-03-14']);
    const closes = ['2025-03-10', '2025-03-11', '2025-03-12', '2025-03-13', '2025-03-14'];
    expect(planSymbol('X', span('2025-03-10', '2025-03-14'), check(closes, early))).toEqual([{ symbol: 'X', start: '2025-03-14', end: '2025-03-14', days: 1 }]);
    // A later answer after the settle time makes it final.
    const later = [...early, entry('2025-03-14', '2025-03-14', '2025-03-15T01:00:00.000000Z')];
    expect(planSymbol('X', span('2025-03-10', '2025-03-14'), check(closes, later))).toEqual([]);
  });
});

describe('settleInstantMs', () => {
  it('is the settle hour in New York on both sides of a DST change, the same on every call', () => {
    // Hand-computed: 2025-03-07 is EST (UTC-5), 2025-03-10 EDT (UTC-4, DST began 2025-03-09),
    // 2025-11-03 EST again (DST ended 2025-11-02).
    const cases: [string, number, string][] = [
      ['2025-03-07', 20, '2025-03-08T01:00:00.000Z'],
      ['2025-03-10', 20, '2025-03-11T00:00:00.000Z'],
      ['2025-10-31', 16, '2025-10-31T20:00:00.000Z'],
      ['2025-11-03', 16, '2025-11-03T21:00:00.000Z'],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [day, hour, utc] of cases) expect(new Date(settleInstantMs(d(day), hour)).toISOString()).toBe(utc);
    }
  });
});
