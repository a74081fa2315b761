/**
 * `prices import` and `profiles import` with --skip-bad-rows never drop good rows without a word
 * after a bad quote (SPEC.md k.2: "then every skipped row is reported"). A quote inside an
 * unquoted value spoils its own row only: that row is skipped and reported, the rows after it are
 * imported. A quote that leaves csv-parse inside a quoted value (text after the closing quote, a
 * quote never closed) hides the lines after it: the file is refused even with --skip-bad-rows,
 * exit 5, nothing imported, and the advice says why skipping cannot help. Run as the user runs
 * it: the CLI in a child process, on a real SQLite file.
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../host/engine-host';
import { runCliProcess, tempDir } from '../support/cli';

// Friday 2025-07-11 after the close: 07-01, 07-02, 07-03 and 07-07 are past trading days.
const ENV = { BATCHDESK_NOW: '2025-07-11T23:00:00Z', BATCHDESK_NO_BUNDLE: '1' };

const dir = tempDir('batchdesk-csv-quotes-');

/** A new, empty batchdesk database (the imports refuse a missing one). */
function newDb(name: string): string {
  const path = join(dir, name);
  openStore(path).close();
  return path;
}

/** Writes the CSV file; the CLI names it by its base name in what it prints. */
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function column(db: string, sql: string): unknown[] {
  const handle = new Database(db, { readonly: true });
  try {
    return handle.prepare(sql).pluck().all();
  } finally {
    handle.close();
  }
}

const closes = (db: string) => column(db, `SELECT date FROM market_data_cache WHERE symbol = 'AAPL' ORDER BY date`);
const profiles = (db: string) => column(db, 'SELECT symbol FROM company_profiles ORDER BY symbol');

describe('prices import --skip-bad-rows after a bad quote', () => {
  it('a quote inside an unquoted value: that row is skipped and reported, the rows after it are imported', () => {
    const db = newDb('stray.db');
    const path = file('stray.csv', 'symbol,date,close\nAAPL,2025-07-01,1\nAAPL,2025-07-02,2"x\nAAPL,2025-07-03,3\nAAPL,2025-07-07,4\n');
    const r = runCliProcess(['prices', 'import', path, '--skip-bad-rows', '--db', db], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Rows: 3 (1 symbol)   Added: 3');
    expect(r.stdout).toContain(['Skipped 1 bad row(s):', `  stray.csv line 3: not valid CSV: Invalid Opening Quote: a quote is found in column 3, value is "2"`].join('\n'));
    expect(closes(db)).toEqual(['2025-07-01', '2025-07-03', '2025-07-07']);
  });

  it.each([
    [
      'text after a closing quote',
      'AAPL,2025-07-02,"2"x',
      'not valid CSV: a quoted value opened on this line has text after its closing quote (a quote inside a quoted value is written twice: "")',
      'a quote problem on line 3 makes the lines after it unreadable, so skipping bad rows cannot help: fix the quote',
    ],
    [
      'a quote never closed',
      'AAPL,"2025-07-02,2',
      'not valid CSV: a quote opened on this line is never closed',
      'close the quote opened on that line: the rest of the file was read as part of that row, so skipping bad rows cannot help',
    ],
  ])('%s: the file is refused (exit 5), nothing imported, and the advice says why skipping cannot help', (_label, row, message, advice) => {
    const name = `${_label.replace(/ /g, '-')}.csv`;
    const db = newDb(`${name}.db`);
    const path = file(name, `symbol,date,close\nAAPL,2025-07-01,1\n${row}\nAAPL,2025-07-03,3\nAAPL,2025-07-07,4\n`);
    const r = runCliProcess(['prices', 'import', path, '--skip-bad-rows', '--db', db], ENV);
    expect(r.code).toBe(5);
    expect(r.stderr.trimEnd()).toBe(`error: ${name} line 3: ${message}; nothing was imported (${advice})`);
    expect(r.stdout).toBe('');
    expect(closes(db)).toEqual([]);
  });
});

describe('profiles import --skip-bad-rows after a bad quote', () => {
  it('a quote inside an unquoted value: that row is skipped and reported, the rows after it are imported', () => {
    const db = newDb('profiles-stray.db');
    const path = file('profiles-stray.csv', 'symbol,company_name,sector\nIBM,IBM,Tech\nAAPL,Apple "Inc",Tech\nMSFT,Microsoft,Tech\nSPY,SPDR,\n');
    const r = runCliProcess(['profiles', 'import', path, '--skip-bad-rows', '--db', db], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Profiles: 3   Added: 3');
    expect(r.stdout).toContain(['Skipped 1 bad row(s):', `  profiles-stray.csv line 3: not valid CSV: Invalid Opening Quote: a quote is found in column 2, value is "Apple "`].join('\n'));
    expect(profiles(db)).toEqual(['IBM', 'MSFT', 'SPY']);
  });

  it('a quote not doubled inside a quoted value: the file is refused (exit 5), nothing imported', () => {
    const db = newDb('profiles-quote.db');
    const path = file('profiles-quote.csv', 'symbol,company_name,sector\nIBM,IBM,Tech\nAAPL,"Apple "the" company",Tech\nMSFT,Microsoft,Tech\nSPY,SPDR,\n');
    const r = runCliProcess(['profiles', 'import', path, '--skip-bad-rows', '--db', db], ENV);
    expect(r.code).toBe(5);
    expect(r.stderr.trimEnd()).toBe(
      `error: profiles-quote.csv line 3: not valid CSV: a quoted value opened on this line has text after its closing quote (a quote inside a quoted value is written twice: ""); nothing was imported (a quote problem on line 3 makes the lines after it unreadable, so skipping bad rows cannot help: fix the quote)`,
    );
    expect(r.stdout).toBe('');
    expect(profiles(db)).toEqual([]);
  });
});
