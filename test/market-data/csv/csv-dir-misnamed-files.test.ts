/**
 * A CSV price folder never ignores a `.csv` file silently (SPEC.md e.5, e.8): per-symbol files are
 * named after the symbol as the cache stores it (`<SYMBOL>.csv`, canonical form), so `^VIX.csv`
 * (the provider's name for the index VIX) and `AAPL (1).csv` (a browser's second download) are not
 * read for VIX and AAPL. The source names such files with why and the name they should have, and
 * a request that finds no file for the symbol says which file was meant for it. A file named after
 * a symbol no run needs now is not listed: it serves that symbol when needed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../core/domain/iso-date';
import { CsvDirectorySource } from '../../../market-data/csv/csv-directory-source';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'batchdesk-csv-misnamed-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const ROWS = 'Date,Close\n2025-07-01,16.8\n2025-07-02,16.6\n';

describe('misnamed files of a CSV price folder', () => {
  it('names each file no needed symbol reads for its name, with why and the name it should have', () => {
    for (const name of ['^VIX.csv', 'AAPL (1).csv', 'notes!.csv', 'OLD.csv', 'MSFT.csv', 'prices.csv', 'readme.txt']) writeFileSync(join(dir, name), ROWS);
    const source = new CsvDirectorySource(dir);
    expect(source.misnamedFiles(new Set(['VIX', 'AAPL', 'MSFT']))).toEqual([
      { file: 'AAPL (1).csv', symbol: 'AAPL', message: 'AAPL (1).csv in the CSV folder is not read: "AAPL (1)" is no symbol; rename it AAPL.csv' },
      {
        file: '^VIX.csv',
        symbol: 'VIX',
        message: "^VIX.csv in the CSV folder is not read: ^VIX is the provider's name for the index VIX, and files are named after the symbol as batchdesk stores it; rename it VIX.csv",
      },
      {
        file: 'notes!.csv',
        symbol: null,
        message: 'notes!.csv in the CSV folder is not read: "notes!" is no symbol; name a per-symbol file <SYMBOL>.csv (AAPL.csv), or put its rows in prices.csv with a symbol column',
      },
    ]);
  });

  it('a symbol that is itself ^VIX (a well-formed symbol) reads ^VIX.csv, which is then not misnamed', async () => {
    writeFileSync(join(dir, '^VIX.csv'), ROWS);
    const source = new CsvDirectorySource(dir);
    expect(source.misnamedFiles(new Set(['^VIX', 'VIX']))).toEqual([]);
    const r = await source.fetchPrices({ symbol: '^VIX', start: '2025-07-01' as IsoDate, end: '2025-07-02' as IsoDate }, new AbortController().signal);
    expect(r.quotes.map((q) => q.close)).toEqual([16.8, 16.6]);
  });

  it('a request for VIX with only ^VIX.csv in the folder says which file was meant for it', async () => {
    writeFileSync(join(dir, '^VIX.csv'), ROWS);
    const r = await new CsvDirectorySource(dir).fetchPrices({ symbol: 'VIX', start: '2025-07-01' as IsoDate, end: '2025-07-02' as IsoDate }, new AbortController().signal);
    expect(r.outcome).toBe('no_data');
    expect(r.error).toBe(
      `no CSV file for VIX in ${dir}; ^VIX.csv is there but not read (^VIX is the provider's name for the index VIX, and files are named after the symbol as batchdesk stores it): rename it VIX.csv`,
    );
  });
});
