/**
 * A corrected close in a CSV folder file clears the `jump` flag the typo put on the next day
 * (SPEC.md e.4: the flag compares a close with the previous valid close; m.13: a changed file is
 * read again and its corrected close replaces the stored one). The next day is re-evaluated
 * whether the re-read holds it (its close unchanged) or not (it lies after the re-run's dates,
 * stored by an earlier, longer run). File times are set explicitly: the engine's clock is fixed
 * in the past.
 */
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../core/domain/iso-date';
import { tempDir } from '../support/cli';
import { advancingClock, createSmallDatabase, querySql, runEngine } from '../support/market-data-engine';

const NOW = '2025-03-15T12:00:00Z';
const LOTS = [{ symbol: 'MSFT', quantity: 100, entryDate: '2025-03-03' as IsoDate }];
const offline = () => Promise.reject(new Error('offline: nothing is fetched'));

function writeMsft(path: string, close0305: string, modifiedIso: string): void {
  writeFileSync(path, `date,close\n2025-03-03,100\n2025-03-04,101\n2025-03-05,${close0305}\n2025-03-06,103\n2025-03-07,104\n`);
  const at = new Date(modifiedIso);
  utimesSync(path, at, at);
}

describe('a corrected CSV close and the next day\'s jump flag (offline)', () => {
  const dir = tempDir('batchdesk-csv-corrected-jump-');

  it.each([
    ['the re-run reads the next day again', '2025-03-07'],
    ['the next day lies after the re-run\'s dates', '2025-03-05'],
  ])('%s: the flag set against the typo is cleared', async (label, rerunEnd) => {
    const csvDir = join(dir, `csv-${rerunEnd}`);
    mkdirSync(csvDir, { recursive: true });
    const msft = join(csvDir, 'MSFT.csv');
    // 1020 for 102: +910 % from 101, and 103 after it is -89.9 %: both flagged.
    writeMsft(msft, '1020', '2025-03-14T12:00:00Z');
    const db = join(dir, `${rerunEnd}.db`);
    createSmallDatabase(db, LOTS, { 'market_data.mode': 'offline', 'market_data.csv_dir': csvDir }, Date.parse(NOW));
    const flags = () => querySql<{ date: string; close: number; flag: string | null }>(db, `SELECT date, close, validation_flag AS flag FROM market_data_cache WHERE symbol = 'MSFT' AND date IN ('2025-03-05', '2025-03-06') ORDER BY date`);

    await runEngine(db, { startDate: '2025-03-03', endDate: '2025-03-07' }, offline, advancingClock(NOW));
    expect(flags(), label).toEqual([
      { date: '2025-03-05', close: 1020, flag: 'jump' },
      { date: '2025-03-06', close: 103, flag: 'jump' },
    ]);

    writeMsft(msft, '102', '2025-03-15T14:00:00Z');
    const rerun = await runEngine(db, { startDate: '2025-03-03', endDate: rerunEnd }, offline, advancingClock('2025-03-15T15:00:00Z'));
    // 102 vs 101 (+1 %) and 103 vs 102 (+1 %): neither is a jump any more, and nothing is reported as one.
    expect(flags(), label).toEqual([
      { date: '2025-03-05', close: 102, flag: null },
      { date: '2025-03-06', close: 103, flag: null },
    ]);
    expect(rerun.events.filter((e) => e.event === 'metric' && e.payload.name === 'price_validation_flag')).toEqual([]);
  }, 120_000);
});
