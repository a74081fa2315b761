/**
 * A CSV cell an error echoes is shown as every other echoed value is (core/api/ascii-json.ts
 * shownValue, SPEC.md k.1): a character outside ASCII as its \u escape, so full-width digits are
 * not printed as the plain digits the CLI's transliteration would make of them (the value then
 * reads as a good number), and a long cell cut after 60 characters with its length.
 */
import { describe, expect, it } from 'vitest';
import { closeCell, numberCell, symbolCell } from '../../../market-data/csv/csv-cells';

describe('the value a CSV cell error echoes', () => {
  it('writes a character outside ASCII as its \\u escape', () => {
    expect(closeCell('\uff11\uff19\uff15.5')).toEqual({ ok: false, kind: 'bad_number', message: 'expected a number, got "\\uff11\\uff19\\uff15.5"' });
    expect(symbolCell('\u00c5BB')).toMatchObject({ ok: false, message: `expected a symbol of letters, digits, '-', '_' or '=' (at most 32, an optional leading '^'), got "\\u00c5BB"` });
  });

  it('shows a cell of 60 characters whole, and cuts a longer one with its length', () => {
    const sixty = `${'1'.repeat(59)}x`;
    expect(numberCell(sixty, 'close')).toMatchObject({ message: `expected a number, got "${sixty}"` });
    expect(numberCell(`${sixty}yz`, 'close')).toMatchObject({ message: `expected a number, got "${sixty}"... (62 characters)` });
  });
});
