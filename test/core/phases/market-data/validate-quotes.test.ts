/**
 * Price validation (SPEC.md e.4, m.13). Every expected value below is hand-computed from the
 * rules: |close / reference - 1| > 0.5 flags a jump; the reference is the stored close of the
 * same day when one would be replaced, else the previous day's close as the cache will hold it.
 */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../../core/domain/iso-date';
import { validateQuotes, type StoredCloses } from '../../../../core/phases/market-data/validate-quotes';
import type { Quote } from '../../../../core/ports/market-data';

const d = (s: string) => s as IsoDate;
const q = (date: string, close: number, volume: number | null = 100): Quote => ({ date: d(date), close, volume, open: null, high: null, low: null });

/** Stored closes from a table (the symbol's cache). */
function stored(rows: Record<string, number | [number, 'jump']>): StoredCloses {
  const entries = Object.entries(rows)
    .map(([date, v]) => ({ date: d(date), close: Array.isArray(v) ? v[0] : v, jump: Array.isArray(v) }))
    .sort((a, b) => (a.date < b.date ? -1 : 1));
  return {
    on: (x) => {
      const e = entries.find((r) => r.date === x);
      return e ? { close: e.close, jump: e.jump } : null;
    },
    before: (x) => {
      const e = entries.filter((r) => r.date < x).pop();
      return e ? { date: e.date, close: e.close } : null;
    },
    after: (x) => entries.find((r) => r.date > x) ?? null,
  };
}

describe('validateQuotes', () => {
  it('rejects non-finite and non-positive closes, drops non-trading days, nulls negative volumes', () => {
    const v = validateQuotes('AAPL', [q('2025-01-06', 0), q('2025-01-07', Number.NaN), q('2025-01-08', -5), q('2025-01-04', 10), q('2025-01-10', 10, -3)], stored({}), 0.5);
    expect(v.rejected.map((r) => [r.date, r.why, r.storedStays])).toEqual([
      ['2025-01-06', 'invalid close 0', false],
      ['2025-01-07', 'invalid close NaN', false],
      ['2025-01-08', 'invalid close -5', false],
    ]);
    expect(v.droppedNonTrading).toEqual([{ date: '2025-01-04', origin: null }]); // a Saturday (2025-01-09 would be too: the closure for President Carter)
    expect(v.valid).toEqual([{ date: '2025-01-10', close: 10, volume: null, open: null, high: null, low: null, jump: false, keepsStored: false }]);
  });

  it.each([
    // [case, stored cache, answer, expected [date, jump, keepsStored] per valid quote]
    ['a 10x move after a stored close is a jump (stored as new row)', { '2025-01-06': 100 }, [q('2025-01-07', 1000)], [['2025-01-07', true, false]]],
    ['exactly +50% is not a jump (strict >)', { '2025-01-06': 100 }, [q('2025-01-07', 150)], [['2025-01-07', false, false]]],
    ['-60% is a jump', { '2025-01-06': 100 }, [q('2025-01-07', 40)], [['2025-01-07', true, false]]],
    ['the day after a stored jump is compared with the jump (a split)', {}, [q('2025-01-06', 100), q('2025-01-07', 1000), q('2025-01-08', 1010)], [['2025-01-06', false, false], ['2025-01-07', true, false], ['2025-01-08', false, false]]],
    ['a x10 answer over stored closes keeps every stored close', { '2025-01-06': 100, '2025-01-07': 101 }, [q('2025-01-06', 1000), q('2025-01-07', 1010)], [['2025-01-06', true, true], ['2025-01-07', true, true]]],
    ['after a kept close the next day is compared with the kept one', { '2025-01-06': 100 }, [q('2025-01-06', 1000), q('2025-01-07', 1010)], [['2025-01-06', true, true], ['2025-01-07', true, false]]],
    ['a small correction of a stored close replaces it', { '2025-01-06': 100, '2025-01-07': 101 }, [q('2025-01-07', 101.5)], [['2025-01-07', false, false]]],
    ['a correction that is a jump from the previous day keeps the stored close', { '2025-01-06': 100, '2025-01-07': 101 }, [q('2025-01-07', 40)], [['2025-01-07', true, true]]],
    ['a stored flagged row is replaced and re-evaluated', { '2025-01-06': 100, '2025-01-07': [1000, 'jump'] }, [q('2025-01-07', 101)], [['2025-01-07', false, false]]],
    ['an unchanged close keeps the stored flag and is not reported', { '2025-01-06': 100, '2025-01-07': [1000, 'jump'] }, [q('2025-01-07', 1000)], [['2025-01-07', true, false]]],
    ['a stored close between quotes is the reference', { '2025-01-06': 100, '2025-01-07': 1000 }, [q('2025-01-06', 100), q('2025-01-08', 1005)], [['2025-01-06', false, false], ['2025-01-08', false, false]]],
    ['option contracts skip the jump check', { '2025-01-06': 1 }, [q('2025-01-07', 10)], [['2025-01-07', false, false]]],
  ])('%s', (label, cache, answer, expected) => {
    const symbol = label.startsWith('option') ? 'AAPL250117C00150000' : 'AAPL';
    const v = validateQuotes(symbol, answer, stored(cache as Record<string, number | [number, 'jump']>), 0.5);
    expect(v.valid.map((x) => [x.date, x.jump, x.keepsStored])).toEqual(expected);
    // Reported jumps are the flagged quotes that change something.
    const unchanged = (x: { date: string; close: number }) => stored(cache as Record<string, number>).on(d(x.date))?.close === x.close;
    expect(v.jumps.map((j) => j.date)).toEqual(v.valid.filter((x) => x.jump && !unchanged(x)).map((x) => x.date));
  });

  it('a rejected close over a stored one leaves the stored close as the next reference', () => {
    const v = validateQuotes('AAPL', [q('2025-01-06', -1), q('2025-01-07', 1000)], stored({ '2025-01-03': 90, '2025-01-06': 100 }), 0.5);
    expect(v.rejected).toEqual([{ date: '2025-01-06', close: -1, why: 'invalid close -1', origin: null, storedStays: true }]);
    expect(v.jumps).toEqual([{ date: '2025-01-07', close: 1000, reference: 100, keepsStored: false, storedClose: null, origin: null }]);
  });

  it('a quote that says where it was read (a CSV row) passes its file and line on; a rejection names them', () => {
    const at = (quote: Quote, line: number) => ({ ...quote, origin: { file: 'AAPL.csv', line } });
    const v = validateQuotes('AAPL', [at(q('2025-01-04', 100), 2), at(q('2025-01-06', 0), 3), at(q('2025-01-07', 100), 4), at(q('2025-01-08', 1000), 5)], stored({}), 0.5);
    expect(v.droppedNonTrading).toEqual([{ date: '2025-01-04', origin: { file: 'AAPL.csv', line: 2 } }]);
    expect(v.rejected).toEqual([{ date: '2025-01-06', close: 0, why: 'invalid close 0 (AAPL.csv line 3)', origin: { file: 'AAPL.csv', line: 3 }, storedStays: false }]);
    expect(v.jumps).toEqual([{ date: '2025-01-08', close: 1000, reference: 100, keepsStored: false, storedClose: null, origin: { file: 'AAPL.csv', line: 5 } }]);
    // The stored rows carry no origin.
    expect(v.valid.map((x) => Object.keys(x).includes('origin'))).toEqual([false, false]);
  });

  it('invariant: a quote flagged keepsStored always has a stored, unflagged, different close', () => {
    const cache = { '2025-01-02': 50, '2025-01-03': 100, '2025-01-06': 100, '2025-01-07': [300, 'jump'] as [number, 'jump'], '2025-01-08': 110 };
    const s = stored(cache);
    const closes = [20, 49, 51, 99, 100, 149, 151, 300, 1000];
    for (const c of closes) {
      const v = validateQuotes('AAPL', ['2025-01-02', '2025-01-03', '2025-01-06', '2025-01-07', '2025-01-08', '2025-01-09'].map((x) => q(x, c)), s, 0.5);
      for (const x of v.valid.filter((y) => y.keepsStored)) {
        const cur = s.on(x.date);
        expect(cur && !cur.jump && cur.close !== x.close, `${c} ${x.date}`).toBe(true);
      }
    }
  });
});
