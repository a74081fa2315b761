/**
 * A CSV folder file corrected after a run read it (SPEC.md e.1, e.4, m.13): a re-run of the same
 * dates reads it again, and its corrected close replaces the stored one by the e.4 rules (here a
 * stored close flagged `jump` is replaced, and the flag evaluated again). A file left unchanged
 * since the last read is not read again. File times are set explicitly: the engine's clock is
 * fixed in the past.
 */
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../core/domain/iso-date';
import { tempDir } from '../support/cli';
import { advancingClock, createSmallDatabase, querySql, runEngine } from '../support/market-data-engine';

const NOW = '2025-03-15T12:00:00Z';
const LOTS = [{ symbol: 'MSFT', quantity: 100, entryDate: '2025-03-03' as IsoDate }];
const RANGE = { startDate: '2025-03-03', endDate: '2025-03-07' };
const offline = () => Promise.reject(new Error('offline: nothing is fetched'));

function writeMsft(path: string, close0305: string, modifiedIso: string): void {
  writeFileSync(path, `date,close\n2025-03-03,100\n2025-03-04,101\n2025-03-05,${close0305}\n2025-03-06,103\n2025-03-07,104\n`);
  const at = new Date(modifiedIso);
  utimesSync(path, at, at);
}

describe('a CSV folder file changed since it was read (offline)', () => {
  const dir = tempDir('batchdesk-csv-changed-');

  it('reads it again on a re-run and its corrected close replaces the stored one; an unchanged file is not read again', async () => {
    const csvDir = join(dir, 'csv');
    mkdirSync(csvDir, { recursive: true });
    const msft = join(csvDir, 'MSFT.csv');
    writeMsft(msft, '1e9', '2025-03-14T12:00:00Z');
    const db = join(dir, 'changed.db');
    createSmallDatabase(db, LOTS, { 'market_data.mode': 'offline', 'market_data.csv_dir': csvDir }, Date.parse(NOW));
    const close0305 = () => querySql(db, `SELECT close, validation_flag AS flag FROM market_data_cache WHERE symbol = 'MSFT' AND date = '2025-03-05'`);
    const msftReads = () => querySql<{ n: number }>(db, `SELECT count(*) AS n FROM market_data_fetch_log WHERE symbol = 'MSFT' AND provider = 'csv' AND outcome = 'ok'`)[0]!.n;

    await runEngine(db, RANGE, offline, advancingClock(NOW));
    expect(close0305()).toEqual([{ close: 1e9, flag: 'jump' }]);
    expect(msftReads()).toBe(1);

    // Unchanged since that read: the re-run takes the cache and reads nothing.
    await runEngine(db, RANGE, offline, advancingClock('2025-03-15T13:00:00Z'));
    expect(msftReads()).toBe(1);

    // Corrected after it: the re-run reads it again.
    writeMsft(msft, '102', '2025-03-15T14:00:00Z');
    await runEngine(db, RANGE, offline, advancingClock('2025-03-15T15:00:00Z'));
    expect(close0305()).toEqual([{ close: 102, flag: null }]);
    expect(msftReads()).toBe(2);
    expect(querySql(db, `SELECT price_date FROM missing_prices WHERE symbol = 'MSFT'`)).toEqual([]);
  }, 120_000);
});
