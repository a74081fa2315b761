/**
 * The importPrices contract command through the dispatcher (the app's "Add prices from CSV",
 * SPEC.md e.8): the same all-or-nothing import as `prices import`, under the maintenance lock.
 * A close that fills a recorded missing price marks that date's market_data and the later
 * processed dates stale, and the output names the range to retry; a bad row refuses the whole
 * file (nothing changes) unless skipBadRows; a file over the body limit and an import while a
 * run holds the lock are refused with a message that says what to do.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_PRICES_CSV_CHARS } from '../../../core/api/commands/import-commands';
import { dispatch } from '../../../host/dispatcher';
import { testHostContext } from '../../support/app/host-context';
import { tempDir } from '../../support/cli';
import { tableContents } from '../../support/db-content';
import { copyDb, runDemo, seedDemoDb } from '../../support/demo-db';
import { querySql } from '../../support/market-data-engine';
import { holdLockInChild } from '../../support/safeguards';

const NOW = '2025-07-11T23:00:00Z';

describe('importPrices', () => {
  let gap: string;
  let aaplClose: number;

  beforeAll(async () => {
    const seeded = seedDemoDb(NOW, tempDir('import-prices-seed-'));
    gap = copyDb(seeded, tempDir('import-prices-gap-'));
    aaplClose = querySql<{ close: number }>(seeded, `SELECT close FROM market_data_cache WHERE symbol = 'AAPL' AND date = '2025-07-09'`)[0]!.close;
    const db = new Database(gap);
    db.prepare(`DELETE FROM market_data_cache WHERE symbol = 'AAPL' AND date = '2025-07-09'`).run();
    db.close();
    const r = await runDemo(gap, NOW, { marketData: 'offline', guard: false });
    expect(r.exitCode).toBe(0);
    expect(querySql(gap, `SELECT symbol FROM missing_prices WHERE price_date = '2025-07-09'`)).toEqual([{ symbol: 'AAPL' }]);
  });

  it('fills a missing close and names the processed dates to retry', async () => {
    const db = copyDb(gap, tempDir('import-prices-fill-'));
    const ctx = testHostContext(db, NOW);
    const r = await dispatch('importPrices', { text: `symbol,date,close,volume\nAAPL,2025-07-09,${aaplClose},\nZZZZ,2025-07-09,12.5,100\n`, fileName: 'fill.csv' }, ctx);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.output).toMatchObject({
      file: 'fill.csv',
      rows: 2,
      symbols: 2,
      inserted: 2,
      updated: 0,
      unchanged: 0,
      keptStored: 0,
      jumps: [],
      skipped: [],
      unneededSymbols: ['ZZZZ'],
      stale: { dates: 3, first: '2025-07-09', last: '2025-07-11' },
    });
    expect(querySql(db, `SELECT data_source FROM market_data_cache WHERE symbol = 'AAPL' AND date = '2025-07-09'`)).toEqual([{ data_source: 'csv' }]);
    const ps = JSON.parse(querySql<{ phase_status: string }>(db, `SELECT phase_status FROM batch_run_tracking WHERE run_date = '2025-07-09'`)[0]!.phase_status) as Record<string, { status: string }>;
    expect(ps['market_data']!.status).toBe('stale');
    ctx.reader!.close();
  });

  it('a second correction of the same close names the same dates to retry, though they were stale already', async () => {
    const db = copyDb(gap, tempDir('import-prices-again-'));
    const ctx = testHostContext(db, NOW, { reader: false });
    const fill = await dispatch('importPrices', { text: `symbol,date,close\nAAPL,2025-07-09,${aaplClose}\n`, fileName: 'fill.csv' }, ctx);
    if (!fill.ok) throw new Error(fill.error.message);
    expect(fill.output).toMatchObject({ stale: { dates: 3, first: '2025-07-09', last: '2025-07-11' } });
    const fix = await dispatch('importPrices', { text: `symbol,date,close\nAAPL,2025-07-09,${(aaplClose * 1.01).toFixed(4)}\n`, fileName: 'fix.csv' }, ctx);
    if (!fix.ok) throw new Error(fix.error.message);
    expect(fix.output).toMatchObject({ updated: 1, stale: { dates: 3, first: '2025-07-09', last: '2025-07-11' } });
  });

  it('refuses a file with a bad row whole, and changes nothing; with skipBadRows it imports the others and lists the skipped', async () => {
    const db = copyDb(gap, tempDir('import-prices-bad-'));
    const ctx = testHostContext(db, NOW, { reader: false });
    const before = tableContents(db);
    const text = `symbol,date,close\nAAPL,2025-07-09,${aaplClose}\nMSFT,2025-07-09,abc\n`;
    const refused = await dispatch('importPrices', { text, fileName: 'bad.csv' }, ctx);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error).toMatchObject({ code: 'data', message: expect.stringMatching(/^bad\.csv line 3, column 3 \(close\): .*; nothing was imported \(fix the row, or skip bad rows to import the others\)$/) });
    expect(tableContents(db)).toEqual(before);

    const skipped = await dispatch('importPrices', { text, fileName: 'bad.csv', skipBadRows: true }, ctx);
    if (!skipped.ok) throw new Error(skipped.error.message);
    expect(skipped.output).toMatchObject({ rows: 1, inserted: 1, skipped: [expect.stringMatching(/^bad\.csv line 3, column 3 \(close\): /)] });

    const header = await dispatch('importPrices', { text: 'ticker,day,px\nAAPL,2025-07-09,1\n', fileName: 'odd.csv' }, ctx);
    expect(!header.ok && header.error.message).toMatch(/nothing was imported \(fix the header or the file\)$/);
  });

  it('refuses a file over the limit with the CLI command to use, and an empty one as the CLI does', async () => {
    const ctx = testHostContext(copyDb(gap, tempDir('import-prices-big-')), NOW, { reader: false });
    const big = await dispatch('importPrices', { text: 'x'.repeat(MAX_PRICES_CSV_CHARS + 1), fileName: 'big.csv' }, ctx);
    expect(!big.ok && big.error).toMatchObject({ code: 'usage', message: expect.stringContaining('import it with `batchdesk prices import FILE`') });
    const empty = await dispatch('importPrices', { text: '', fileName: 'empty.csv' }, ctx);
    // An empty file is refused as `prices import` refuses it, naming the file.
    expect(!empty.ok && empty.error).toMatchObject({ code: 'data', message: 'empty.csv line 1: the file has no header row; nothing was imported (fix the header or the file)' });
  });

  it('is refused while a run holds the lock, and changes nothing', async () => {
    const db = copyDb(gap, tempDir('import-prices-locked-'));
    const holder = await holdLockInChild(db);
    try {
      const before = tableContents(db);
      const r = await dispatch('importPrices', { text: `symbol,date,close\nAAPL,2025-07-09,${aaplClose}\n`, fileName: 'fill.csv' }, testHostContext(db, NOW, { reader: false }));
      expect(!r.ok && r.error).toMatchObject({ code: 'locked', message: expect.stringMatching(/locked by another run/) });
      const after = tableContents(db);
      delete before['run_lock'];
      delete after['run_lock'];
      expect(after).toEqual(before);
    } finally {
      await holder.stop();
    }
  });
});
