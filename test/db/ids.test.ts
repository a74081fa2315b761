/** Row ids (db/ids.ts): the demo's MD5 ids and the date-prefixed derived-row ids. */
import { describe, expect, it } from 'vitest';
import { addCalendarDays, toEpochDay, type IsoDate } from '../../core/domain/iso-date';
import { datedRowId, datedRowIds, md5Uuid } from '../../db/ids';

describe('row ids', () => {
  it('md5Uuid formats the MD5 digest as a UUID (the demo file was made this way)', () => {
    // Provenance: the demo file's first position id, and `printf %s ... | md5sum`.
    expect(md5Uuid('1d8ddd95-3b45-0ac5-35bf-cf81af94a5fe_AAPL_2025-06-30')).toBe('8669cf15-aaa6-b940-8afa-ee125abeca2b');
  });

  it('datedRowId is a lowercase UUID-shaped id prefixed by the epoch day, deterministic per key', () => {
    const a = datedRowId('2025-07-01', 'factor_exposures:p:f:2025-07-01');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(a).toBe(datedRowId('2025-07-01', 'factor_exposures:p:f:2025-07-01'));
    expect(a).not.toBe(datedRowId('2025-07-01', 'factor_exposures:p:g:2025-07-01'));
    let d = '1999-12-25' as IsoDate;
    for (let i = 0; i < 12_000; i += 7) {
      expect(parseInt(datedRowId(d, 'k').slice(0, 8), 16)).toBe(toEpochDay(d));
      d = addCalendarDays(d, 7);
    }
  });

  it('orders ids of later dates after earlier ones, and has no collisions over a large key set', () => {
    expect(datedRowId('2025-07-02', 'a') > datedRowId('2025-07-01', 'z')).toBe(true);
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) seen.add(datedRowId('2025-07-01', `pairwise_correlations:calc:${i % 97}:${i}`));
    expect(seen.size).toBe(200_000);
  });

  it('keeps the ids of earlier versions (stored rows keep their ids when a date is re-run)', () => {
    // Provenance: the values the first released datedRowId (one-pass cyrb128) gave for these keys.
    expect(datedRowId('2025-07-01', 'factor_exposures:p:f:2025-07-01')).toBe('00004f2e-1a87-2055-a298-0ea4d3689273');
    expect(datedRowId('2026-11-27', 'pairwise_correlations:x:AAPL:MSFT')).toBe('00005130-967f-3cda-4d06-42096a18f6d0');
  });

  it('datedRowIds hashes a shared prefix once and gives the same id as datedRowId of the whole key', () => {
    const prefixes = ['', 'pairwise_correlations:', 'symbol_factor_exposures:é✓:', 'x'.repeat(300)];
    const suffixes = ['', 'AAPL:MSFT', 'ü:€:𝄞', '0'.repeat(97)];
    for (const p of prefixes) {
      const idOf = datedRowIds('2026-02-27', p);
      for (const s of suffixes) expect(idOf(s)).toBe(datedRowId('2026-02-27', p + s));
    }
  });
});
