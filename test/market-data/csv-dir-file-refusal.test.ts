/**
 * A CSV folder file that cannot be used at all (SPEC.md e.6, e.8): a header without a "date"
 * column, and an empty file. The warning says the whole file is ignored, not one row, and each
 * day's missing price names the file and its problem (`provider_error`: the folder's answer was
 * unusable) instead of "never priced: check the symbol", which points at a typo.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../core/domain/iso-date';
import { tempDir } from '../support/cli';
import { advancingClock, createSmallDatabase, querySql, runEngine } from '../support/market-data-engine';

const NOW = '2025-03-15T12:00:00Z';
const LOTS = [
  { symbol: 'MSFT', quantity: 100, entryDate: '2025-03-03' as IsoDate },
  { symbol: 'AAPL', quantity: 100, entryDate: '2025-03-03' as IsoDate },
];
const offline = () => Promise.reject(new Error('offline: nothing is fetched'));

describe('a CSV folder file ignored as a whole (offline)', () => {
  const dir = tempDir('batchdesk-csv-file-refusal-');

  it('says the whole file is ignored and names it in the missing prices', async () => {
    const csvDir = join(dir, 'csv');
    mkdirSync(csvDir, { recursive: true });
    writeFileSync(join(csvDir, 'MSFT.csv'), 'day,price\n2025-03-03,100\n');
    writeFileSync(join(csvDir, 'AAPL.csv'), '');
    const db = join(dir, 'refusal.db');
    createSmallDatabase(db, LOTS, { 'market_data.mode': 'offline', 'market_data.csv_dir': csvDir }, Date.parse(NOW));
    const run = await runEngine(db, { startDate: '2025-03-03', endDate: '2025-03-04' }, offline, advancingClock(NOW));

    const warnings = run.events.flatMap((e) => (e.event === 'metric' && e.payload.name === 'csv_bad_row' ? [e.payload.tags] : []));
    expect(warnings).toEqual(
      expect.arrayContaining([
        { symbol: 'AAPL', file: 'AAPL.csv', line: 1, column: null, message: 'the file has no header row; the whole file is ignored' },
        { symbol: 'MSFT', file: 'MSFT.csv', line: 1, column: 'date', message: 'the header has no "date" column (found: day, price); the whole file is ignored' },
      ]),
    );
    expect(querySql(db, `SELECT symbol, price_date, reason, detail FROM missing_prices WHERE symbol IN ('AAPL', 'MSFT') ORDER BY symbol, price_date`)).toEqual([
      { symbol: 'AAPL', price_date: '2025-03-03', reason: 'provider_error', detail: 'AAPL.csv is ignored as a whole (line 1: the file has no header row); fix it and run the dates again' },
      { symbol: 'AAPL', price_date: '2025-03-04', reason: 'provider_error', detail: 'AAPL.csv is ignored as a whole (line 1: the file has no header row); fix it and run the dates again' },
      { symbol: 'MSFT', price_date: '2025-03-03', reason: 'provider_error', detail: 'MSFT.csv is ignored as a whole (line 1: the header has no "date" column (found: day, price)); fix it and run the dates again' },
      { symbol: 'MSFT', price_date: '2025-03-04', reason: 'provider_error', detail: 'MSFT.csv is ignored as a whole (line 1: the header has no "date" column (found: day, price)); fix it and run the dates again' },
    ]);
  }, 120_000);
});
