/**
 * Backups that cannot finish (SPEC.md j.1: on failure nothing is left behind; k.3: exit code 5,
 * 130 when cancelled). The online copy is one step, so another connection committing all along
 * cannot make SQLite start it over (a stepwise copy restarted at each commit until the writer
 * stopped). A database whose -shm file cannot be written (here a folder of that name, which
 * SQLite opens read-only even for root) is refused before anything is copied, and a
 * backup that cannot be recorded in maintenance_log (a read-only connection) is removed with
 * its manifest. Tests run as root, so nothing here relies on file permissions.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchdeskError } from '../../../core/api/errors';
import { createEngineStore } from '../../../db/engine-store';
import { copyDatabase } from '../../../db/maintenance/database-file';
import { openDatabase, readOnlyDatabaseProblem } from '../../../db/open-database';
import { openStore, type OpenedDatabase } from '../../../host/engine-host';
import { makeBackup } from '../../../host/maintenance/backup';
import { systemClock } from '../../../host/system-ports';
import { seedDemoDb } from '../../support/demo-db';
import { copyTo, copyWithUnwritableShm, SAFE_NOW } from '../../support/safeguards';
import { tempDir } from '../../support/temp-dirs';

const clock = systemClock({ BATCHDESK_NOW: SAFE_NOW });

let seeded = '';
beforeAll(() => {
  seeded = seedDemoDb(SAFE_NOW);
}, 120_000);

const withUnwritableShm = (): string => copyWithUnwritableShm(seeded);

const filesIn = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir) : []);

function backupLog(db: string): { status: string; details: string }[] {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(`SELECT status, details FROM maintenance_log WHERE operation = 'backup' ORDER BY id`).all() as { status: string; details: string }[];
  } finally {
    d.close();
  }
}

describe('the online copy', () => {
  it('completes while another connection commits all along, with a consistent image (SQLite restarted a stepwise copy at each commit)', async () => {
    const path = copyTo(seeded);
    const writer = new Database(path);
    writer.exec(`CREATE TABLE scratch (n INTEGER)`);
    const insert = writer.prepare(`INSERT INTO scratch (n) VALUES (?)`);
    let commits = 0;
    let writing = true;
    // A commit between any two turns of the event loop, as a run in another process would.
    const write = (): void => {
      if (!writing) return;
      insert.run(++commits);
      setImmediate(write);
    };
    const source = new Database(path);
    const target = join(tempDir(), 'copy.sqlite');
    try {
      setImmediate(write);
      const started = performance.now();
      await copyDatabase(source, target);
      writing = false;
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(commits).toBeGreaterThan(0);
      const copy = new Database(target, { readonly: true });
      try {
        expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
        // The image of one committed moment: rows 1..k of the scratch table, nothing torn.
        const { k, n } = copy.prepare(`SELECT count(*) AS k, COALESCE(max(n), 0) AS n FROM scratch`).get() as { k: number; n: number };
        expect(n).toBe(k);
        expect(k).toBeLessThanOrEqual(commits);
      } finally {
        copy.close();
      }
    } finally {
      writing = false;
      source.close();
      writer.close();
    }
  }, 60_000);

  it('does not start when its signal is already aborted, and leaves no file', async () => {
    const db = new Database(copyTo(seeded));
    const target = join(tempDir(), 'copy.sqlite.partial');
    try {
      await expect(copyDatabase(db, target, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
      expect(filesIn(dirname(target))).toEqual([]);
    } finally {
      db.close();
    }
  });
});

describe('makeBackup', () => {
  it('refuses a database whose -shm file cannot be written before it copies anything', async () => {
    const path = withUnwritableShm();
    expect(readOnlyDatabaseProblem(path)).toMatch(/-shm cannot be written\): copy it to a writable folder or fix its permissions$/);
    const opened = openStore(path, { mustExist: true });
    try {
      const err = await makeBackup(opened, { reason: 'manual', holdsLock: false }, clock).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BatchdeskError);
      expect((err as BatchdeskError).exitCode).toBe(5);
      expect((err as BatchdeskError).message).toMatch(/^cannot back up: the database file .* is read-only .*copy it to a writable folder or fix its permissions$/);
    } finally {
      opened.close();
    }
    expect(filesIn(join(dirname(path), 'backups'))).toEqual([]);
  }, 15_000);

  it('cancelled by its signal: exit code 130, every partial file removed (a killed backup\'s stale journal too), logged cancelled', async () => {
    const path = copyTo(seeded);
    const out = join(dirname(path), 'backups', 'stopped.sqlite');
    // What a backup killed mid-copy leaves (kill -9 runs no cleanup).
    mkdirSync(dirname(out));
    writeFileSync(`${out}.partial`, '');
    writeFileSync(`${out}.partial-journal`, Buffer.alloc(512));
    const opened = openStore(path, { mustExist: true });
    try {
      const err = await makeBackup(opened, { reason: 'manual', out, holdsLock: false, signal: AbortSignal.abort() }, clock).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BatchdeskError);
      expect((err as BatchdeskError).exitCode).toBe(130);
    } finally {
      opened.close();
    }
    expect(filesIn(dirname(out))).toEqual([]);
    expect(backupLog(path).map((r) => r.status)).toEqual(['cancelled']);
  });

  it('a backup that cannot be recorded in maintenance_log is removed with its manifest, older backups stay, and the error says what to do', async () => {
    const path = copyTo(seeded);
    const backups = join(dirname(path), 'backups');
    const writer = openStore(path, { mustExist: true });
    try {
      for (const name of ['old1', 'old2']) await makeBackup(writer, { reason: 'manual', out: join(backups, `portfolios.${name}.manual.sqlite`), holdsLock: false }, clock);
    } finally {
      writer.close();
    }
    const before = filesIn(backups).sort();
    // A read-only connection: the copy and its manifest are written, the maintenance_log row
    // cannot be. Retention (keep 1, nothing kept for its age) would delete both older backups.
    const db = openDatabase(path, { readonly: true });
    const opened: OpenedDatabase = { db, store: createEngineStore(db), path, close: () => db.close() };
    try {
      const err = await makeBackup(opened, { reason: 'manual', holdsLock: false, keep: 1 }, { now: () => clock.now() + 365 * 86_400_000 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BatchdeskError);
      expect((err as BatchdeskError).exitCode).toBe(5);
      expect((err as BatchdeskError).message).toMatch(/^cannot record the backup in maintenance_log, so it was removed: the database file .* is read-only .*: copy it to a writable folder or fix its permissions$/);
    } finally {
      opened.close();
    }
    expect(filesIn(backups).sort()).toEqual(before);
    expect(backupLog(path).map((r) => r.status)).toEqual(['success', 'success']);
  });
});
