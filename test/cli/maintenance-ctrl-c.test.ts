/**
 * Ctrl-C on `purge`, `restore` and `prices import` (audit, SPEC.md k.3), through a real child
 * process and a real SIGINT: each stops before it changes anything, exits 130 with a message
 * that says nothing was changed, and leaves the content (canonical checksums) as it was and the
 * lock free. The signal goes out at a moment seen from outside: the backup's partial file
 * appears, the import holds the lock while it reads a pipe that has not ended, or the import's
 * write transaction holds SQLite's write lock. The child is paused around the signal (SIGSTOP .. SIGCONT) so that it cannot
 * run past the step while the signal is on its way.
 */
import Database from 'better-sqlite3';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tradingDaysBetween } from '../../core/calendar';
import type { IsoDate } from '../../core/domain/iso-date';
import { beforeAll, describe, expect, it } from 'vitest';
import { startCliProcess, tempDir } from '../support/cli';
import { backfilledDemo, checksumsOf, copyTo, SAFE_NOW } from '../support/safeguards';

const ENV = { BATCHDESK_NOW: SAFE_NOW };

let demo = '';
beforeAll(async () => {
  demo = await backfilledDemo();
}, 180_000);

/** Runs the CLI in a child and sends SIGINT (child paused meanwhile) once `ready()` holds; its exit code and stderr. */
async function interrupted(args: readonly string[], ready: (child: ChildProcess) => boolean): Promise<{ code: number | null; stderr: string; sent: boolean }> {
  const child = startCliProcess(args, ENV);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.resume();
  let sent = false;
  const poll = setInterval(() => {
    if (sent || child.exitCode !== null || !ready(child)) return;
    sent = true;
    child.kill('SIGSTOP');
    child.kill('SIGINT');
    child.kill('SIGCONT');
  }, 1);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearInterval(poll);
  return { code, stderr, sent };
}

const backupDir = (db: string) => join(dirname(db), 'backups');
const partialIn = (dir: string) => () => existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.partial'));
/** Whether another connection holds SQLite's write lock on `db` now (an import's write transaction), probed with `probe`. */
const writing = (probe: Database.Database): boolean => {
  try {
    probe.exec('BEGIN IMMEDIATE');
    probe.exec('ROLLBACK');
    return false;
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw err;
  }
};

/** A price file of `symbols` made-up symbols with a close on each of the `days` trading days up to 2025-06-27. */
function bigPriceFile(path: string, symbols: number, days: number): void {
  const dates = tradingDaysBetween('2010-01-01' as IsoDate, '2025-06-27' as IsoDate).slice(-days);
  const lines = ['symbol,date,close,volume'];
  for (let s = 0; s < symbols; s++) for (let d = 0; d < dates.length; d++) lines.push(`ZC${s.toString(36).toUpperCase().padStart(3, '0')},${dates[d]},${50 + ((s + d) % 100) / 4},${1000 + d}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
}

const lockRows = (db: string) => {
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare(`SELECT count(*) AS n FROM run_lock`).get() as { n: number }).n;
  } finally {
    d.close();
  }
};

describe('Ctrl-C before a maintenance command changes anything', () => {
  it('purge --yes stopped during its backup: exit 130, nothing deleted, no partial file, lock free', async () => {
    const db = copyTo(demo);
    const before = checksumsOf(db);
    const r = await interrupted(['purge', '--db', db, '--yes'], partialIn(backupDir(db)));
    expect(r.sent).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain('Stopping...');
    expect(r.stderr).toMatch(/purge cancelled .*nothing was deleted/);
    expect(checksumsOf(db)).toEqual(before);
    expect(readdirSync(backupDir(db)).filter((f) => f.includes('.partial'))).toEqual([]);
    expect(lockRows(db)).toBe(0);
  }, 120_000);

  it('restore --yes stopped during its safety backup: exit 130, the database unchanged', async () => {
    const db = copyTo(demo);
    const emptied = copyTo(demo, 'emptied.sqlite');
    const d = new Database(emptied);
    d.prepare(`DELETE FROM portfolio_snapshots`).run();
    d.close();
    const before = checksumsOf(db);
    const r = await interrupted(['restore', emptied, '--db', db, '--yes'], partialIn(backupDir(db)));
    expect(r.sent).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain(`restore cancelled before the database was replaced; ${db} was not changed`);
    expect(checksumsOf(db)).toEqual(before);
    expect(lockRows(db)).toBe(0);
  }, 120_000);

  it('prices import reading a quiet pipe that does not end: Ctrl-C stops the read, exit 130, nothing imported, lock free', async () => {
    const db = copyTo(demo);
    const before = checksumsOf(db);
    const dir = tempDir();
    const fifo = join(dir, 'prices.pipe');
    execFileSync('mkfifo', [fifo]);
    const csv = join(dir, 'head.csv');
    writeFileSync(csv, 'symbol,date,close\nAAPL,2025-07-01,200\n');
    // The writer keeps the pipe open after its rows, as a feed that has not finished would; the
    // marker file appears once the import has opened the pipe and the rows are in it.
    const written = join(dir, 'written');
    const writer = spawn('sh', ['-c', `(cat "${csv}"; touch "${written}"; sleep 120) > "${fifo}"`]);
    try {
      // Signalled a while after the rows, once the read waits on the quiet pipe (the file is read before the lock is taken).
      let writtenAt = 0;
      const r = await interrupted(['prices', 'import', fifo, '--db', db], () => {
        if (writtenAt === 0 && existsSync(written)) writtenAt = Date.now();
        return writtenAt > 0 && Date.now() - writtenAt > 500;
      });
      expect(r.sent).toBe(true);
      expect(r.code, r.stderr).toBe(130);
      expect(r.stderr).toContain(`the import of ${fifo} was cancelled before anything was written; nothing was imported`);
    } finally {
      writer.kill();
    }
    expect(checksumsOf(db)).toEqual(before);
    expect(lockRows(db)).toBe(0);
  }, 120_000);

  it('prices import stopped during its write transaction: exit 130, what it wrote rolled back, the database unchanged, lock free', async () => {
    const db = copyTo(demo);
    const before = checksumsOf(db);
    const file = join(tempDir(), 'prices.csv');
    // 200,000 rows: the write takes seconds, well past the moment its transaction is seen.
    bigPriceFile(file, 80, 2_500);
    const probe = new Database(db, { timeout: 0 });
    try {
      let locked = false;
      const r = await interrupted(['prices', 'import', file, '--db', db], () => {
        locked ||= lockRows(db) === 1;
        return locked && writing(probe);
      });
      expect(r.sent).toBe(true);
      expect(r.code, r.stderr).toBe(130);
      expect(r.stderr).toContain('Stopping...');
      expect(r.stderr).toContain('the import of prices.csv was cancelled while it wrote; what it had written was rolled back, so nothing was imported');
    } finally {
      probe.close();
    }
    expect(checksumsOf(db)).toEqual(before);
    expect(lockRows(db)).toBe(0);
  }, 180_000);
});
