/**
 * A database SQLite cannot write (SPEC.md k.3: exit code 5, with a message that says what to
 * do). Tests run as root, where file modes stop nothing, so the read-only part is a -shm
 * "file" that is a folder: SQLite opens it read-only for root too, and an online backup of
 * such a database restarted at every step without end (SQLITE_BUSY retried by better-sqlite3).
 * Also: a backup stops on the CLI's signal, and only the batch says it finishes the current
 * portfolio-date on Ctrl-C.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryIO } from '../support/memory-io';
import { main, stopNotice } from '../../cli/main';
import { REPO_ROOT, runCli, tempDir } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';
import { copyTo, copyWithUnwritableShm, ENV, SAFE_NOW } from '../support/safeguards';

const READ_ONLY = /^error: (cannot back up: )?the database file \S+ is read-only \(or its folder, -wal or -shm file is[^)]*\): copy it to a writable folder or fix its permissions$/;

function pricesCsv(dir: string): string {
  const file = join(dir, 'prices.csv');
  writeFileSync(file, 'symbol,date,close,volume\nSPY,2025-01-02,584.64,50204000\n');
  return file;
}

let seeded = '';
beforeAll(() => {
  seeded = seedDemoDb(SAFE_NOW);
}, 120_000);

const withUnwritableShm = (): string => copyWithUnwritableShm(seeded);

const backupsOf = (db: string): string[] => (existsSync(join(dirname(db), 'backups')) ? readdirSync(join(dirname(db), 'backups')) : []);

describe('a database that cannot be written', () => {
  it('backup fails at once with exit 5 and what to do, and leaves no backup folder content', async () => {
    const db = withUnwritableShm();
    const r = await runCli(['backup', '--db', db], ENV);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(READ_ONLY);
    expect(r.stderr).toContain(`${db}-shm cannot be written`);
    expect(backupsOf(db)).toEqual([]);
  }, 20_000);

  it('run fails before it starts, naming the file that cannot be written', async () => {
    const db = withUnwritableShm();
    const r = await runCli(['run', '--db', db], ENV);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(READ_ONLY);
    expect(r.stderr).toContain(`${db}-shm cannot be written`);
  }, 20_000);

  it.each([
    ['purge', (_db: string) => ['--yes']],
    ['prices import', (db: string) => [pricesCsv(dirname(db))]],
  ] as const)('%s: exit 5 and what to do (purge refuses up front; prices import reports SQLite\'s SQLITE_READONLY)', async (command, args) => {
    const db = withUnwritableShm();
    const r = await runCli([...command.split(' '), ...args(db), '--db', db], ENV);
    expect(r.code).toBe(5);
    expect(r.stderr.split('\n').at(-1)).toMatch(READ_ONLY);
    expect(backupsOf(db)).toEqual([]);
  }, 60_000);

  it.each([
    ['purge', (_db: string) => []],
    ['restore', (db: string) => [copyTo(seeded, 'backup.sqlite')]],
    ['rebuild', (_db: string) => ['--start-date', '2025-07-01']],
  ] as const)('%s refuses before it asks for confirmation, as run does (exit 5, the file named), and changes nothing', async (command, args) => {
    const db = withUnwritableShm();
    const before = readFileSync(db);
    // No --yes and no terminal: without the check first, the question would be the refusal (exit 2).
    const r = await runCli([command, ...args(db), '--db', db], ENV);
    expect(r.code, r.stderr).toBe(5);
    expect(r.stderr).toMatch(READ_ONLY);
    expect(r.stderr).toContain(`${db}-shm cannot be written`);
    expect(readFileSync(db).equals(before)).toBe(true);
    expect(backupsOf(db)).toEqual([]);
  }, 20_000);

  it('purge --dry-run only reads: it still reports on a database that cannot be written', async () => {
    const r = await runCli(['purge', '--dry-run', '--db', withUnwritableShm()], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Dry run: nothing was changed.');
  }, 20_000);

  it('a database that still needs its migrations: exit 5 and what to do', async () => {
    const path = join(tempDir(), 'empty.sqlite');
    const empty = new Database(path);
    empty.pragma('journal_mode = WAL');
    empty.close();
    mkdirSync(`${path}-shm`);
    writeFileSync(`${path}-wal`, '');
    const r = await runCli(['seed-demo', '--db', path], ENV);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(READ_ONLY);
  }, 20_000);
});

describe('stopping', () => {
  it('a backup stops on the first Ctrl-C or SIGTERM: exit 130, nothing kept', async () => {
    const db = copyTo(seeded);
    const io = memoryIO({ ...ENV }, REPO_ROOT);
    const code = await main(['backup', '--db', db], { io, signal: AbortSignal.abort() });
    expect(code, io.stderr.join('\n')).toBe(130);
    expect(io.stderr.join('\n')).toMatch(/^error: backup to \S+ cancelled; nothing was kept$/);
    expect(backupsOf(db)).toEqual([]);
  });

  it('only the batch says it finishes the current portfolio-date', () => {
    const batch = 'Cancelling after the current portfolio-date... (press Ctrl-C again to stop at once)';
    expect(stopNotice(['run', '--db', 'f.sqlite'])).toBe(batch);
    expect(stopNotice(['--db', 'f.sqlite', 'rebuild', '--yes'])).toBe(batch);
    expect(stopNotice(['backup', '--db', 'f.sqlite'])).toBe('Stopping...');
    expect(stopNotice(['backup', '--out', 'run'])).toBe('Stopping...');
    expect(stopNotice(['prices', 'import', 'run.csv'])).toBe('Stopping...');
    expect(stopNotice(['--nonsense'])).toBe('Stopping...');
  });
});
