import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../core/domain/iso-date';
import { CsvDirectorySource } from '../../../market-data/csv/csv-directory-source';

const d = (s: string): IsoDate => s as IsoDate;
const signal = new AbortController().signal;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'batchdesk-csv-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

// The common download layout (Yahoo's CSV export), with a "null" row as those files have.
const AAPL_DOWNLOAD = [
  'Date,Open,High,Low,Close,Adj Close,Volume',
  '2024-01-02,187.15,188.44,183.89,185.64,184.73,82488700',
  '2024-01-03,184.22,185.88,183.43,184.25,183.35,58414500',
  '2024-01-04,null,null,null,null,null,null',
  '2024-01-05,181.99,182.76,180.17,181.18,180.29,62303300',
  '2024-01-08,182.09,185.60,181.50,185.56,184.65,59144500',
].join('\r\n');

describe('CsvDirectorySource (SPEC e.8)', () => {
  it('reads <SYMBOL>.csv in the download layout: Close, never Adj Close; a bad row is skipped and reported', async () => {
    writeFileSync(join(dir, 'AAPL.csv'), `\ufeff${AAPL_DOWNLOAD}\r\n`);
    const source = new CsvDirectorySource(dir);
    const r = await source.fetchPrices({ symbol: 'AAPL', start: d('2024-01-02'), end: d('2024-01-05') }, signal);
    expect(source.name).toBe('csv');
    expect(r).toMatchObject({ symbol: 'AAPL', outcome: 'ok', error: null, firstTradeDate: null, rateLimited: false, circuitOpen: false, retries: 0, httpRequests: 0, files: ['AAPL.csv'] });
    // Each quote says where it was read (line 1 is the header).
    expect(r.quotes).toEqual([
      { date: '2024-01-02', close: 185.64, open: 187.15, high: 188.44, low: 183.89, volume: 82488700, origin: { file: 'AAPL.csv', line: 2 } },
      { date: '2024-01-03', close: 184.25, open: 184.22, high: 185.88, low: 183.43, volume: 58414500, origin: { file: 'AAPL.csv', line: 3 } },
      { date: '2024-01-05', close: 181.18, open: 181.99, high: 182.76, low: 180.17, volume: 62303300, origin: { file: 'AAPL.csv', line: 5 } },
    ]);
    // With the row's date, so the engine notes it only on requests whose range holds it.
    expect(r.problems).toEqual([{ file: 'AAPL.csv', line: 4, column: 'Close', columnNumber: 5, kind: 'missing_value', message: 'the close is empty', date: '2024-01-04' }]);
  });

  it('reads a minimal date,close file in any header case, and matches file names canonically (BRK.B.csv serves BRK-B)', async () => {
    writeFileSync(join(dir, 'BRK.B.csv'), 'DATE,CLOSE\n2024-01-02,362.5\n2024-01-03,abc\n2024-01-02,999\n');
    const r = await new CsvDirectorySource(dir).fetchPrices({ symbol: 'BRK-B', start: d('2024-01-01'), end: d('2024-01-31') }, signal);
    expect(r.quotes).toEqual([{ date: '2024-01-02', close: 362.5, volume: null, open: null, high: null, low: null, origin: { file: 'BRK.B.csv', line: 2 } }]);
    expect(r.problems.map((p) => [p.file, p.line, p.kind, p.column])).toEqual([
      ['BRK.B.csv', 3, 'bad_number', 'CLOSE'],
      ['BRK.B.csv', 4, 'duplicate', 'DATE'],
    ]);
  });

  it('reads the combined prices.csv; per-symbol files win for the dates they have', async () => {
    writeFileSync(join(dir, 'prices.csv'), 'symbol,date,close,volume\nMSFT,2024-01-02,370.87,25258600\nmsft,2024-01-03,370.6,\nSPY,2024-01-02,472.65,1\nMSFT,2024-01-04,x,1\nMSFT,2024-01-05,367.75,1\n');
    writeFileSync(join(dir, 'MSFT.csv'), 'date,close\n2024-01-05,367.8\n');
    const r = await new CsvDirectorySource(dir).fetchPrices({ symbol: 'MSFT', start: d('2024-01-01'), end: d('2024-01-31') }, signal);
    expect(r.files).toEqual(['MSFT.csv', 'prices.csv']);
    expect(r.quotes.map((q) => [q.date, q.close, q.volume, `${q.origin.file}:${q.origin.line}`])).toEqual([
      ['2024-01-02', 370.87, 25258600, 'prices.csv:2'],
      ['2024-01-03', 370.6, null, 'prices.csv:3'],
      ['2024-01-05', 367.8, null, 'MSFT.csv:2'],
    ]);
    // SPY's rows are not MSFT's business; MSFT's bad row is.
    expect(r.problems.map((p) => [p.file, p.line, p.kind])).toEqual([['prices.csv', 5, 'bad_number']]);
    // The two files disagree on 2024-01-05: MSFT.csv is used, and the disagreement is returned.
    expect(r.conflicts).toEqual([{ date: '2024-01-05', used: { file: 'MSFT.csv', line: 2, close: 367.8 }, ignored: { file: 'prices.csv', line: 6, close: 367.75 } }]);
    // Only those in the requested range; an agreeing close is no conflict.
    const before = await new CsvDirectorySource(dir).fetchPrices({ symbol: 'MSFT', start: d('2024-01-01'), end: d('2024-01-04') }, signal);
    expect(before.conflicts).toEqual([]);
    writeFileSync(join(dir, 'MSFT.csv'), 'date,close\n2024-01-05,367.75\n');
    expect((await new CsvDirectorySource(dir).fetchPrices({ symbol: 'MSFT', start: d('2024-01-01'), end: d('2024-01-31') }, signal)).conflicts).toEqual([]);
  });

  it('keeps only the requested range', async () => {
    writeFileSync(join(dir, 'AAPL.csv'), AAPL_DOWNLOAD);
    const r = await new CsvDirectorySource(dir).fetchPrices({ symbol: 'AAPL', start: d('2024-01-05'), end: d('2024-01-08') }, signal);
    expect(r.quotes.map((q) => q.date)).toEqual(['2024-01-05', '2024-01-08']);
  });

  it('a row dated on a weekend, a holiday or outside the calendar is a bad row, reported wherever it lies', async () => {
    // 2025-07-04 is Independence Day, 2025-07-06 a Sunday; the request covers neither.
    writeFileSync(join(dir, 'AAPL.csv'), 'Date,Close\n2025-07-03,203\n2025-07-04,204\n2025-07-06,205\n2025-07-07,206\n1999-12-31,1\nbad,1\n');
    const r = await new CsvDirectorySource(dir).fetchPrices({ symbol: 'AAPL', start: d('2025-07-07'), end: d('2025-07-07') }, signal);
    expect(r.quotes.map((q) => q.date)).toEqual(['2025-07-07']);
    expect(r.problems.map((p) => [p.line, p.column, p.columnNumber, p.kind, p.message])).toEqual([
      [3, 'Date', 1, 'not_trading_day', '2025-07-04 is not a trading day; the row is dropped'],
      [4, 'Date', 1, 'not_trading_day', '2025-07-06 is not a trading day; the row is dropped'],
      [6, 'Date', 1, 'not_trading_day', '1999-12-31 is outside the trading calendar (2000-01-01 to 2030-12-31); the row is dropped'],
      [7, 'Date', 1, 'bad_date', 'expected a real calendar date written as YYYY-MM-DD, got "bad"'],
    ]);
    // Inside the range, such a row is no quote either.
    const all = await new CsvDirectorySource(dir).fetchPrices({ symbol: 'AAPL', start: d('2025-07-01'), end: d('2025-07-31') }, signal);
    expect(all.quotes.map((q) => q.date)).toEqual(['2025-07-03', '2025-07-07']);
  });

  it('no file for the symbol, or no rows in the range, is no_data', async () => {
    writeFileSync(join(dir, 'AAPL.csv'), AAPL_DOWNLOAD);
    const source = new CsvDirectorySource(dir);
    expect(await source.fetchPrices({ symbol: 'TSLA', start: d('2024-01-02'), end: d('2024-01-05') }, signal)).toMatchObject({ outcome: 'no_data', httpRequests: 0, quotes: [] });
    expect(await source.fetchPrices({ symbol: 'AAPL', start: d('2023-01-02'), end: d('2023-01-05') }, signal)).toMatchObject({ outcome: 'no_data', httpRequests: 0, error: 'no rows for AAPL in the requested range' });
  });

  it('a file without a usable header is reported, ignored as a whole and gives nothing (a provider error naming the file, not no data)', async () => {
    writeFileSync(join(dir, 'AAPL.csv'), 'Date,Price\n2024-01-02,1\n');
    const r = await new CsvDirectorySource(dir).fetchPrices({ symbol: 'AAPL', start: d('2024-01-02'), end: d('2024-01-05') }, signal);
    expect(r).toMatchObject({ outcome: 'provider_error', problems: [{ file: 'AAPL.csv', line: 1, kind: 'missing_column', column: 'close' }] });
  });

  it('an unreadable directory is provider_error', async () => {
    const r = await new CsvDirectorySource(join(dir, 'missing')).fetchPrices({ symbol: 'AAPL', start: d('2024-01-02'), end: d('2024-01-05') }, signal);
    expect(r.outcome).toBe('provider_error');
    expect(r.error).toMatch(/cannot read the CSV directory/);
  });

  it('re-reads a file that changed', async () => {
    const file = join(dir, 'AAPL.csv');
    writeFileSync(file, 'date,close\n2024-01-02,1\n');
    const source = new CsvDirectorySource(dir);
    const req = { symbol: 'AAPL', start: d('2024-01-02'), end: d('2024-01-02') };
    expect((await source.fetchPrices(req, signal)).quotes[0]!.close).toBe(1);
    writeFileSync(file, 'date,close\n2024-01-02,22\n');
    utimesSync(file, new Date(Date.now() + 5_000), new Date(Date.now() + 5_000));
    expect((await source.fetchPrices(req, signal)).quotes[0]!.close).toBe(22);
  });

  it('a cancelled signal rejects with its reason', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(new CsvDirectorySource(dir).fetchPrices({ symbol: 'AAPL', start: d('2024-01-02'), end: d('2024-01-02') }, controller.signal)).rejects.toThrow('cancelled');
  });
});
