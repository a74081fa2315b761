/**
 * CSV rows that pass parsing but fail the engine's validation (SPEC.md e.4, e.8), through the
 * whole engine in offline mode with a CSV folder: a close of 0, a row dated on a Saturday and a
 * 10x jump in MSFT.csv. Each is reported with its file and line, and the invalid close's
 * missing-price reason names them too, so the user knows which row to fix.
 */
import Database from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../core/domain/iso-date';
import { tempDir } from '../support/cli';
import { progressSink } from '../../cli/telemetry/progress-sink';
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
  it('a per-symbol file and prices.csv that disagree on closes: the per-symbol file wins, and the run says so with the dates and both closes', async () => {
    const csvDir = join(dir, 'csv-conflict');
    mkdirSync(csvDir, { recursive: true });
    writeFileSync(join(csvDir, 'MSFT.csv'), ['Date,Close', '2025-03-03,100', '2025-03-04,101', '2025-03-05,102', '2025-03-06,103', '2025-03-07,104', ''].join('\n'));
    // Lines 2 and 4 agree with MSFT.csv; lines 3 and 5 do not; line 6 fills a date MSFT.csv lacks.
    writeFileSync(join(csvDir, 'prices.csv'), ['symbol,date,close', 'MSFT,2025-03-03,100', 'MSFT,2025-03-04,99', 'MSFT,2025-03-05,102', 'MSFT,2025-03-06,98.5', 'MSFT,2025-02-28,97', ''].join('\n'));
    const db = join(dir, 'conflict.db');
    createSmallDatabase(db, LOTS, { 'market_data.mode': 'offline', 'market_data.csv_dir': csvDir }, Date.parse(NOW));
    const offline = () => Promise.reject(new Error('offline: nothing is fetched'));
    const run = await runEngine(db, { startDate: '2025-03-03', endDate: '2025-03-07' }, offline, advancingClock(NOW));
    expect(run.result.kind).toBe('run');
    const message = 'MSFT: MSFT.csv and prices.csv disagree on 2 close(s); MSFT.csv is used: 2025-03-04 (MSFT.csv line 3: 101, prices.csv line 3: 99), 2025-03-06 (MSFT.csv line 5: 103, prices.csv line 5: 98.5)';
    const warnings = run.events.flatMap((e) => (e.event === 'metric' && e.payload.name === 'csv_conflict' ? [e.payload] : []));
    expect(warnings).toMatchObject([{ value: 2, tags: { message, symbol: 'MSFT', dates: ['2025-03-04', '2025-03-06'] } }]);
    // The stored closes are the per-symbol file's; prices.csv fills the date MSFT.csv lacks.
    expect(querySql(db, `SELECT date, close FROM market_data_cache WHERE symbol = 'MSFT' AND date IN ('2025-02-28', '2025-03-04', '2025-03-06') ORDER BY date`)).toEqual([
      { date: '2025-02-28', close: 97 },
      { date: '2025-03-04', close: 101 },
      { date: '2025-03-06', close: 103 },
    ]);
    // The fetch log notes it on the range that holds those dates.
    const notes = querySql<{ range_start: string; range_end: string; error: string | null }>(db, `SELECT range_start, range_end, error FROM market_data_fetch_log WHERE symbol = 'MSFT' AND provider = 'csv' ORDER BY id`);
    expect(notes.filter((n) => n.error?.includes(message))).toHaveLength(1);
    expect(notes.find((n) => n.error?.includes(message))).toMatchObject({ range_end: '2025-03-07' });
    // The CLI's progress says it as a warning (cli/telemetry/progress-sink.ts).
    const lines: string[] = [];
    const sink = progressSink((l) => lines.push(l), { tty: false, level: 'info', now: () => 0, color: false });
    for (const e of run.events) sink.handle(e);
    expect(lines).toContain(`warning: ${message}`);
  });

  it("a bad row's note is on the fetch-log rows of the ranges that hold its date, not on the others", async () => {
    // Chunks 2025-03-03..07 and 2025-03-10..14: the first chunk's range ends on 03-07, the
    // second's holds 03-12, the bad row's date.
    const csvDir = join(dir, 'csv-note');
    mkdirSync(csvDir, { recursive: true });
    writeFileSync(
      join(csvDir, 'MSFT.csv'),
      ['Date,Close', '2025-03-03,100', '2025-03-04,101', '2025-03-05,102', '2025-03-06,103', '2025-03-07,104', '2025-03-10,105', '2025-03-11,106', '2025-03-12,abc', '2025-03-13,108', '2025-03-14,109', ''].join('\n'),
    );
    const db = join(dir, 'note.db');
    createSmallDatabase(db, LOTS, { 'market_data.mode': 'offline', 'market_data.csv_dir': csvDir }, Date.parse(NOW));
    const offline = () => Promise.reject(new Error('offline: nothing is fetched'));
    const run = await runEngine(db, { startDate: '2025-03-03', endDate: '2025-03-14', chunkDays: 7 }, offline, advancingClock(NOW));
    expect(run.result.kind).toBe('run');
    const rows = querySql<{ range_start: string; range_end: string; error: string | null }>(db, `SELECT range_start, range_end, error FROM market_data_fetch_log WHERE symbol = 'MSFT' AND provider = 'csv' AND outcome = 'ok' ORDER BY id`);
    const note = '1 bad CSV row(s) skipped, first: MSFT.csv line 9: expected a number, got "abc"';
    const holds = (r: { range_start: string; range_end: string }) => r.range_start <= '2025-03-12' && r.range_end >= '2025-03-12';
    expect(rows.filter(holds).length).toBeGreaterThan(0);
    expect(rows.filter((r) => !holds(r)).length).toBeGreaterThan(0);
    for (const r of rows) expect(r.error?.includes(note) ?? false, `${r.range_start}..${r.range_end}: ${r.error}`).toBe(holds(r));
    // Reported once as a warning, whichever request read it first.
    expect(run.events.filter((e) => e.event === 'metric' && e.payload.name === 'csv_bad_row')).toHaveLength(1);
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

  it('a close that is not a number, in a CSV row or in the cache, is an invalid price (e.6), not a gap', async () => {
    const offline = () => Promise.reject(new Error('offline: nothing is fetched'));
    const csvDir = join(dir, 'csv-not-a-number');
    mkdirSync(csvDir, { recursive: true });
    writeFileSync(join(csvDir, 'MSFT.csv'), ['Date,Close', '2025-03-03,100', '2025-03-04,NaN', '2025-03-05,101', ''].join('\n'));
    const fromCsv = join(dir, 'not-a-number-csv.db');
    createSmallDatabase(fromCsv, LOTS, { 'market_data.mode': 'offline', 'market_data.csv_dir': csvDir }, Date.parse(NOW));
    expect((await runEngine(fromCsv, { startDate: '2025-03-03', endDate: '2025-03-05' }, offline, advancingClock(NOW))).result.kind).toBe('run');
    expect(missingPrices(fromCsv).filter((r) => r.symbol === 'MSFT')).toMatchObject([
      { price_date: '2025-03-04', reason: 'invalid_price', resolution: 'fallback', detail: 'invalid close: expected a number, got "NaN" (MSFT.csv line 3)' },
    ]);

    // Hand-edited cache rows (the table's CHECK close > 0 lets both in): an infinite close and a text one.
    const fromCache = join(dir, 'not-a-number-cache.db');
    createSmallDatabase(fromCache, LOTS, { 'market_data.mode': 'offline' }, Date.parse(NOW));
    const edit = new Database(fromCache);
    edit.exec(`INSERT INTO market_data_cache (id, symbol, date, close, data_source) VALUES ('x1', 'MSFT', '2025-03-03', 100, 'csv'), ('x2', 'MSFT', '2025-03-04', 9e999, 'csv'), ('x3', 'MSFT', '2025-03-05', 'abc', 'csv')`);
    edit.close();
    expect((await runEngine(fromCache, { startDate: '2025-03-03', endDate: '2025-03-05' }, offline, advancingClock(NOW))).result.kind).toBe('run');
    expect(missingPrices(fromCache).filter((r) => r.symbol === 'MSFT')).toMatchObject([
      { price_date: '2025-03-04', reason: 'invalid_price', resolution: 'fallback', detail: 'the cached close is not a number > 0' },
      { price_date: '2025-03-05', reason: 'invalid_price', resolution: 'fallback', detail: 'the cached close is not a number > 0' },
    ]);
  });
});
