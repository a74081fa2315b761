/**
 * A database file nobody may write (a copy on a read-only mount, a file shared read-only): every
 * command that only reads it prints what it prints for a writable copy (but `backup list`, which
 * says no backup can be made in that folder), and every command that
 * writes is refused with exit code 5 and changes nothing (SPEC.md k.3). SQLite cannot read a WAL
 * database in place without creating its -wal and -shm files, so such a file is read from an
 * image in memory (db/open-database.ts openReadOnlyConnection); a -wal that may hold changes the
 * image would miss is refused with what to do, never shown stale.
 *
 * File modes stop SQLite only for a user other than root, and tests run as root (SPEC.md m.18):
 * the read-only commands run in a child process (read-only-database-child.ts) that, when the test
 * runs as root, is still root but without the capabilities to override file modes (util-linux's
 * setpriv), on a file of mode 0444 in a folder of mode 0555. It can read the repository wherever
 * it is cloned (root owns it), which a switch to another user could not.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unreadableWalMessage } from '../../db/open-database';
import { REPO_ROOT, runCli, tempDir, type CliResult } from '../support/cli';
import { backfilledDemo, ENV } from '../support/safeguards';

const CHILD = join(REPO_ROOT, 'test/cli/read-only-database-child.ts');
/** How to start a process that file modes bind: as it is, or as root without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH. */
const BOUND_BY_MODES: readonly string[] = process.getuid?.() === 0 ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search', '--'] : [];
const READ_ONLY = /^error: the database file \S+ is read-only \(or its folder, -wal or -shm file is[^)]*\): copy it to a writable folder or fix its permissions$/;

/** Runs CLI commands (each with --db `db`) as a user the file modes bind. */
function runAsReader(db: string, commands: readonly (readonly string[])[]): CliResult[] {
  const argv = [...BOUND_BY_MODES, process.execPath, '--import', 'tsx', CHILD, JSON.stringify(commands.map((c) => [...c, '--db', db]))];
  const r = spawnSync(argv[0]!, argv.slice(1), {
    cwd: REPO_ROOT,
    env: { ...process.env, ...ENV },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: 240_000,
  });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as CliResult[];
}

/** A folder with `mode`. */
function folder(mode: number): string {
  const dir = tempDir();
  chmodSync(dir, mode);
  return dir;
}

const lockedFolders: string[] = [];

/** Copies `files` (database, then maybe its -wal) into a new folder, then makes the files and the folder read-only. */
function readOnlyCopy(files: readonly [string, string][]): string {
  const dir = folder(0o755);
  for (const [from, name] of files) {
    copyFileSync(from, join(dir, name));
    chmodSync(join(dir, name), 0o444);
  }
  chmodSync(dir, 0o555);
  lockedFolders.push(dir);
  return join(dir, files[0]![1]);
}

/** The folder's files with their bytes, to show that nothing changed. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f)).toString('base64')]));
}

let seeded = '';
beforeAll(async () => {
  seeded = await backfilledDemo();
}, 180_000);

afterAll(() => {
  // A user other than root could not remove the files of a read-only folder.
  for (const dir of lockedFolders) chmodSync(dir, 0o755);
});

/** The reader commands, writing their files into `out`. */
const readers = (out: string): string[][] => [
  ['history'],
  ['history', '--running'],
  ['reconcile'],
  ['diagnose'],
  ['diagnose', 'prices'],
  ['verify', 'demo'],
  ['verify', 'guard'],
  ['verify', 'coverage', '--start-date', '2025-07-01', '--end-date', '2025-07-10'],
  ['verify', 'rowcounts'],
  ['verify', 'views'],
  ['prices', 'export', '--out', join(out, 'prices.csv')],
  ['profiles', 'export', '--out', join(out, 'profiles.csv')],
  ['history', 'export-baseline', '--start-date', '2025-07-01', '--end-date', '2025-07-10', '--out', join(out, 'baseline.json')],
  ['backup', 'list'],
  ['portfolios'],
  ['history', 'compare', join(out, 'baseline.json'), 'db'],
  ['run', '--dry-run', '--start-date', '2025-07-08', '--end-date', '2025-07-10'],
];

/** A baseline without the time it was written. */
const baselineContent = (file: string): unknown => ({ ...(JSON.parse(readFileSync(file, 'utf8')) as object), created_at: null });

describe('a database file and folder nobody may write', () => {
  it('every command that only reads prints what it prints for a writable copy, and writes nothing beside the file', async () => {
    const db = readOnlyCopy([[seeded, 'portfolios.sqlite']]);
    const roDir = join(db, '..');
    const before = snapshot(roDir);
    const roOut = folder(0o777);
    const readOnly = runAsReader(db, readers(roOut));
    // Each does its work on the read-only file (as on a writable one, below): exit 0, but for
    // `verify rowcounts`, which has no purge to compare with and says so (exit 4).
    const expectedCode = (args: readonly string[]) => (args[1] === 'rowcounts' ? 4 : 0);
    expect(readOnly.map((r, i) => `${readers(roOut)[i]!.join(' ')}: ${r.code}`)).toEqual(readers(roOut).map((args) => `${args.join(' ')}: ${expectedCode(args)}`));

    const rwDir = folder(0o755);
    const rwDb = join(rwDir, 'portfolios.sqlite');
    copyFileSync(seeded, rwDb);
    const rwOut = folder(0o777);
    const commands = readers(rwOut);
    const same = (r: CliResult, dir: string, out: string) => {
      const text = (t: string) => t.replaceAll(dir, '<dir>').replaceAll(out, '<out>');
      return { code: r.code, stdout: text(r.stdout), stderr: text(r.stderr) };
    };
    // But for what no reader of such a folder can do: `backup list` says no backup can be made
    // in it (the backup folder beside the file cannot be created), where a writable copy says how to make one.
    const unwritable = (args: readonly string[], r: ReturnType<typeof same>) =>
      args.join(' ') === 'backup list'
        ? {
            ...r,
            stdout: r.stdout.replace(
              'No backups yet: `batchdesk backup --db <dir>/portfolios.sqlite` makes one.',
              'No backups, and none can be made: the backup folder cannot be created (the folder <dir> cannot be written). Set backup.dir to a folder that can be written, or back up elsewhere with `batchdesk backup --out FOLDER/ --db <dir>/portfolios.sqlite`.',
            ),
          }
        : r;
    for (const [i, args] of commands.entries()) {
      const writable = await runCli([...args, '--db', rwDb], ENV);
      expect(same(readOnly[i]!, roDir, roOut), args.join(' ')).toEqual(unwritable(args, same(writable, rwDir, rwOut)));
    }
    for (const csv of ['prices.csv', 'profiles.csv']) expect(readFileSync(join(roOut, csv), 'utf8'), csv).toBe(readFileSync(join(rwOut, csv), 'utf8'));
    expect(baselineContent(join(roOut, 'baseline.json'))).toEqual(baselineContent(join(rwOut, 'baseline.json')));
    expect(snapshot(roDir)).toEqual(before);
  }, 300_000);

  it('every command that writes is refused with exit 5 and what to do, and the file keeps every byte', () => {
    const db = readOnlyCopy([[seeded, 'portfolios.sqlite']]);
    const before = snapshot(join(db, '..'));
    const inputs = folder(0o755);
    const backup = join(inputs, 'backup.sqlite');
    copyFileSync(seeded, backup);
    const prices = join(inputs, 'prices.csv');
    writeFileSync(prices, 'symbol,date,close,volume\nSPY,2025-01-02,584.64,50204000\n');
    const writers = [
      ['run'],
      ['purge', '--yes'],
      ['rebuild', '--start-date', '2025-07-01', '--yes'],
      ['restore', backup, '--yes'],
      ['prices', 'import', prices],
      ['seed-demo'],
      ['verify', 'guard', '--reopen', '--reason', 'checked by hand'],
    ];
    const results = runAsReader(db, writers);
    for (const [i, args] of writers.entries()) {
      expect(results[i]!.code, `${args.join(' ')}: ${results[i]!.stderr}`).toBe(5);
      expect(results[i]!.stderr.split('\n').at(-1), args.join(' ')).toMatch(READ_ONLY);
    }
    expect(snapshot(join(db, '..'))).toEqual(before);
  }, 300_000);

  it('a -wal file that may hold changes is refused with what to do, not read without them', () => {
    // A copy made while a writer had the database open: the new table is only in the -wal file.
    const dir = folder(0o755);
    const live = join(dir, 'live.sqlite');
    copyFileSync(seeded, live);
    const writer = new Database(live);
    writer.pragma('wal_autocheckpoint = 0');
    writer.exec('CREATE TABLE only_in_the_wal (x)');
    const db = readOnlyCopy([
      [live, 'portfolios.sqlite'],
      [`${live}-wal`, 'portfolios.sqlite-wal'],
    ]);
    writer.close();
    const before = snapshot(join(db, '..'));
    const results = runAsReader(db, [['history'], ['prices', 'export', '--out', join(folder(0o777), 'prices.csv')]]);
    for (const r of results) {
      expect(r.code).toBe(5);
      expect(r.stderr).toBe(`error: ${unreadableWalMessage(db)}`);
    }
    expect(unreadableWalMessage(db)).toMatch(/Copy the database together with its -wal file to a writable folder and open the copy there$/);
    expect(snapshot(join(db, '..'))).toEqual(before);
  }, 300_000);
});
