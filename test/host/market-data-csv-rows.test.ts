/**
 * CSV rows that pass parsing but fail the engine's validation (SPEC.md e.4, e.8), through the
 * whole engine in offline mode with a CSV folder: a close of 0, a row dated on a Saturday and a
 * 10x jump in MSFT.csv. Each is reported with its file and line, and the invalid close's
 * missing-price reason names them too, so the user knows which row to fix.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../core/domain/iso-date';
import { tempDir } from '../support/cli';
import { advancingClock, createSmallDatabase, missingPrices, querySql, runEngine } from '../support/market-data-engine';

const NOW = '2025-03-15T12:00:00Z';
const LOTS = [{ symbol: 'MSFT', quantity: 100, entryDate: '2025-03-03' as IsoDate }];

describe('bad CSV rows found by validation (offline, CSV folder)', () => {
  const dir = tempDir('batchdesk-md-csv-rows-');

  it('names the file and line of an invalid close, a non-trading-day row and a jump', async () => {
    const csvDir = join(dir, 'csv');
    mkdirSync(csvDir, { recursive: true });
    writeFileSync(
      join(csvDir, 'MSFT.csv'),
      [
        'Date,Close', // line 1
        '2025-03-01,100', // line 2: a Saturday
        '2025-03-03,100',
        '2025-03-04,0', // line 4: invalid close
        '2025-03-05,101',
        '2025-03-06,1010', // line 6: a 10x jump
        '2025-03-07,1011',
        '',
      ].join('\n'),
    );
    const db = join(dir, 'offline.db');
    createSmallDatabase(db, LOTS, { 'market_data.mode': 'offline', 'market_data.csv_dir': csvDir }, Date.parse(NOW));
    const offline = () => Promise.reject(new Error('offline: nothing is fetched'));
    const run = await runEngine(db, { startDate: '2025-03-03', endDate: '2025-03-07' }, offline, advancingClock(NOW));
    expect(run.result.kind).toBe('run');
    const metrics = (name: string) => run.events.flatMap((e) => (e.event === 'metric' && e.payload.name === name ? [{ date: e.payload.date, tags: e.payload.tags }] : []));

    // The invalid close: its warning and the date's reason name the row.
    const invalid = metrics('price_validation_flag').filter((m) => m.tags['flag'] === 'invalid');
    expect(invalid.length).toBeGreaterThan(0);
    for (const m of invalid) expect(m).toMatchObject({ date: '2025-03-04', tags: { symbol: 'MSFT', provider: 'csv', why: 'invalid close 0 (MSFT.csv line 4)', file: 'MSFT.csv', line: 4 } });
    const msft = missingPrices(db).filter((r) => r.symbol === 'MSFT');
    expect(msft).toMatchObject([{ price_date: '2025-03-04', reason: 'invalid_price', resolution: 'fallback', detail: 'invalid close 0 (MSFT.csv line 4)' }]);
    expect(querySql(db, `SELECT range_start, error FROM market_data_fetch_log WHERE symbol = 'MSFT' AND outcome = 'invalid'`)).toEqual([
      { range_start: '2025-03-04', error: 'invalid close 0 (MSFT.csv line 4) from csv' },
    ]);

    // The Saturday row is dropped, and reported once with its file and line like a bad row.
    expect(metrics('csv_bad_row').map((m) => m.tags)).toEqual([
      { symbol: 'MSFT', file: 'MSFT.csv', line: 2, column: 'Date', message: '2025-03-01 is not a trading day; the row is dropped' },
    ]);
    expect(querySql(db, `SELECT count(*) AS n FROM market_data_cache WHERE symbol = 'MSFT' AND date = '2025-03-01'`)).toEqual([{ n: 0 }]);
    expect(run.result.kind === 'run' && run.result.summary.market_data['providers']).toMatchObject({ csv: { dropped: 1 } });
    const [read] = querySql<{ error: string }>(db, `SELECT error FROM market_data_fetch_log WHERE symbol = 'MSFT' AND provider = 'csv' AND outcome = 'ok' ORDER BY id LIMIT 1`);
    expect(read?.error).toContain('1 bad CSV row(s) skipped, first: MSFT.csv line 2: 2025-03-01 is not a trading day');

    // The jump is kept and listed as suspect; its warning names the row.
    expect(metrics('price_validation_flag').filter((m) => m.tags['flag'] === 'jump')).toEqual([
      { date: '2025-03-06', tags: expect.objectContaining({ symbol: 'MSFT', provider: 'csv', file: 'MSFT.csv', line: 6, stored_close_kept: false }) },
    ]);
  });

  it('reports and counts rows dated on a holiday or a weekend between two chunks, which no request range covers', async () => {
    // Chunks 2025-03-03..09 and 2025-03-10..16: the first chunk's ranges end on Friday
    // 2025-03-07, the second's start on Monday 2025-03-10; the weekend rows lie between.
    const csvDir = join(dir, 'csv-weekend');
    mkdirSync(csvDir, { recursive: true });
    writeFileSync(
      join(csvDir, 'MSFT.csv'),
      [
        'Date,Close', // line 1
        '2025-03-03,100',
        '2025-03-04,101',
        '2025-03-05,102',
        '2025-03-06,103',
        '2025-03-07,104',
        '2025-03-08,105', // line 7: a Saturday
        '2025-03-09,106', // line 8: a Sunday
        '2025-03-10,107',
        '2025-03-11,108',
        '',
      ].join('\n'),
    );
    const db = join(dir, 'weekend.db');
    createSmallDatabase(db, LOTS, { 'market_data.mode': 'offline', 'market_data.csv_dir': csvDir }, Date.parse(NOW));
    const offline = () => Promise.reject(new Error('offline: nothing is fetched'));
    const run = await runEngine(db, { startDate: '2025-03-03', endDate: '2025-03-11', chunkDays: 7 }, offline, advancingClock(NOW));
    expect(run.result.kind).toBe('run');
    if (run.result.kind !== 'run') return;
    expect(run.result.summary.chunks.length).toBe(2);
    // No request covers the weekend.
    const ranges = querySql<{ range_start: string; range_end: string }>(db, `SELECT range_start, range_end FROM market_data_fetch_log WHERE symbol = 'MSFT' ORDER BY id`);
    expect(ranges.filter((r) => r.range_start <= '2025-03-09' && r.range_end >= '2025-03-08')).toEqual([]);

    // Each row is reported once, with its file and line, and counted.
    const bad = run.events.flatMap((e) => (e.event === 'metric' && e.payload.name === 'csv_bad_row' ? [e.payload.tags] : []));
    expect(bad).toEqual([
      { symbol: 'MSFT', file: 'MSFT.csv', line: 7, column: 'Date', message: '2025-03-08 is not a trading day; the row is dropped' },
      { symbol: 'MSFT', file: 'MSFT.csv', line: 8, column: 'Date', message: '2025-03-09 is not a trading day; the row is dropped' },
    ]);
    const providers = run.result.summary.market_data['providers'] as Record<string, Record<string, number>>;
    expect(providers['csv']).toMatchObject({ dropped: 2, rows: 7 });
    expect(querySql(db, `SELECT count(*) AS n FROM market_data_cache WHERE symbol = 'MSFT' AND date IN ('2025-03-08', '2025-03-09')`)).toEqual([{ n: 0 }]);
  });
  it("a CSV folder's 'no data' does not settle the days: a file added later is read by the next run", async () => {
    const csvDir = join(dir, 'csv-later');
    mkdirSync(csvDir, { recursive: true });
    const db = join(dir, 'later.db');
    createSmallDatabase(db, LOTS, { 'market_data.mode': 'offline', 'market_data.csv_dir': csvDir }, Date.parse(NOW));
    const offline = () => Promise.reject(new Error('offline: nothing is fetched'));
    const range = { startDate: '2025-03-03', endDate: '2025-03-07' };
    await runEngine(db, range, offline, advancingClock(NOW));
    expect(querySql(db, `SELECT DISTINCT provider, outcome FROM market_data_fetch_log WHERE symbol = 'MSFT'`)).toEqual([{ provider: 'csv', outcome: 'no_data' }]);
    expect(missingPrices(db).filter((r) => r.symbol === 'MSFT').map((r) => r.price_date)).toEqual(['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06', '2025-03-07']);

    writeFileSync(join(csvDir, 'MSFT.csv'), ['Date,Close', '2025-03-03,100', '2025-03-04,101', '2025-03-05,102', '2025-03-06,103', '2025-03-07,104', ''].join('\n'));
    const again = await runEngine(db, range, offline, advancingClock(NOW));
    expect(again.result.kind).toBe('run');
    expect(querySql(db, `SELECT count(*) AS n FROM market_data_cache WHERE symbol = 'MSFT' AND data_source = 'csv'`)).toEqual([{ n: 5 }]);
    expect(missingPrices(db).filter((r) => r.symbol === 'MSFT')).toEqual([]);
  });
});
