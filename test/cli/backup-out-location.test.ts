/**
 * `backup --out` naming an existing folder writes the backup into it under its automatic name,
 * as the backup folder gets it (a second backup of that second gets the next free name); so does
 * an --out that ends in a separator, whose folder is created when missing.
 * `backup --out` at a place no backup can ever be written (under a regular file) is refused
 * before anything is done (SPEC.md m.22): exit 5, as every output path this file system cannot
 * take (k.3: an I/O problem, not a misspelt value), with the message every output flag uses,
 * the database left as it was, maintenance_log included, and no file or folder made. A backup
 * that fails while copying (a real I/O failure) is still a failed backup: exit 5 and a failed row
 * in maintenance_log (j.1). The exports that take --out (prices, profiles, baselines) log
 * nothing either way. Every output flag refuses a path under a file, or a folder, alike.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { REPO_ROOT, runCli } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';
import { copyTo, ENV, SAFE_NOW } from '../support/safeguards';
import { tableContents } from '../support/db-content';
import { sha256File } from '../../db/maintenance/database-file';
import { namesFolder, resolveOutputPath } from '../../db/maintenance/database-paths';

vi.mock('../../db/maintenance/database-file', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../db/maintenance/database-file')>();
  return {
    ...original,
    // A disk that fills up during the copy, for the copies made into a folder named `full-disk`.
    copyDatabase: (db: Parameters<typeof original.copyDatabase>[0], target: string, options: Parameters<typeof original.copyDatabase>[2]) =>
      target.includes('full-disk') ? Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })) : original.copyDatabase(db, target, options),
  };
});

let seeded = '';
beforeAll(() => {
  seeded = seedDemoDb(SAFE_NOW);
}, 120_000);

describe('backup --out an existing folder', () => {
  it('writes the backup into the folder under its automatic name, with its manifest', async () => {
    const db = copyTo(seeded);
    const folder = join(dirname(db), 'chosen');
    mkdirSync(folder);
    const files: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await runCli(['backup', '--db', db, '--out', folder, '--json'], ENV);
      expect(r.code, r.stderr).toBe(0);
      const { file, manifest } = JSON.parse(r.stdout);
      expect(manifest.sha256).toBe(sha256File(file));
      files.push(file);
    }
    expect(files).toEqual([join(folder, 'portfolios.sqlite.20250710T230000Z.manual.sqlite'), join(folder, 'portfolios.sqlite.20250710T230000Z-2.manual.sqlite')]);
    expect(readdirSync(folder).sort()).toEqual(files.flatMap((f) => [f, `${f}.json`]).map((f) => f.slice(folder.length + 1)).sort());
    expect(existsSync(join(dirname(db), 'backups'))).toBe(false);
  });
});

describe('backup --out a path ending in a separator (a folder that does not exist yet)', () => {
  it('creates the folder and writes the backup inside under its automatic name, not a file named after the folder', async () => {
    const db = copyTo(seeded);
    const folder = join(dirname(db), 'nofolder');
    // As typed relative to the working directory (the repository root in these tests), and absolute.
    for (const [out, expected] of [
      [`${relative(REPO_ROOT, folder)}/`, join(folder, 'portfolios.sqlite.20250710T230000Z.manual.sqlite')],
      [`${folder}/deeper/`, join(folder, 'deeper', 'portfolios.sqlite.20250710T230000Z.manual.sqlite')],
    ] as const) {
      const r = await runCli(['backup', '--db', db, '--out', out, '--json'], ENV);
      expect(r.code, r.stderr).toBe(0);
      const { file, manifest } = JSON.parse(r.stdout);
      expect(file).toBe(expected);
      expect(manifest.sha256).toBe(sha256File(file));
    }
    expect(statSync(folder).isDirectory()).toBe(true);
    expect(readdirSync(dirname(db)).sort()).toEqual(['nofolder', 'portfolios.sqlite']);
    expect(readdirSync(folder).sort()).toEqual(['deeper', 'portfolios.sqlite.20250710T230000Z.manual.sqlite', 'portfolios.sqlite.20250710T230000Z.manual.sqlite.json']);
  });

  it('a trailing separator after a regular file is refused (exit 5) and changes nothing', async () => {
    const db = copyTo(seeded);
    const file = join(dirname(db), 'somefile');
    writeFileSync(file, 'x');
    const before = tableContents(db);
    const filesBefore = readdirSync(dirname(db)).sort();
    const r = await runCli(['backup', '--db', db, '--out', `${file}/`], ENV);
    expect(r.code).toBe(5);
    expect(r.stderr).toBe(`error: cannot write the backup to ${join(file, 'portfolios.sqlite.20250710T230000Z.manual.sqlite')}: ${file} is a file, not a folder; choose another --out path (a missing folder is created)`);
    expect(tableContents(db)).toEqual(before);
    expect(readdirSync(dirname(db)).sort()).toEqual(filesBefore);
  });
});

describe('namesFolder and resolveOutputPath', () => {
  it('a path ending in a separator or a dot segment names a folder, and keeps saying so once resolved', () => {
    for (const p of ['x/', 'a/b/', '/', '.', '..', 'x/.', 'x/..']) expect(namesFolder(p), p).toBe(true);
    for (const p of ['x', 'a/b', 'x.sqlite', '.hidden', 'x..']) expect(namesFolder(p), p).toBe(false);
    expect(resolveOutputPath('/tmp/w', 'nofolder/')).toBe('/tmp/w/nofolder/');
    expect(resolveOutputPath('/tmp/w', 'nofolder/.')).toBe('/tmp/w/nofolder/');
    expect(resolveOutputPath('/tmp/w', 'x.sqlite')).toBe('/tmp/w/x.sqlite');
    expect(resolveOutputPath('/tmp/w', '/')).toBe('/');
  });
});

describe('backup --out under a regular file', () => {
  it('is refused (exit 5) and changes nothing, maintenance_log included', async () => {
    const db = copyTo(seeded);
    const file = join(dirname(db), 'somefile');
    writeFileSync(file, 'x');
    const before = tableContents(db);
    const filesBefore = readdirSync(dirname(db)).sort();
    for (const out of [join(file, 'x.sqlite'), join(file, 'deeper', 'x.sqlite')]) {
      const r = await runCli(['backup', '--db', db, '--out', out], ENV);
      expect(r.code).toBe(5);
      expect(r.stderr).toBe(`error: cannot write the backup to ${out}: ${file} is a file, not a folder; choose another --out path (a missing folder is created)`);
    }
    expect(tableContents(db)).toEqual(before);
    expect(readdirSync(dirname(db)).sort()).toEqual(filesBefore);
  });

  it('a failure during the copy is still logged as a failed backup (exit 5)', async () => {
    const db = copyTo(seeded);
    const out = join(dirname(db), 'full-disk', 'x.sqlite');
    const r = await runCli(['backup', '--db', db, '--out', out], ENV);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/^error: backup to .*full-disk\/x\.sqlite\.partial failed: ENOSPC: no space left on device/);
    expect(existsSync(`${out}.partial`)).toBe(false);
    const d = new Database(db, { readonly: true });
    try {
      expect(d.prepare(`SELECT operation, status FROM maintenance_log`).all()).toEqual([{ operation: 'backup', status: 'failed' }]);
    } finally {
      d.close();
    }
  });

  it('the exports with --out under a file fail without a maintenance_log row', async () => {
    const db = copyTo(seeded);
    const file = join(dirname(db), 'somefile');
    writeFileSync(file, 'x');
    const before = tableContents(db);
    for (const args of [
      ['prices', 'export', '--out', join(file, 'p.csv')],
      ['profiles', 'export', '--out', join(file, 'p.csv')],
      ['history', 'export-baseline', '--start-date', '2025-06-30', '--end-date', '2025-07-10', '--out', join(file, 'b.json')],
    ]) {
      const r = await runCli([...args, '--db', db], ENV);
      expect(r.code, args.join(' ')).toBe(5);
      expect(r.stderr).toMatch(/: \S*somefile is a file, not a folder; choose another --out path/);
    }
    expect(tableContents(db)).toEqual(before);
  });
});

describe('every output flag refuses a path it can never write the same way', () => {
  // Each flag that names an output path, with the words its message uses for what it writes.
  const OUTPUTS: readonly (readonly [string, string, (path: string) => string[]])[] = [
    ['--out', 'the backup', (p) => ['backup', '--out', p]],
    ['--out', 'the export', (p) => ['prices', 'export', '--out', p]],
    ['--out', 'the export', (p) => ['profiles', 'export', '--out', p]],
    ['--out', 'the baseline', (p) => ['history', 'export-baseline', '--start-date', '2025-06-30', '--end-date', '2025-07-10', '--out', p]],
    ['--report', 'the import report', (p) => ['import', join(REPO_ROOT, 'test/fixtures/pg/committed/reference.dump'), '--merge', '--report', p]],
    ['--log-file', 'the event log', (p) => ['run', '--target-date', '2025-07-10', '--no-guard', '--log-file', p]],
    ['--log-file', 'the event log', (p) => ['rebuild', '--start-date', '2025-07-10', '--yes', '--log-file', p]],
    ['--trace', 'the trace files', (p) => ['run', '--target-date', '2025-07-10', '--monitor-only', '--trace', p]],
  ];

  it('under a regular file: exit 5, one message shape naming the flag, nothing changed', async () => {
    const db = copyTo(seeded);
    const file = join(dirname(db), 'somefile');
    writeFileSync(file, 'x');
    const before = tableContents(db);
    for (const [flag, what, args] of OUTPUTS) {
      const target = join(file, 'x.out');
      const r = await runCli([...args(target), '--db', db], ENV);
      expect(r.code, `${args(target).join(' ')}: ${r.stderr}`).toBe(5);
      expect(r.stderr).toBe(`error: cannot write ${what} to ${target}: ${file} is a file, not a folder; choose another ${flag} path (a missing folder is created)`);
    }
    expect(tableContents(db)).toEqual(before);
    // No backup, log, report or trace left anywhere (the database's own -wal and -shm aside).
    expect(readdirSync(dirname(db)).filter((f) => !/-(wal|shm)$/.test(f)).sort()).toEqual(['portfolios.sqlite', 'somefile']);
  });

  it('a folder where a file is written: exit 5, the same shape', async () => {
    const db = copyTo(seeded);
    const folder = join(dirname(db), 'afolder');
    mkdirSync(folder);
    const before = tableContents(db);
    // `backup --out` and `--trace` take a folder: they write into it.
    for (const [flag, what, args] of OUTPUTS.filter(([, w]) => w !== 'the backup' && w !== 'the trace files')) {
      const r = await runCli([...args(folder), '--db', db], ENV);
      expect(r.code, `${args(folder).join(' ')}: ${r.stderr}`).toBe(5);
      expect(r.stderr).toBe(`error: cannot write ${what} to ${folder}: it is a folder; choose another ${flag} path (a missing folder is created)`);
    }
    expect(tableContents(db)).toEqual(before);
  });
});
