/**
 * `prices import|export` and `profiles import|export` (issue 5 acceptance; SPEC.md k.2, k.3,
 * e.4, m.13, m.14, m.22): round trips give the same rows, a bad file names its line and
 * column, exits 5 and imports nothing, --skip-bad-rows reports every skipped row, an unchanged
 * value keeps its data_source, a jump never replaces a stored close, and a profiles file with
 * only some columns updates those and keeps the others.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { closeSync, lstatSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, REPO_ROOT, runCli, tempDir } from '../support/cli';
import { tableContents } from '../support/db-content';
import { openStore } from '../../host/engine-host';

const NOW = '2025-07-11T23:00:00Z';

const CANONICAL = [
  'symbol,date,close,volume',
  'AAPL,2025-01-02,243.85,55740700',
  'AAPL,2025-01-03,243.36,40244100',
  'BRK-B,2025-01-02,453.2,',
  'SPY,2025-01-02,584.64,50204000',
  'SPY,2025-01-03,591.95,37888500',
  '',
].join('\n');

/** A new, empty batchdesk database: the imports refuse a missing one, as every other command does. */
function newDb(path: string): string {
  openStore(path).close();
  return path;
}

function rows(path: string, sql: string): unknown[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

describe('prices import / export', () => {
  const dir = tempDir('batchdesk-prices-csv-');
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('round trip: an import (BOM, CRLF, BRK.B) then an export gives the canonical file back', async () => {
    const db = newDb(join(dir, 'rt.db'));
    const input = `\ufeff${CANONICAL.replace('BRK-B', 'BRK.B').replace(/\n/g, '\r\n')}`;
    const imp = await runCli(['prices', 'import', file('rt.csv', input), '--db', db], { BATCHDESK_NOW: NOW });
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.stdout).toContain('Rows: 5 (3 symbols)   Added: 5   Replaced: 0   Unchanged: 0   Kept stored: 0');
    const out = join(dir, 'rt-out.csv');
    const exp = await runCli(['prices', 'export', '--out', out, '--db', db]);
    expect(exp.code, exp.stderr).toBe(0);
    expect(exp.stdout).toBe(`Exported 5 row(s) of 3 symbol(s) to ${out}`);
    expect(readFileSync(out, 'utf8')).toBe(CANONICAL);
    expect(rows(db, `SELECT DISTINCT data_source FROM market_data_cache`)).toEqual([{ data_source: 'csv' }]);

    // Importing the export again changes nothing at all.
    const before = tableContents(db);
    const again = await runCli(['prices', 'import', out, '--db', db], { BATCHDESK_NOW: '2025-08-01T00:00:00Z' });
    expect(again.stdout).toContain('Added: 0   Replaced: 0   Unchanged: 5');
    expect(tableContents(db)).toEqual(before);
  });

  it('an empty volume is "not given": it keeps a stored volume, and a file of closes only wipes no volume', async () => {
    const db = newDb(join(dir, 'volume.db'));
    expect((await runCli(['prices', 'import', file('v1.csv', CANONICAL), '--db', db])).code).toBe(0);
    const closesOnly = await runCli(['prices', 'import', file('v2.csv', 'symbol,date,close\nAAPL,2025-01-02,243.85\n'), '--db', db]);
    expect(closesOnly.stdout).toContain('Added: 0   Replaced: 0   Unchanged: 1');
    const emptyCell = await runCli(['prices', 'import', file('v3.csv', 'symbol,date,close,volume\nSPY,2025-01-03,591.95,\n'), '--db', db]);
    expect(emptyCell.stdout).toContain('Added: 0   Replaced: 0   Unchanged: 1');
    // A given volume replaces the stored one; a negative one is a bad row: refused, nothing changed.
    const given = await runCli(['prices', 'import', file('v4.csv', 'symbol,date,close,volume\nSPY,2025-01-02,584.64,1\n'), '--db', db]);
    expect(given.stdout).toContain('Added: 0   Replaced: 1   Unchanged: 0');
    const negative = await runCli(['prices', 'import', file('v5.csv', 'symbol,date,close,volume\nSPY,2025-01-02,584.64,-5\n'), '--db', db]);
    expect(negative.code).toBe(5);
    expect(negative.stderr).toContain('v5.csv line 2, column 4 (volume): expected a whole number >= 0 or nothing, got "-5"; nothing was imported');
    expect(rows(db, `SELECT symbol, date, volume FROM market_data_cache WHERE symbol IN ('AAPL', 'SPY') ORDER BY symbol, date`)).toEqual([
      { symbol: 'AAPL', date: '2025-01-02', volume: 55740700 },
      { symbol: 'AAPL', date: '2025-01-03', volume: 40244100 },
      { symbol: 'SPY', date: '2025-01-02', volume: 1 },
      { symbol: 'SPY', date: '2025-01-03', volume: 37888500 },
    ]);
  });

  it('export filters by symbols and dates, into a folder it makes', async () => {
    const db = newDb(join(dir, 'filter.db'));
    expect((await runCli(['prices', 'import', file('f.csv', CANONICAL), '--db', db])).code).toBe(0);
    // The output's folder is made when missing, as for backups and event logs.
    const out = join(dir, 'exports', 'filtered', 'filter-out.csv');
    const r = await runCli(['prices', 'export', '--out', out, '--symbols', 'spy,BRK.B', '--start-date', '2025-01-02', '--end-date', '2025-01-02', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('symbol,date,close,volume\nBRK-B,2025-01-02,453.2,\nSPY,2025-01-02,584.64,50204000\n');
    expect(r.stderr).toBe('');
  });

  it('export warns about a requested symbol that exported nothing: a likely typo, or dates outside the cache', async () => {
    const db = newDb(join(dir, 'warn.db'));
    expect((await runCli(['prices', 'import', file('w.csv', CANONICAL), '--db', db])).code).toBe(0);
    const out = join(dir, 'warn-out.csv');
    const typo = await runCli(['prices', 'export', '--out', out, '--symbols', 'APPL,SPY,ZZZQ', '--db', db]);
    expect(typo.code, typo.stderr).toBe(0);
    expect(typo.stdout).toBe(`Exported 2 row(s) of 1 symbol(s) to ${out}`);
    expect(typo.stderr.trim().split('\n')).toEqual(['warning: no cached close for APPL at all; did you mean AAPL?', 'warning: no cached close for ZZZQ at all']);
    const range = await runCli(['prices', 'export', '--out', out, '--symbols', 'AAPL', '--start-date', '2025-02-01', '--db', db]);
    expect(range.stderr.trim()).toBe('warning: no cached close for AAPL in the requested dates');
  });

  it('an export to standard output itself (--out /dev/stdout) keeps the CSV clean: its Exported line goes to standard error', async () => {
    const db = newDb(join(dir, 'stdout.db'));
    expect((await runCli(['prices', 'import', file('so.csv', CANONICAL), '--db', db])).code).toBe(0);
    // A real process whose standard output is a file, as with `> prices.csv`.
    const redirected = join(dir, 'stdout-redirected.csv');
    const fd = openSync(redirected, 'w');
    try {
      // What the shell wrote before and after the command stays in order around the CSV (the
      // export wrote at the start of the file, and the shell's next line over the CSV's header).
      writeSync(fd, 'before\n');
      const r = spawnSync(process.execPath, [BIN, 'prices', 'export', '--out', '/dev/stdout', '--db', db], { cwd: REPO_ROOT, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toBe('Exported 5 row(s) of 3 symbol(s) to /dev/stdout\n');
      writeSync(fd, 'after\n');
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(redirected, 'utf8')).toBe(`before\n${CANONICAL}after\n`);
    // Written into, not renamed over: /dev/stdout is still the link to the process's standard output.
    expect(lstatSync('/dev/stdout').isSymbolicLink()).toBe(true);
  });

  it('round trip of the seeded demo cache through a new database', async () => {
    const demo = join(dir, 'demo.db');
    expect((await runCli(['seed-demo', '--db', demo], { BATCHDESK_NOW: NOW })).code).toBe(0);
    const first = join(dir, 'demo-prices.csv');
    expect((await runCli(['prices', 'export', '--out', first, '--db', demo])).code).toBe(0);
    const copy = newDb(join(dir, 'demo-copy.db'));
    const imp = await runCli(['prices', 'import', first, '--db', copy]);
    expect(imp.code, imp.stderr).toBe(0);
    const second = join(dir, 'demo-prices-2.csv');
    expect((await runCli(['prices', 'export', '--out', second, '--db', copy])).code).toBe(0);
    const text = readFileSync(first, 'utf8');
    expect(text.split('\n').length).toBeGreaterThan(10_000);
    expect(readFileSync(second, 'utf8')).toBe(text);
  });

  describe('a bad file: line and column, exit 5, nothing imported', () => {
    const db = newDb(join(dir, 'bad.db'));
    let before: Record<string, string>;
    beforeAll(async () => {
      expect((await runCli(['prices', 'import', file('good.csv', CANONICAL), '--db', db])).code).toBe(0);
      before = tableContents(db);
    });

    it.each([
      ['missing column', 'symbol,date,volume\nAAPL,2025-01-06,1\n', 'line 1: the header has no "close" column (found: symbol, date, volume)'],
      ['missing cell', 'symbol,date,close,volume\nAAPL,2025-01-06,245.0,1\nAAPL,2025-01-07\n', 'line 3, column 3 (close): the row has 2 of the header\'s 4 columns; "close" is missing'],
      ['bad date', 'symbol,date,close,volume\nAAPL,2025-01-06,245.0,1\nAAPL,2025-02-30,246.0,1\n', 'line 3, column 2 (date): expected a real calendar date written as YYYY-MM-DD, got "2025-02-30"'],
      ['not a trading day', 'symbol,date,close\nAAPL,2025-01-04,245.0\n', 'line 2, column 2 (date): 2025-01-04 is not a NYSE trading day'],
      ['non-numeric close', 'symbol,date,close,volume\nAAPL,2025-01-06,245.0,1\nAAPL,2025-01-07,abc,1\n', 'line 3, column 3 (close): expected a number, got "abc"'],
      ['non-positive close', 'symbol,date,close\nAAPL,2025-01-06,-1\n', 'line 2, column 3 (close): the close must be > 0, got "-1"'],
      ['fractional volume', 'symbol,date,close,volume\nAAPL,2025-01-06,245.0,1.5\n', 'line 2, column 4 (volume): expected a whole number >= 0 or nothing, got "1.5"'],
      ['malformed symbol', 'symbol,date,close,volume\nAAPL,2025-01-06,245.0,1\nBADSYM!!,2025-01-06,1.0,1\n', `line 3, column 1 (symbol): expected a symbol of letters, digits, '-', '_' or '=' (at most 32, an optional leading '^'), got "BADSYM!!"`],
      // NOW is Friday 2025-07-11 after the close; the Monday after is a trading day not yet come.
      ['close dated after today', 'symbol,date,close,volume\nAAPL,2025-07-11,245.0,1\nAAPL,2025-07-14,246.0,1\n', 'line 3, column 2 (date): 2025-07-14 is after today (2025-07-11 in New York)'],
      ['duplicate rows', 'symbol,date,close\nAAPL,2025-01-06,245\nMSFT,2025-01-06,420\naapl,2025-01-06,245\n', 'line 4, column 2 (date): AAPL on 2025-01-06 again (first on line 2)'],
      // One row's stray quote spoils that row only: --skip-bad-rows steps over it.
      ['stray quote in a row', 'symbol,date,close,volume\nAAPL,2025-01-06,245.0,1\nAAPL,2025-01-07,24"6,1\nAAPL,2025-01-08,247.0,1\n', 'line 3: not valid CSV: Invalid Opening Quote: a quote is found in column 3, value is "24"'],
      // A quote never closed takes in the rest of the file: skipping it would drop every row after it.
      ['unclosed quote', 'symbol,date,close,volume\nAAPL,2025-01-06,245.0,1\nAAPL,"2025-01-07,246.0,1\nAAPL,2025-01-08,247.0,1\n', 'line 3: not valid CSV: a quote opened on this line is never closed'],
      // Text after a closing quote leaves the parser in the quoted value: the same.
      [
        'text after a closing quote',
        'symbol,date,close,volume\nAAPL,2025-01-06,245.0,1\nAAPL,2025-01-07,"246.0"x,1\nAAPL,2025-01-08,247.0,1\n',
        'line 3: not valid CSV: a quoted value opened on this line has text after its closing quote (a quote inside a quoted value is written twice: "")',
      ],
    ])('%s', async (_kind, text, message) => {
      const name = `bad-${_kind.replace(/ /g, '-')}.csv`;
      const r = await runCli(['prices', 'import', file(name, text), '--db', db], { BATCHDESK_NOW: NOW });
      expect(r.code).toBe(5);
      // A header problem, and a quote problem that hides the lines after it, cannot be skipped row by row.
      const fix =
        _kind === 'missing column'
          ? 'fix the header or the file'
          : _kind === 'unclosed quote'
            ? 'close the quote opened on that line: the rest of the file was read as part of that row, so skipping bad rows cannot help'
            : _kind === 'text after a closing quote'
              ? 'a quote problem on line 3 makes the lines after it unreadable, so skipping bad rows cannot help: fix the quote'
              : 'fix the row, or run it again with --skip-bad-rows to import the others';
      expect(r.stderr).toBe(`error: ${name} ${message}; nothing was imported (${fix})`);
      expect(tableContents(db)).toEqual(before);
    });

    it('an unreadable path is exit 5 too', async () => {
      const r = await runCli(['prices', 'import', join(dir, 'nope.csv'), '--db', db]);
      expect(r.code).toBe(5);
      expect(r.stderr).toContain('no such file; nothing was imported');
      expect(tableContents(db)).toEqual(before);
    });
  });

  it('--skip-bad-rows imports the good rows and reports every skipped one', async () => {
    const db = newDb(join(dir, 'skip.db'));
    const text = 'symbol,date,close\nAAPL,2025-01-06,245\nAAPL,2025-01-07,abc\nAAPL,2025-01-08,246\nAAPL,2025-01-06,245\n';
    const r = await runCli(['prices', 'import', file('skip.csv', text), '--skip-bad-rows', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Rows: 2 (1 symbol)   Added: 2');
    expect(r.stdout).toContain(
      ['Skipped 2 bad row(s):', '  skip.csv line 3, column 3 (close): expected a number, got "abc"', '  skip.csv line 5, column 2 (date): AAPL on 2025-01-06 again (first on line 2)'].join('\n'),
    );
  });

  it('warns about imported symbols no portfolio or factor needs, and imports them', async () => {
    const db = newDb(join(dir, 'unneeded.db'));
    expect((await runCli(['seed-demo', '--db', db], { BATCHDESK_NOW: NOW })).code).toBe(0);
    const text = 'symbol,date,close,volume\nZZZZQ,2025-07-07,12.5,100\nAAPL,2025-07-07,210,100\nSPY,2025-07-07,600,100\nhome_equity,2025-07-07,1,\n';
    const r = await runCli(['prices', 'import', file('unneeded.csv', text), '--db', db], { BATCHDESK_NOW: NOW });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('warning: 2 imported symbol(s) no portfolio or factor needs (HOME_EQUITY, ZZZZQ): imported anyway; check for a typo');
    expect(rows(db, `SELECT close FROM market_data_cache WHERE symbol = 'ZZZZQ'`)).toEqual([{ close: 12.5 }]);
    const json = JSON.parse((await runCli(['prices', 'import', file('unneeded.csv', text), '--db', db, '--json'], { BATCHDESK_NOW: NOW })).stdout);
    expect(json.unneededSymbols).toEqual(['HOME_EQUITY', 'ZZZZQ']);
  });

  it('names the first 10 unneeded symbols and how many more; --json lists them all', async () => {
    const db = newDb(join(dir, 'unneeded-many.db'));
    const symbols = Array.from({ length: 25 }, (_, i) => `ZQ${String(i).padStart(2, '0')}`);
    const text = `symbol,date,close\n${symbols.map((s) => `${s},2025-07-07,10`).join('\n')}\n`;
    const r = await runCli(['prices', 'import', file('unneeded-many.csv', text), '--db', db], { BATCHDESK_NOW: NOW });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`warning: 25 imported symbol(s) no portfolio or factor needs (${symbols.slice(0, 10).join(', ')}, ... 15 more): imported anyway; check for a typo (--json lists them all)`);
    const json = JSON.parse((await runCli(['prices', 'import', file('unneeded-many.csv', text), '--db', db, '--json'], { BATCHDESK_NOW: NOW })).stdout);
    expect(json.unneededSymbols).toEqual(symbols);
  });

  it('an unchanged close keeps its data_source; a correction becomes csv; a jump never replaces a stored close', async () => {
    const db = join(dir, 'merge.db');
    expect((await runCli(['seed-demo', '--db', db], { BATCHDESK_NOW: NOW })).code).toBe(0);
    const stored = rows(db, `SELECT date, close, volume FROM market_data_cache WHERE symbol = 'SPY' AND date IN ('2025-07-07', '2025-07-08', '2025-07-09') ORDER BY date`) as {
      date: string;
      close: number;
      volume: number;
    }[];
    const [same, corrected, jumped] = stored;
    const text = [
      'symbol,date,close,volume',
      `SPY,${same!.date},${same!.close},${same!.volume}`,
      `SPY,${corrected!.date},${corrected!.close + 0.01},${corrected!.volume}`,
      `SPY,${jumped!.date},${jumped!.close * 10},${jumped!.volume}`,
      '',
    ].join('\n');
    const r = await runCli(['prices', 'import', file('merge.csv', text), '--db', db], { BATCHDESK_NOW: NOW });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Added: 0   Replaced: 1   Unchanged: 1   Kept stored: 1');
    expect(r.stdout).toContain(`warning: SPY ${jumped!.date} close ${jumped!.close * 10} differs from the stored ${jumped!.close} beyond the jump threshold; the stored close stays`);
    expect(rows(db, `SELECT date, close, data_source, validation_flag FROM market_data_cache WHERE symbol = 'SPY' AND date IN ('2025-07-07', '2025-07-08', '2025-07-09') ORDER BY date`)).toEqual([
      { date: same!.date, close: same!.close, data_source: 'synthetic', validation_flag: null },
      { date: corrected!.date, close: corrected!.close + 0.01, data_source: 'csv', validation_flag: null },
      { date: jumped!.date, close: jumped!.close, data_source: 'synthetic', validation_flag: null },
    ]);
  });

  it('export needs --out (usage, exit 2)', async () => {
    const r = await runCli(['prices', 'export', '--db', join(dir, 'rt.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: `batchdesk prices export` needs --out FILE (see `batchdesk prices export --help`)');
  });
});

describe('profiles import / export', () => {
  const dir = tempDir('batchdesk-profiles-csv-');
  const HEADER =
    'symbol,company_name,sector,industry,exchange,country,market_cap,description,is_etf,is_fund,beta,pe_ratio,forward_pe,dividend_yield,week_52_high,week_52_low,employees,website,data_source,last_updated';
  const CANONICAL_PROFILES = [
    HEADER,
    'AAPL,Apple Inc.,Technology,Consumer Electronics,NMS,United States,3500000000000,"Designs phones, computers and wearables.",0,0,1.24,37.5,30.1,0.0044,260.1,164.08,164000,https://www.apple.com,yahoo,2025-07-01T00:00:00.000000Z',
    'SPY,SPDR S&P 500 ETF Trust,,,PCX,,,,1,0,1,,,0.012,613.23,481.8,,,csv,2025-07-02T10:00:00.000000Z',
    '',
  ].join('\n');

  it('round trip: import then export gives the same file; a second import changes nothing', async () => {
    const db = newDb(join(dir, 'p.db'));
    const input = join(dir, 'profiles.csv');
    writeFileSync(input, CANONICAL_PROFILES.replace(/\n/g, '\r\n'));
    const r = await runCli(['profiles', 'import', input, '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Profiles: 2   Added: 2   Updated: 0   Unchanged: 0');
    const out = join(dir, 'profiles-out.csv');
    expect((await runCli(['profiles', 'export', '--out', out, '--db', db])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(CANONICAL_PROFILES);
    const before = tableContents(db);
    const again = await runCli(['profiles', 'import', out, '--db', db]);
    expect(again.stdout).toContain('Added: 0   Updated: 0   Unchanged: 2');
    expect(tableContents(db)).toEqual(before);
  });

  it('a file with only some columns sets those on a stored profile and keeps the others; a new symbol gets them and empties', async () => {
    const db = newDb(join(dir, 'partial.db'));
    const full = join(dir, 'partial-full.csv');
    writeFileSync(full, CANONICAL_PROFILES);
    expect((await runCli(['profiles', 'import', full, '--db', db])).code).toBe(0);
    const profile = (symbol: string) => rows(db, `SELECT * FROM company_profiles WHERE symbol = '${symbol}'`)[0] as Record<string, unknown>;
    const aapl = profile('AAPL');

    const partial = join(dir, 'partial.csv');
    writeFileSync(partial, 'symbol,sector,beta\nAAPL,Tech,\nMSFT,Technology,0.9\n');
    const r = await runCli(['profiles', 'import', partial, '--db', db], { BATCHDESK_NOW: NOW });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Profiles: 2   Added: 1   Updated: 1   Unchanged: 0');
    // An empty cell clears its column; the columns the file does not carry keep their values.
    expect(profile('AAPL')).toEqual({ ...aapl, sector: 'Tech', beta: null, data_source: 'csv', last_updated: '2025-07-11T23:00:00.000000Z', updated_at: expect.any(String) });
    expect(profile('MSFT')).toMatchObject({ company_name: null, sector: 'Technology', industry: null, market_cap: null, is_etf: 0, is_fund: 0, beta: 0.9, data_source: 'csv' });

    // The same file again changes nothing: the stored values of the absent columns are not differences.
    const before = tableContents(db);
    const again = await runCli(['profiles', 'import', partial, '--db', db]);
    expect(again.stdout).toContain('Profiles: 2   Added: 0   Updated: 0   Unchanged: 2');
    expect(tableContents(db)).toEqual(before);
  });

  it('last_updated may be any ISO 8601 timestamp with a zone, or a date; it is stored in the a.3 form', async () => {
    const db = newDb(join(dir, 'timestamps.db'));
    const input = join(dir, 'timestamps.csv');
    writeFileSync(input, 'symbol,last_updated\nAAA,2025-07-01T10:00:00Z\nBBB,2025-07-01T06:00:00.5-04:00\nCCC,2025-07-01\nDDD,2025-07-01T10:00:00.123456Z\n');
    const r = await runCli(['profiles', 'import', input, '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect(rows(db, `SELECT symbol, last_updated FROM company_profiles WHERE symbol IN ('AAA', 'BBB', 'CCC', 'DDD') ORDER BY symbol`)).toEqual([
      { symbol: 'AAA', last_updated: '2025-07-01T10:00:00.000000Z' },
      { symbol: 'BBB', last_updated: '2025-07-01T10:00:00.500000Z' },
      { symbol: 'CCC', last_updated: '2025-07-01T00:00:00.000000Z' },
      { symbol: 'DDD', last_updated: '2025-07-01T10:00:00.123456Z' },
    ]);
    // The same instants written the stored way are no change.
    writeFileSync(input, 'symbol,last_updated\nAAA,2025-07-01T10:00:00.000000Z\nBBB,2025-07-01T10:00:00.500000Z\n');
    expect((await runCli(['profiles', 'import', input, '--db', db])).stdout).toContain('Profiles: 2   Added: 0   Updated: 0   Unchanged: 2');
  });

  it.each([
    ['non-numeric beta', `${HEADER}\nAAPL,Apple,,,,,,,0,0,high,,,,,,,,,\n`, 'line 2, column 11 (beta): expected a number or nothing, got "high"'],
    ['duplicate symbol', 'symbol,sector\nAAPL,Technology\nMSFT,Technology\nAAPL,Technology\n', 'line 4, column 1 (symbol): AAPL again (first on line 2)'],
    ['negative market cap', 'symbol,sector,market_cap\nMSFT,Technology,3100000000000\nAAPL,Tech,-3500000000000\n', 'line 3, column 3 (market_cap): the market cap must be >= 0, got "-3500000000000"'],
    [
      'malformed symbol',
      'symbol,sector\nMSFT,Technology\nAAPL INC,Technology\n',
      `line 3, column 1 (symbol): expected a symbol of letters, digits, '-', '_' or '=' (at most 32, an optional leading '^'), got "AAPL INC"`,
    ],
    ['missing symbol column', 'ticker,sector\nAAPL,Technology\n', 'line 1: the header has no "symbol" column (found: ticker, sector)'],
    [
      'unknown column',
      'symbol,bogus_col\nAAPL,x\n',
      `line 1, column 2 (bogus_col): unknown column "bogus_col" (accepted: ${HEADER.replace(/,/g, ', ')})`,
    ],
  ])('a bad file (%s): line and column, exit 5, nothing imported', async (kind, text, message) => {
    const db = newDb(join(dir, 'bad.db'));
    expect((await runCli(['profiles', 'import', join(dir, 'profiles.csv'), '--db', db])).code).toBe(0);
    const before = tableContents(db);
    const name = `bad-${kind.replace(/ /g, '-')}.csv`;
    writeFileSync(join(dir, name), text);
    const r = await runCli(['profiles', 'import', join(dir, name), '--db', db]);
    expect(r.code).toBe(5);
    const fix = /column/.test(kind) ? 'fix the header or the file' : 'fix the row, or run it again with --skip-bad-rows to import the others';
    expect(r.stderr).toBe(`error: ${name} ${message}; nothing was imported (${fix})`);
    expect(tableContents(db)).toEqual(before);
  });
});

describe('the CSV transfers on a database that does not exist (a mistyped --db)', () => {
  it('are refused as every command refuses it: exit 5, the seed-demo hint, and no database made', async () => {
    const dir = tempDir('batchdesk-missing-db-');
    writeFileSync(join(dir, 'good.csv'), CANONICAL);
    writeFileSync(join(dir, 'profiles.csv'), 'symbol,sector\nAAPL,Technology\n');
    const missing = join(dir, 'mistyped.sqlite');
    for (const args of [
      ['prices', 'import', join(dir, 'good.csv')],
      ['profiles', 'import', join(dir, 'profiles.csv')],
      ['prices', 'import', join(dir, 'good.csv'), '--json'],
      ['prices', 'export', '--out', join(dir, 'out.csv')],
      ['profiles', 'export', '--out', join(dir, 'out.csv')],
    ]) {
      const r = await runCli([...args, '--db', missing], { BATCHDESK_NOW: NOW });
      expect(r.code, args.join(' ')).toBe(5);
      const message = `database ${missing} does not exist. Create it with \`batchdesk seed-demo --db ${missing}\` or import a dump.`;
      // With --json the refusal is also one JSON document on stdout: the contract's failure answer and the exit code.
      expect(r.stdout === '' ? null : JSON.parse(r.stdout)).toEqual(args.includes('--json') ? { ok: false, error: { code: 'data', message, details: { reason: 'not_found' } }, exit_code: 5 } : null);
      expect(r.stderr).toBe(`error: ${message}`);
    }
    expect(readdirSync(dir).sort()).toEqual(['good.csv', 'profiles.csv']);
  });
});

describe('prices import --json refused', () => {
  it('prints one JSON document with the error on stdout, besides the error line on stderr', async () => {
    const dir = tempDir('batchdesk-import-json-');
    const db = join(dir, 'p.sqlite');
    expect((await runCli(['seed-demo', '--db', db, '--prices', 'none'], { BATCHDESK_NOW: NOW })).code).toBe(0);
    writeFileSync(join(dir, 'bad.csv'), 'symbol,date,close\nAAPL,2025-07-01,abc\n');
    const bad = await runCli(['prices', 'import', join(dir, 'bad.csv'), '--json', '--db', db], { BATCHDESK_NOW: NOW });
    expect(bad.code).toBe(5);
    const message = 'bad.csv line 2, column 3 (close): expected a number, got "abc"; nothing was imported (fix the row, or run it again with --skip-bad-rows to import the others)';
    expect(bad.stderr).toBe(`error: ${message}`);
    expect(JSON.parse(bad.stdout)).toEqual({
      ok: false,
      error: { code: 'data', message, details: { problem: { file: 'bad.csv', line: 2, column: 'close', columnNumber: 3, kind: 'bad_number', message: 'expected a number, got "abc"' } } },
      exit_code: 5,
    });
    const unreadable = await runCli(['prices', 'import', join(dir, 'none.csv'), '--json', '--db', db], { BATCHDESK_NOW: NOW });
    expect(unreadable.code).toBe(5);
    expect(JSON.parse(unreadable.stdout)).toMatchObject({ ok: false, error: { code: 'data', message: expect.stringMatching(/^cannot read .*none\.csv: no such file; nothing was imported$/) }, exit_code: 5 });
    // A usage error too (exit 2), and without --json nothing reaches stdout.
    const usage = await runCli(['prices', 'import', join(dir, 'bad.csv'), '--json', '--bogus', '--db', db], { BATCHDESK_NOW: NOW });
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout)).toMatchObject({ ok: false, error: { code: 'usage' }, exit_code: 2 });
    expect((await runCli(['prices', 'import', join(dir, 'bad.csv'), '--db', db], { BATCHDESK_NOW: NOW })).stdout).toBe('');
  });
});
