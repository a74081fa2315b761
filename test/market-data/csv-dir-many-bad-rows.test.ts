/**
 * A CSV folder file with a great many bad rows (SPEC.md e.1, e.8): its valid rows are used, and
 * its bad rows are reported with a capped list, the rest counted. 200,000 repeated lines once
 * threw "Maximum call stack size exceeded" (a spread of the file's problems into one call), so
 * the whole file was dropped and the date failed. The same kind of limit hit `prices import` of a
 * file with 40,000 symbols: their list went into one SQL statement ("too many SQL variables").
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../core/domain/iso-date';
import { openStore } from '../../host/engine-host';
import { runCli, tempDir } from '../support/cli';
import { advancingClock, createSmallDatabase, missingPrices, querySql, runEngine } from '../support/market-data-engine';

const NOW = '2025-03-15T12:00:00Z';
const LOTS = [{ symbol: 'MSFT', quantity: 100, entryDate: '2025-03-03' as IsoDate }];
const REPEATS = 200_000;

describe('a CSV folder file with many bad rows (offline)', () => {
  const dir = tempDir('batchdesk-csv-many-bad-');

  it('uses the valid rows, lists the first bad rows and counts the rest', async () => {
    const csvDir = join(dir, 'csv');
    mkdirSync(csvDir, { recursive: true });
    const valid = ['2025-03-03,100', '2025-03-04,101', '2025-03-05,102', '2025-03-06,103', '2025-03-07,104'];
    // Lines 2-6 are valid; from line 7 on, the same row again and again.
    writeFileSync(join(csvDir, 'MSFT.csv'), `date,close\n${valid.join('\n')}\n${'2025-03-04,1.0\n'.repeat(REPEATS)}`);
    const db = join(dir, 'many.db');
    createSmallDatabase(db, LOTS, { 'market_data.mode': 'offline', 'market_data.csv_dir': csvDir }, Date.parse(NOW));
    const offline = () => Promise.reject(new Error('offline: nothing is fetched'));
    const run = await runEngine(db, { startDate: '2025-03-03', endDate: '2025-03-07' }, offline, advancingClock(NOW));

    expect(run.result.kind).toBe('run');
    expect(querySql(db, `SELECT date, close FROM market_data_cache WHERE symbol = 'MSFT' ORDER BY date`)).toEqual(valid.map((r) => ({ date: r.slice(0, 10), close: Number(r.slice(11)) })));
    expect(missingPrices(db).filter((r) => r.symbol === 'MSFT')).toEqual([]);

    const warnings = run.events.flatMap((e) => (e.event === 'metric' && e.payload.name === 'csv_bad_row' ? [e.payload.tags] : []));
    // The first 20 bad rows one by one, then one warning for the rest.
    expect(warnings).toHaveLength(21);
    expect(warnings[0]).toEqual({ symbol: 'MSFT', file: 'MSFT.csv', line: 7, column: 'date', message: 'MSFT on 2025-03-04 again (first on line 3, which is used)' });
    expect(warnings[20]).toEqual({ symbol: 'MSFT', file: 'MSFT.csv', line: 27, column: null, message: `${REPEATS - 20} more bad row(s) of MSFT, the first on this line, are skipped without a warning each`, rows: REPEATS - 20 });

    const [log] = querySql<{ outcome: string; error: string }>(db, `SELECT outcome, error FROM market_data_fetch_log WHERE symbol = 'MSFT' AND provider = 'csv' ORDER BY id LIMIT 1`);
    expect(log).toEqual({ outcome: 'ok', error: `${REPEATS} bad CSV row(s) skipped, first: MSFT.csv line 7: MSFT on 2025-03-04 again (first on line 3, which is used)` });
  }, 120_000);
});

describe('prices import of a file with more symbols than one SQL statement takes', () => {
  const dir = tempDir('batchdesk-import-many-symbols-');

  it('imports 40,000 symbols', async () => {
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const symbols = Array.from({ length: 40_000 }, (_, i) => [17576, 676, 26, 1].map((n) => letters[Math.floor(i / n) % 26]).join(''));
    const file = join(dir, 'many.csv');
    writeFileSync(file, `symbol,date,close\n${symbols.map((s) => `${s},2025-03-03,10\n`).join('')}`);
    const db = join(dir, 'many.db');
    openStore(db).close();
    const r = await runCli(['prices', 'import', file, '--db', db], { BATCHDESK_NOW: NOW });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(querySql(db, `SELECT count(DISTINCT symbol) AS n FROM market_data_cache`)).toEqual([{ n: 40_000 }]);
  }, 120_000);
});
