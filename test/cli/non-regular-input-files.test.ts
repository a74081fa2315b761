/**
 * Commands that read an input file refuse a device or a socket before reading it (audit:
 * `prices import /dev/zero` ran out of memory, `restore /dev/zero` called it a folder): a data
 * error, exit code 5, as for a missing file. A pipe (a process substitution `<(cat f.csv)`) is
 * still read, and named by the path given rather than its own name (`63`). `-` reads standard
 * input, piped or redirected from a file, as it does for Unix tools.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runCli, tempDir } from '../support/cli';
import { rowCountsOf } from '../support/safeguards';
import { seedDemoDb } from '../support/demo-db';
import { SAFE_NOW } from '../support/safeguards';

const ENV = { BATCHDESK_NOW: SAFE_NOW };

describe('input files that are not regular files', () => {
  const db = seedDemoDb(SAFE_NOW);

  it.each([
    [['prices', 'import', '/dev/zero'], '/dev/zero is not a regular file (a device or a socket, which may never end); give a file; nothing was imported'],
    [['profiles', 'import', '/dev/zero'], '/dev/zero is not a regular file (a device or a socket, which may never end); give a file; nothing was imported'],
    [['history', 'compare', '/dev/zero', 'db'], '/dev/zero is not a regular file (a device or a socket, which may never end); give a file'],
    [['restore', '/dev/zero', '--yes'], '/dev/zero is not a regular file (a device, pipe or socket), so it is no backup'],
  ])('%j is refused with exit code 5 before anything is read', async (args, message) => {
    const r = await runCli([...args, '--db', db], ENV);
    expect(r.code, r.stderr).toBe(5);
    expect(r.stderr).toContain(message);
  });

  it('a pipe is read, and named by the path given', async () => {
    const fifo = join(tempDir(), 'prices.pipe');
    execFileSync('mkfifo', [fifo]);
    const csv = join(tempDir(), 'p.csv');
    writeFileSync(csv, 'symbol,date\nAAPL,2025-07-01\n');
    const writer = spawn('sh', ['-c', `cat "${csv}" > "${fifo}"`]);
    const r = await runCli(['prices', 'import', fifo, '--db', db], ENV);
    writer.kill();
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(`${fifo} line 1: the header has no "close" column`);
  });

  it.each([
    ['piped', (file: string, args: string) => `cat "${file}" | "${process.execPath}" "${BIN}" ${args}`],
    ['redirected from a file', (file: string, args: string) => `"${process.execPath}" "${BIN}" ${args} < "${file}"`],
  ])('`-` reads standard input (%s), for prices and profiles import', (_how, command) => {
    const dir = tempDir();
    const target = seedDemoDb(SAFE_NOW);
    const prices = join(dir, 'p.csv');
    writeFileSync(prices, 'symbol,date,close\nZZSTDIN,2025-07-01,12.5\nZZSTDIN,2025-07-02,13\n');
    const profiles = join(dir, 'q.csv');
    writeFileSync(profiles, 'symbol,company_name\nZZSTDIN,Stdin Co\n');
    const before = rowCountsOf(target);
    const run = (file: string, args: string) => spawnSync('sh', ['-c', command(file, args)], { encoding: 'utf8', env: { ...process.env, ...ENV } });
    const p = run(prices, `prices import - --db "${target}"`);
    expect(p.status, p.stderr).toBe(0);
    expect(p.stdout).toContain('batchdesk prices import  stdin');
    expect(p.stdout).toContain('Rows: 2 (1 symbol)   Added: 2');
    const q = run(profiles, `profiles import - --db "${target}"`);
    expect(q.status, q.stderr).toBe(0);
    expect(q.stdout).toContain('Profiles: 1   Added: 1');
    const after = rowCountsOf(target);
    expect(after['market_data_cache']).toBe(before['market_data_cache']! + 2);
    expect(after['company_profiles']).toBe(before['company_profiles']! + 1);
  }, 60_000);

  it('`-` with standard input a device (or a terminal) says to pipe or redirect the file in, and imports nothing', () => {
    const before = rowCountsOf(db);
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" prices import - --db "${db}" < /dev/null`], { encoding: 'utf8', env: { ...process.env, ...ENV } });
    expect(r.status).toBe(5);
    expect(r.stderr).toBe('error: standard input is a terminal or a device, not a file: pipe or redirect the CSV file in (`- < file.csv`), or give its path instead of `-`; nothing was imported\n');
    expect(rowCountsOf(db)).toEqual(before);
  }, 60_000);

  it('a bad row read from standard input is named as stdin', () => {
    const file = join(tempDir(), 'bad.csv');
    writeFileSync(file, 'symbol,date\nAAPL,2025-07-01\n');
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" prices import - --db "${db}" < "${file}"`], { encoding: 'utf8', env: { ...process.env, ...ENV } });
    expect(r.status).toBe(5);
    expect(r.stderr).toContain('error: stdin line 1: the header has no "close" column');
  }, 60_000);
});
