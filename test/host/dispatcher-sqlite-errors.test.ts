/**
 * The app's and browser mode's dispatcher says what to do about a database SQLite cannot write,
 * in the CLI's words (db/open-database.ts explainReadOnlyError, shared with cli/main.ts
 * reportError): SQLITE_READONLY from a handler becomes { code 'data' (exit code 5, HTTP 422),
 * the read-only message, details.reason 'read_only' }, like the refusal of an open or a run.
 * Tests run as root, so the database is made read-only by a -shm that is a folder (m.18).
 * A database SQLite reads as damaged (SQLITE_CORRUPT, SQLITE_NOTADB) is an I/O error whose
 * details give the inode and size of the file and of its companions.
 */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readOnlyDatabaseMessage } from '../../db/open-database';
import { describeStorageError } from '../../db/storage-errors';
import { dispatch, toErrorShape } from '../../host/dispatcher';
import { runCli, tempDir } from '../support/cli';
import { testHostContext } from '../support/app/host-context';
import { seedDemoDb } from '../support/demo-db';
import { copyWithUnwritableShm, SAFE_NOW } from '../support/safeguards';

let seeded = '';
beforeAll(() => {
  seeded = seedDemoDb(SAFE_NOW);
}, 120_000);

const sqliteError = (code: string): Error => Object.assign(new Error('attempt to write a readonly database'), { code });

describe('the dispatcher and a database that cannot be written', () => {
  it('a command that writes (purgeDerived) fails with what to do, the same words as the CLI', async () => {
    const db = copyWithUnwritableShm(seeded);
    const r = await dispatch('purgeDerived', { backup: false }, testHostContext(db, SAFE_NOW, { reader: false }));
    expect(r).toEqual({ ok: false, error: { code: 'data', message: readOnlyDatabaseMessage(db), details: { reason: 'read_only' } } });
    expect(readOnlyDatabaseMessage(db)).toMatch(/: copy it to a writable folder or fix its permissions$/);
    // The CLI reports SQLite's refusal of the same database in the same words (prices import has no up-front check).
    const csv = join(tempDir(), 'prices.csv');
    writeFileSync(csv, 'symbol,date,close,volume\nSPY,2025-01-02,584.64,50204000\n');
    const cli = await runCli(['prices', 'import', csv, '--db', db], { BATCHDESK_NOW: SAFE_NOW });
    expect(cli.code).toBe(5);
    expect(cli.stderr).toBe(`error: ${readOnlyDatabaseMessage(db)}`);
  }, 30_000);

  it('every SQLITE_READONLY code (extended ones too) is the read-only refusal; other SQLite errors are unchanged', () => {
    for (const code of ['SQLITE_READONLY', 'SQLITE_READONLY_DBMOVED', 'SQLITE_READONLY_CANTINIT']) {
      expect(toErrorShape(sqliteError(code), '/data/p.sqlite'), code).toEqual({ code: 'data', message: readOnlyDatabaseMessage('/data/p.sqlite'), details: { reason: 'read_only' } });
    }
    expect(toErrorShape(sqliteError('SQLITE_IOERR'), '/data/p.sqlite')).toEqual({ code: 'io', message: 'attempt to write a readonly database (SQLITE_IOERR)' });
  });

  it('a database SQLite reads as damaged names the identities of the file and its companions', () => {
    const db = join(tempDir(), 'p.sqlite');
    writeFileSync(db, 'x'.repeat(10));
    writeFileSync(`${db}-wal`, '');
    const shape = toErrorShape(Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' }), db);
    expect(shape).toEqual({
      code: 'io',
      message:
        'database disk image is malformed (SQLITE_CORRUPT): the database file is damaged: restore a backup (`batchdesk backup list` lists them, `batchdesk restore FILE` puts one back) or import the reference dump again',
      details: { files: { [db]: { inode: statSync(db).ino, bytes: 10 }, [`${db}-wal`]: { inode: statSync(`${db}-wal`).ino, bytes: 0 }, [`${db}-shm`]: null, [`${db}-journal`]: null } },
    });
    expect(toErrorShape(Object.assign(new Error('file is not a database'), { code: 'SQLITE_NOTADB' }), db).details).toEqual(shape.details);
  });

  it('a run stopped by the storage says what to do: free space, fix permissions, or restore a damaged file (not "intact")', () => {
    expect(describeStorageError(sqliteError('SQLITE_FULL'))).toBe('the disk is full (SQLITE_FULL). Every committed portfolio-date is intact; free some space, then run again to continue');
    expect(describeStorageError(sqliteError('SQLITE_READONLY'))).toBe(
      "the database is read-only (SQLITE_READONLY). Every committed portfolio-date is intact; fix the file's or its folder's permissions, then run again to continue",
    );
    const damaged = describeStorageError(Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' }));
    expect(damaged).toBe('database disk image is malformed (SQLITE_CORRUPT): the database file is damaged: restore a backup (`batchdesk backup list` lists them, `batchdesk restore FILE` puts one back) or import the reference dump again, then run again');
    expect(damaged).not.toMatch(/intact|free/);
  });
});
