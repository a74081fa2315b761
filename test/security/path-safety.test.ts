/**
 * Paths given for import, backup, restore, exports, baselines and logs are resolved and
 * checked, so no crafted name overwrites the live database (issue 9; SPEC.md j.1, j.3, j.7).
 * The rule lives in db/maintenance/database-paths.ts: never write over the database, its
 * -wal/-shm/-journal files (by name, through symbolic links, through hard links, through
 * `..`), or any file that is a SQLite database or WAL; never restore the live file onto
 * itself. Here: the rule on its own, then crafted names through the CLI and the contract,
 * each leaving the database exactly as it was.
 */
import { copyFileSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchdeskError } from '../../core/api/errors';
import { databaseOverwriteReason, looksLikeDatabaseFile, writeOutputFile } from '../../db/maintenance/database-paths';
import { cli as cliIn, contract as contractIn, type Outcome } from '../reliability/bad-input-harness';
import { REPO_ROOT, tempDir } from '../support/cli';
import { tableContents } from '../support/db-content';
import { backfilledDemo, SAFE_NOW } from '../support/safeguards';

const PG_DUMP = join(REPO_ROOT, 'test/fixtures/pg/committed/reference.dump');
const cli = (args: string[]) => cliIn(args, { BATCHDESK_NOW: SAFE_NOW });
const contract = (db: string, name: string, input: unknown) => contractIn(db, SAFE_NOW, name, input);

let template = '';
beforeAll(async () => {
  template = await backfilledDemo();
}, 300_000);

/** A fresh copy in its own folder, with a symbolic link and a hard link to it and a sub-folder. */
function live(): { dir: string; db: string; symlink: string; hardlink: string } {
  const dir = tempDir('batchdesk-paths-');
  const db = join(dir, 'portfolios.sqlite');
  copyFileSync(template, db);
  const symlink = join(dir, 'innocent.sqlite');
  symlinkSync(db, symlink);
  const hardlink = join(dir, 'also-innocent.csv');
  linkSync(db, hardlink);
  mkdirSync(join(dir, 'sub'));
  return { dir, db, symlink, hardlink };
}

describe('the rule: which paths must never be written', () => {
  it('names the database, its companions, links to it, other SQLite files and WAL files; passes anything else', () => {
    const { dir, db, symlink, hardlink } = live();
    expect(databaseOverwriteReason(db, [db])).toBe(`it is the database ${db}`);
    expect(databaseOverwriteReason(join(dir, 'sub', '..', 'portfolios.sqlite'), [db])).toBe(`it is the database ${db}`);
    expect(databaseOverwriteReason(symlink, [db])).toBe(`it is the database ${db}`);
    expect(databaseOverwriteReason(hardlink, [db])).toBe(`it is the database ${db}`);
    for (const s of ['-wal', '-shm', '-journal']) expect(databaseOverwriteReason(`${db}${s}`, [db])).toBe(`it is the ${s.slice(1)} file of the database ${db}`);
    // Without being told which database is live: any SQLite file, and companions of one.
    expect(databaseOverwriteReason(db)).toBe('it is a SQLite database file');
    expect(databaseOverwriteReason(`${db}-wal`)).toBe(`it is the wal file of the database ${db}`);
    const wal = join(dir, 'writer.sqlite');
    const w = new Database(wal);
    w.pragma('journal_mode = WAL');
    w.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    copyFileSync(`${wal}-wal`, join(dir, 'copied-wal'));
    w.close();
    expect(looksLikeDatabaseFile(join(dir, 'copied-wal'))).toBe(true);
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    expect(databaseOverwriteReason(join(dir, 'notes.txt'), [db])).toBeNull();
    expect(databaseOverwriteReason(join(dir, 'new-export.csv'), [db])).toBeNull();
    expect(databaseOverwriteReason(join(dir, 'sub'), [db])).toBeNull();
  });
});

describe('writing an output file (exports, baselines)', () => {
  it('writes whole or not at all: a missing folder is created, a folder that cannot be made is an I/O error that leaves nothing; a database is refused', () => {
    const { dir, db } = live();
    const out = join(dir, 'prices.csv');
    expect(writeOutputFile(out, 'symbol,date\n', 'the export', [db])).toBe(out);
    expect(readFileSync(out, 'utf8')).toBe('symbol,date\n');

    const nested = join(dir, 'exports', 'daily', 'base.json');
    expect(writeOutputFile(nested, '{}', 'the baseline', [db])).toBe(nested);
    expect(readFileSync(nested, 'utf8')).toBe('{}');

    writeFileSync(join(dir, 'a-file'), 'x');
    const blocked = join(dir, 'a-file', 'sub', 'base.json');
    const err = (() => {
      try {
        writeOutputFile(blocked, '{}', 'the baseline', [db]);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(BatchdeskError);
    expect((err as BatchdeskError).exitCode).toBe(5);
    expect((err as BatchdeskError).message).toBe(`cannot write the baseline to ${blocked}: ${join(dir, 'a-file')} is a file, not a folder; choose another path (a missing folder is created)`);

    // A write that fails after its folders were made (here: a file name too long) removes them again.
    const tooLong = join(dir, 'made', 'sub', `${'x'.repeat(300)}.csv`);
    expect(() => writeOutputFile(tooLong, 'x', 'the export', [db])).toThrow(/^cannot write the export .*ENAMETOOLONG/);
    expect(readdirSync(dir)).not.toContain('made');

    expect(() => writeOutputFile(db, 'x', 'the export', [db])).toThrow(`refusing to write the export to ${db}: it is the database ${db}; choose another path`);
    // Nothing half-written is left behind: no temporary file beside the outputs.
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('writing an output file through a link', () => {
  it('a link to a file: the file it names gets the output and the link stays a link; a link to the database is refused', () => {
    const { dir, db } = live();
    const target = join(dir, 'real-prices.csv');
    writeFileSync(target, 'old\n');
    const link = join(dir, 'prices-link.csv');
    symlinkSync(target, link);
    expect(writeOutputFile(link, 'symbol,date\n', 'the export', [db])).toBe(link);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('symbol,date\n');

    const toDb = join(dir, 'db-link.csv');
    symlinkSync(db, toDb);
    expect(() => writeOutputFile(toDb, 'x', 'the export', [db])).toThrow(/^refusing to write the export to /);
    expect(lstatSync(toDb).isSymbolicLink()).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

interface Crafted {
  readonly input: string;
  readonly exit: number;
  readonly message: RegExp;
  readonly run: (p: ReturnType<typeof live>) => Promise<Outcome>;
}

const CRAFTED: readonly Crafted[] = [
  { input: 'backup --out <db>-wal', exit: 2, message: /refusing to write the backup .*wal file of the database/, run: (p) => cli(['backup', '--db', p.db, '--out', `${p.db}-wal`]) },
  { input: 'backup --out sub/../portfolios.sqlite', exit: 2, message: /refusing to write the backup .*it is the database/, run: (p) => cli(['backup', '--db', p.db, '--out', join(p.dir, 'sub', '..', 'portfolios.sqlite')]) },
  { input: 'backup --out a symbolic link to the database', exit: 2, message: /refusing to write the backup .*it is the database/, run: (p) => cli(['backup', '--db', p.db, '--out', p.symlink]) },
  { input: 'restore a symbolic link to the database', exit: 2, message: /it is the database being restored/, run: (p) => cli(['restore', p.symlink, '--db', p.db, '--yes']) },
  { input: 'restore a hard link to the database', exit: 2, message: /it is the database being restored/, run: (p) => cli(['restore', p.hardlink, '--db', p.db, '--yes']) },
  { input: 'restore sub/../portfolios.sqlite', exit: 2, message: /it is the database being restored/, run: (p) => cli(['restore', join(p.dir, 'sub', '..', 'portfolios.sqlite'), '--db', p.db, '--yes']) },
  { input: 'prices export --out a hard link to the database', exit: 2, message: /refusing to write the export .*it is the database/, run: (p) => cli(['prices', 'export', '--db', p.db, '--out', p.hardlink]) },
  { input: 'profiles export --out a symbolic link to the database', exit: 2, message: /refusing to write the export .*it is the database/, run: (p) => cli(['profiles', 'export', '--db', p.db, '--out', p.symlink]) },
  { input: 'history export-baseline --out <db>-journal', exit: 2, message: /refusing to write the baseline .*journal file/, run: (p) => cli(['history', 'export-baseline', '--db', p.db, '--start-date', '2025-06-30', '--end-date', '2025-07-10', '--out', `${p.db}-journal`]) },
  { input: 'run --log-file a symbolic link to the database', exit: 2, message: /refusing to write the event log .*it is the database/, run: (p) => cli(['run', '--db', p.db, '--target-date', '2025-07-10', '--log-file', p.symlink]) },
  { input: 'rebuild --log-file the database', exit: 2, message: /refusing to write the event log .*it is the database/, run: (p) => cli(['rebuild', '--db', p.db, '--start-date', '2025-07-01', '--yes', '--log-file', p.db]) },
  { input: 'import --merge --report a hard link to the database', exit: 2, message: /refusing to write the import report .*it is the database/, run: (p) => cli(['import', PG_DUMP, '--db', p.db, '--merge', '--report', p.hardlink]) },
  // A path this file system cannot take is an I/O error (exit 5), as for every output flag,
  // found before the import commits (a folder as the report used to be found only after).
  { input: 'import --merge --report under a file', exit: 5, message: /cannot write the import report to .*: .* is a file, not a folder; choose another --report path/, run: (p) => cli(['import', PG_DUMP, '--db', p.db, '--merge', '--report', join(p.db, 'report.json')]) },
  { input: 'import --merge --report an existing folder', exit: 5, message: /cannot write the import report to .*: it is a folder; choose another --report path/, run: (p) => cli(['import', PG_DUMP, '--db', p.db, '--merge', '--report', p.dir]) },
  { input: 'contract createBackup { out: <db>-shm }', exit: 2, message: /refusing to write the backup .*shm file/, run: (p) => contract(p.db, 'createBackup', { out: `${p.db}-shm` }) },
  { input: 'contract restoreBackup { file: a symbolic link to the database }', exit: 2, message: /it is the database being restored/, run: (p) => contract(p.db, 'restoreBackup', { file: p.symlink }) },
  { input: 'contract exportBaseline { out: sub/../portfolios.sqlite }', exit: 2, message: /refusing to write the baseline/, run: (p) => contract(p.db, 'exportBaseline', { startDate: '2025-06-30', endDate: '2025-07-10', out: join(p.dir, 'sub', '..', 'portfolios.sqlite') }) },
  { input: 'contract importDump { mode: new, target: <db>-wal }', exit: 2, message: /refusing to write the imported database .*wal file/, run: (p) => contract(p.db, 'importDump', { path: PG_DUMP, mode: 'new', target: `${p.db}-wal` }) },
  { input: 'contract importDump { mode: new, target: the database }', exit: 2, message: /already exists/, run: (p) => contract(p.db, 'importDump', { path: PG_DUMP, mode: 'new', target: p.db }) },
  { input: 'contract importDump { reportPath: a symbolic link to the database }', exit: 2, message: /refusing to write the import report/, run: (p) => contract(p.db, 'importDump', { path: PG_DUMP, mode: 'merge', reportPath: p.symlink }) },
];

describe('crafted names through the CLI and the contract leave the database as it was', () => {
  for (const c of CRAFTED) {
    it(`${c.input} -> exit ${c.exit}`, async () => {
      const p = live();
      const before = tableContents(p.db);
      const out = await c.run(p);
      expect(out.code, out.text).toBe(c.exit);
      expect(out.text).toMatch(c.message);
      expect(tableContents(p.db)).toEqual(before);
      const check = new Database(p.db, { readonly: true });
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      check.close();
    }, 60_000);
  }
});
