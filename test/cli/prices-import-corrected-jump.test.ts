/**
 * `prices import` of a corrected close re-evaluates the next stored day's jump flag (SPEC.md e.4,
 * m.13, m.14): the flag compares a close with the previous valid close, so a typo flags its own
 * day and the day after; importing the correction of the typo day alone clears both, and the
 * next day's row keeps its close, volume and data_source.
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../host/engine-host';
import { runCli, tempDir } from '../support/cli';

const NOW = '2025-07-11T23:00:00Z';

function cache(path: string): unknown[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(`SELECT date, close, volume, data_source, validation_flag AS flag FROM market_data_cache WHERE symbol = 'AAPL' ORDER BY date`).all();
  } finally {
    db.close();
  }
}

describe('prices import of a corrected close', () => {
  const dir = tempDir('batchdesk-prices-corrected-jump-');

  it('clears the flag its typo put on the next stored day', async () => {
    const db = join(dir, 'jump.db');
    openStore(db).close();
    const typo = join(dir, 'typo.csv');
    // 2430 for 243: +896 % from 244, and 245 after it is -89.9 %: both flagged.
    writeFileSync(typo, 'symbol,date,close,volume\nAAPL,2025-01-02,244,100\nAAPL,2025-01-03,2430,200\nAAPL,2025-01-06,245,300\n');
    expect((await runCli(['prices', 'import', typo, '--db', db], { BATCHDESK_NOW: NOW })).code).toBe(0);
    expect(cache(db)).toEqual([
      { date: '2025-01-02', close: 244, volume: 100, data_source: 'csv', flag: null },
      { date: '2025-01-03', close: 2430, volume: 200, data_source: 'csv', flag: 'jump' },
      { date: '2025-01-06', close: 245, volume: 300, data_source: 'csv', flag: 'jump' },
    ]);

    const fix = join(dir, 'fix.csv');
    writeFileSync(fix, 'symbol,date,close,volume\nAAPL,2025-01-03,243,200\n');
    const imp = await runCli(['prices', 'import', fix, '--db', db], { BATCHDESK_NOW: NOW });
    expect(imp.code, imp.stderr).toBe(0);
    // 243 vs 244 (-0.4 %), 245 vs 243 (+0.8 %): no jump left.
    expect(cache(db)).toEqual([
      { date: '2025-01-02', close: 244, volume: 100, data_source: 'csv', flag: null },
      { date: '2025-01-03', close: 243, volume: 200, data_source: 'csv', flag: null },
      { date: '2025-01-06', close: 245, volume: 300, data_source: 'csv', flag: null },
    ]);
  });
});
