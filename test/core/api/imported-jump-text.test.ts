/**
 * An imported close flagged as a jump, in words (core/api/metric-text.ts importedJumpText), and
 * the validation that gives it the stored close (validate-quotes.ts): when the stored valid close
 * stays because the new one jumps from the PREVIOUS day's close, the warning names that previous
 * close as such and the stored one that stays (it called the previous close "the stored" one).
 */
import { describe, expect, it } from 'vitest';
import { importedJumpText } from '../../../core/api/metric-text';
import type { IsoDate } from '../../../core/domain/iso-date';
import { validateQuotes, type StoredCloses } from '../../../core/phases/market-data/validate-quotes';

const q = (date: string, close: number) => ({ date: date as IsoDate, close, volume: null, open: null, high: null, low: null });

describe('importedJumpText', () => {
  it('a jump stored flagged', () => {
    expect(importedJumpText({ symbol: 'NVDA', date: '2025-07-10', close: 300, reference: 150, storedCloseKept: false, storedClose: null })).toBe("NVDA 2025-07-10 close 300 is a jump from 150; stored flagged 'jump' (check for a split)");
  });

  it('a jump from the stored close of the day, which stays', () => {
    expect(importedJumpText({ symbol: 'SPY', date: '2025-07-09', close: 5000, reference: 500, storedCloseKept: true, storedClose: 500 })).toBe('SPY 2025-07-09 close 5000 differs from the stored 500 beyond the jump threshold; the stored close stays');
  });

  it("a jump from the previous day's close, over a stored close that stays: both named", () => {
    // Stored: 294.5 on 07-07 and 195.5 on 07-08; 100 is within 50% of 195.5, not of 294.5.
    const stored = new Map([
      ['2025-07-07', { close: 294.5, jump: false }],
      ['2025-07-08', { close: 195.5, jump: false }],
    ]);
    const closes: StoredCloses = { on: (d) => stored.get(d) ?? null, before: (d) => (d > '2025-07-07' ? { date: '2025-07-07' as IsoDate, close: 294.5 } : null), after: () => null };
    const v = validateQuotes('AAPL', [q('2025-07-08', 100)], closes, 0.5);
    const [j] = v.jumps;
    expect(j).toMatchObject({ close: 100, reference: 294.5, keepsStored: true, storedClose: 195.5 });
    expect(importedJumpText({ symbol: 'AAPL', date: '2025-07-08', close: j!.close, reference: j!.reference, storedCloseKept: j!.keepsStored, storedClose: j!.storedClose })).toBe(
      'AAPL 2025-07-08 close 100 differs from the previous close 294.5 beyond the jump threshold; the stored close 195.5 stays',
    );
  });
});
