/**
 * Invalid closes read from a CSV folder file (SPEC.md e.4, e.6, g.8, m.12): a close that is not a
 * number (NaN, empty) and one that is not positive (-5, 0). Each is counted in invalid_prices, and
 * each day's missing_prices row says `invalid_price` with the file and line, in the same words
 * whether this run rejected the close or an earlier run did (a re-run with unchanged inputs reads
 * nothing and writes the same rows).
 */
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../core/domain/iso-date';
import { tempDir } from '../support/cli';
import { advancingClock, createSmallDatabase, querySql, runEngine } from '../support/market-data-engine';

const NOW = '2025-03-15T12:00:00Z';
const LOTS = [{ symbol: 'MSFT', quantity: 100, entryDate: '2025-03-03' as IsoDate }];
const RANGE = { startDate: '2025-03-03', endDate: '2025-03-10' };
const offline = () => Promise.reject(new Error('offline: nothing is fetched'));

describe('invalid CSV closes on a re-run with unchanged inputs (offline)', () => {
  const dir = tempDir('batchdesk-csv-rerun-missing-');

  it('counts every invalid close and writes the same missing_prices rows on both runs', async () => {
    const csvDir = join(dir, 'csv');
    mkdirSync(csvDir, { recursive: true });
    const msft = join(csvDir, 'MSFT.csv');
    writeFileSync(msft, 'date,close\n2025-03-03,100\n2025-03-04,NaN\n2025-03-05,-5\n2025-03-06,0\n2025-03-07,\n2025-03-10,104\n');
    const modified = new Date('2025-03-14T12:00:00Z');
    utimesSync(msft, modified, modified);
    const db = join(dir, 'rerun.db');
    createSmallDatabase(db, LOTS, { 'market_data.mode': 'offline', 'market_data.csv_dir': csvDir }, Date.parse(NOW));
    const missing = () => querySql(db, `SELECT price_date, reason, resolution, detail FROM missing_prices WHERE symbol = 'MSFT' ORDER BY price_date`);
    const expected = [
      { price_date: '2025-03-04', reason: 'invalid_price', resolution: 'fallback', detail: 'invalid close: expected a number, got "NaN" (MSFT.csv line 3)' },
      { price_date: '2025-03-05', reason: 'invalid_price', resolution: 'fallback', detail: 'invalid close -5 (MSFT.csv line 4)' },
      { price_date: '2025-03-06', reason: 'invalid_price', resolution: 'fallback', detail: 'invalid close 0 (MSFT.csv line 5)' },
      { price_date: '2025-03-07', reason: 'invalid_price', resolution: 'fallback', detail: 'invalid close: the close is empty (MSFT.csv line 6)' },
    ];

    const first = await runEngine(db, RANGE, offline, advancingClock(NOW));
    expect(missing()).toEqual(expected);
    expect(first.result.kind === 'run' && first.result.summary.market_data['invalid_prices']).toBe(4);

    const second = await runEngine(db, RANGE, offline, advancingClock('2025-03-15T13:00:00Z'));
    expect(querySql(db, `SELECT count(*) AS n FROM market_data_fetch_log WHERE symbol = 'MSFT' AND provider = 'csv' AND outcome = 'ok'`)).toEqual([{ n: 1 }]);
    expect(missing()).toEqual(expected);
    expect(second.result.kind === 'run' && second.result.summary.market_data['invalid_prices']).toBe(0);
  }, 120_000);
});
