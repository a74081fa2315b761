/**
 * A corrected close re-evaluates the jump flag of the day after it (SPEC.md e.4: the flag is
 * `|close / previous valid close - 1| > jump_threshold`, and "a later fetch that returns a
 * different close replaces the row and re-evaluates the flag"; m.13). The day after is the next
 * stored close: in the answer (an unchanged close whose previous close the answer corrected), or
 * outside it (`reflagged`). A close filling a gap is no correction, and leaves the stored rows
 * after it alone (m.13). Threshold 0.5; every expectation is worked out by hand beside it.
 */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../../core/domain/iso-date';
import { validateQuotes, type StoredCloses } from '../../../../core/phases/market-data/validate-quotes';
import type { Quote } from '../../../../core/ports/market-data';

const q = (date: string, close: number): Quote => ({ date: date as IsoDate, close, volume: null, open: null, high: null, low: null });

/** The symbol's cache: date -> close, or [close, 'jump'] for a flagged row. */
function cache(rows: Readonly<Record<string, number | readonly [number, 'jump']>>): StoredCloses {
  const entries = Object.entries(rows)
    .map(([date, v]) => ({ date: date as IsoDate, close: Array.isArray(v) ? v[0] : v, jump: Array.isArray(v) }))
    .sort((a, b) => (a.date < b.date ? -1 : 1));
  return {
    on: (x) => entries.find((r) => r.date === x) ?? null,
    before: (x) => entries.filter((r) => r.date < x).pop() ?? null,
    after: (x) => entries.find((r) => r.date > x) ?? null,
  };
}

// 2025-01-06 .. 2025-01-10 are consecutive trading days (Mon..Fri; 2025-01-09 is a closure).
const TYPO = { '2025-01-06': 100, '2025-01-07': [1000, 'jump'], '2025-01-08': [101, 'jump'] } as const;

describe('a corrected close and the next day\'s jump flag', () => {
  it('the next day in the answer, unchanged, loses the flag set against the replaced close', () => {
    // 01-07 corrected to 100.5 (vs 100: +0.5 %); 01-08 = 101 vs 100.5: +0.5 %, no longer a jump.
    const v = validateQuotes('AAPL', [q('2025-01-07', 100.5), q('2025-01-08', 101)], cache(TYPO), 0.5);
    expect(v.valid.map((x) => [x.date, x.close, x.jump])).toEqual([
      ['2025-01-07', 100.5, false],
      ['2025-01-08', 101, false],
    ]);
    expect(v.jumps).toEqual([]);
    expect(v.reflagged).toEqual([]);
  });

  it('the next stored day outside the answer is re-evaluated against the corrected close', () => {
    // Only 01-07 is asked again; 01-08 (101, flagged against 1000) is now +0.5 % from 100.5.
    const v = validateQuotes('AAPL', [q('2025-01-07', 100.5)], cache(TYPO), 0.5);
    expect(v.reflagged).toEqual([{ date: '2025-01-08', close: 101, volume: null, open: null, high: null, low: null, jump: false, keepsStored: false }]);
    expect(v.jumps).toEqual([]);
  });

  it('a correction that makes the next stored day a jump flags it, reported against the corrected close', () => {
    // 01-07 [1000, jump] corrected to 60 (-40 % from 100: no jump); 01-08 = 101 vs 60 is +68 %.
    const v = validateQuotes('AAPL', [q('2025-01-07', 60)], cache({ '2025-01-06': 100, '2025-01-07': [1000, 'jump'], '2025-01-08': 101 }), 0.5);
    expect(v.reflagged.map((x) => [x.date, x.close, x.jump])).toEqual([['2025-01-08', 101, true]]);
    expect(v.jumps.map((j) => [j.date, j.close, j.reference, j.keepsStored])).toEqual([['2025-01-08', 101, 60, false]]);
  });

  it('a flagged replacement kept out (m.13) changes no close, so the next day is left alone', () => {
    // 01-07 = 100.5 stored valid; 10 is -90 % from it: the stored close stays.
    const v = validateQuotes('AAPL', [q('2025-01-07', 10)], cache({ '2025-01-06': 100, '2025-01-07': 100.5, '2025-01-08': 101 }), 0.5);
    expect(v.valid.map((x) => [x.date, x.keepsStored])).toEqual([['2025-01-07', true]]);
    expect(v.reflagged).toEqual([]);
  });

  it('a close filling a gap is no correction: the stored days after it stay as they are (m.13)', () => {
    // 01-07 corrected; 01-08, absent from the cache, answered (101): 01-08 sits between the
    // correction and the next stored close 01-10, which is left alone, flag included.
    const v = validateQuotes('AAPL', [q('2025-01-07', 100.5), q('2025-01-08', 101)], cache({ '2025-01-06': 100, '2025-01-07': [1000, 'jump'], '2025-01-10': [102, 'jump'] }), 0.5);
    expect(v.reflagged).toEqual([]);
    // 01-08 flagged against 01-06 = 10; a new 01-07 = 100.5 would not make it a jump, but it fills a gap.
    const inserted = validateQuotes('AAPL', [q('2025-01-07', 100.5)], cache({ '2025-01-06': 10, '2025-01-08': [101, 'jump'] }), 0.5);
    expect(inserted.reflagged).toEqual([]);
  });

  it('an unchanged close whose previous close did not change keeps its flag; option contracts are never flagged', () => {
    const same = validateQuotes('AAPL', [q('2025-01-08', 101)], cache(TYPO), 0.5);
    expect(same.valid.map((x) => [x.date, x.jump])).toEqual([['2025-01-08', true]]);
    expect(same.jumps).toEqual([]);
    const option = validateQuotes('AAPL250117C00150000', [q('2025-01-07', 100.5)], cache(TYPO), 0.5);
    expect(option.reflagged).toEqual([]);
  });
});
