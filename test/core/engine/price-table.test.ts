/**
 * The run's in-memory price table (core/engine/price-table.ts): a row set again replaces the
 * close and the jump flag of its day, as the stored row's merge does (e.4: a corrected close
 * re-checks the next stored day's flag, which may clear it), and the closes, invalid rows and
 * flags of other days and symbols stay.
 */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../core/domain/iso-date';
import { PriceTable } from '../../../core/engine/price-table';

const d = (s: string) => s as IsoDate;

describe('PriceTable.set', () => {
  it("replaces a day's jump flag with the new row's: set, then cleared by a re-checked row", () => {
    const t = new PriceTable(d('2026-11-02'), d('2026-11-06'));
    t.set('AAPL', d('2026-11-04'), 100, false);
    t.set('AAPL', d('2026-11-05'), 150, true);
    t.set('MSFT', d('2026-11-05'), 300, true);
    expect(t.isJump('AAPL', d('2026-11-05'))).toBe(true);

    // The 11-04 close is corrected to 140; 150 is no jump from it, and the re-checked row says so.
    t.set('AAPL', d('2026-11-04'), 140, false);
    t.set('AAPL', d('2026-11-05'), 150, false);
    expect(t.isJump('AAPL', d('2026-11-05'))).toBe(false);
    expect(t.isJump('MSFT', d('2026-11-05'))).toBe(true);
    expect(t.isJump('AAPL', d('2026-11-04'))).toBe(false);
  });

  it('a valid close replaces an invalid row of its day, and an invalid one is kept as NaN', () => {
    const t = new PriceTable(d('2026-11-02'), d('2026-11-06'));
    t.set('AAPL', d('2026-11-04'), Number.NaN);
    expect(t.hasInvalidRow('AAPL', d('2026-11-04'))).toBe(true);
    t.set('AAPL', d('2026-11-04'), 101.25);
    expect(t.hasInvalidRow('AAPL', d('2026-11-04'))).toBe(false);
    t.set('AAPL', d('2026-11-03'), -1);
    expect(t.hasInvalidRow('AAPL', d('2026-11-03'))).toBe(true);
  });
});
