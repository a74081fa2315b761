/**
 * The backups list (listBackups, the app's Backups table and `backup list`): a backup file
 * whose manifest was deleted is still listed, found by the name the backup writer gives its
 * files, with its size and the time in its name; restore takes it after the integrity check (no checksum
 * to compare) and keeps its verdict beside it for the list. Other files, and other databases'
 * backups, are not listed; retention leaves a file without a manifest alone.
 */
import { copyFileSync, existsSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../host/dispatcher';
import type { HostContext } from '../../../host/handler-types';
import { parseBackupName } from '../../../host/maintenance/backup';
import { tableContents } from '../../support/db-content';
import { seedDemoDb } from '../../support/demo-db';
import { dispatchOk, testHostContext } from '../../support/app/host-context';
import { copyTo, SAFE_NOW } from '../../support/safeguards';
import { putSettings } from '../../support/app/demo-fixture';

let db = '';
let ctx: HostContext;
beforeAll(() => {
  db = copyTo(seedDemoDb(SAFE_NOW));
  ctx = testHostContext(db, SAFE_NOW, { reader: false });
}, 120_000);

const ok = (name: string, input: unknown) => dispatchOk(ctx, name, input);

/** The database's contents but its maintenance log (each backup and restore adds a row). */
function contentsBesidesLog(): Record<string, string> {
  const { maintenance_log: _log, ...rest } = tableContents(db);
  return rest;
}

const listed = async (): Promise<{ file: string; hasManifest: boolean }[]> => (await ok('listBackups', {})).backups;

describe('backups without a manifest', () => {
  it('are listed by their backup name with size and the time in their name (not the file time), restored after the integrity check, and keep their verdict', async () => {
    const made = await ok('createBackup', {});
    const bare = made.file as string;
    rmSync(`${bare}.json`);
    // A copied folder has new file times: the time made is the one in the name.
    const fileTime = new Date('2025-07-09T12:34:56Z');
    utimesSync(bare, fileTime, fileTime);
    const dir = dirname(bare);
    // Not backups of this database: another name, another database's backup, a partial copy.
    writeFileSync(join(dir, 'notes.sqlite'), 'x');
    copyFileSync(bare, join(dir, 'other.20250709T120000Z.manual.sqlite'));
    copyFileSync(bare, `${bare.replace('.manual.sqlite', '-9.manual.sqlite')}.partial`);
    const withManifest = (await ok('createBackup', { reason: 'pre-purge' })).file as string;

    const list = await ok('listBackups', {});
    expect(list.dir).toBe(dir);
    expect(list.backups).toEqual([
      expect.objectContaining({ hasManifest: true, file: withManifest, reason: 'pre-purge', managedByRetention: true }),
      { hasManifest: false, file: bare, madeAt: '2025-07-10T23:00:00.000000Z', reason: 'manual', bytes: statSync(bare).size, lastVerification: null, managedByRetention: false },
    ]);
    // One key says when each was made: madeAt (no createdAt any more).
    const [first] = list.backups as { madeAt: string; createdAt?: string }[];
    expect(first!.madeAt).toMatch(/^2025-07-10T23:00:0\d\.\d{6}Z$/);
    expect(first).not.toHaveProperty('createdAt');

    // The database changes after the backup; the restore brings the backup's state back.
    const atBackup = contentsBesidesLog();
    putSettings(db, { 'backup.keep': 7 });
    expect(contentsBesidesLog()).not.toEqual(atBackup);
    const r = await ok('restoreBackup', { file: bare });
    expect(r).toMatchObject({ restoredFrom: bare, manifestChecked: false });
    expect(existsSync(r.safetyBackup)).toBe(true);
    expect(contentsBesidesLog()).toEqual(atBackup);
    const before = tableContents(db);
    expect((await ok('listBackups', {})).backups.find((b: { file: string }) => b.file === bare)).toMatchObject({ hasManifest: false, lastVerification: { stage: 'restore', ok: true, problem: null } });

    // A damaged one fails the integrity check: refused, the database unchanged, the failure listed.
    const bytes = readFileSync(bare);
    bytes.fill(0x41, 0, 100);
    writeFileSync(bare, bytes);
    expect(await dispatch('restoreBackup', { file: bare }, ctx)).toMatchObject({ ok: false, error: { code: 'data' } });
    expect(tableContents(db)).toEqual(before);
    expect((await ok('listBackups', {})).backups.find((b: { file: string }) => b.file === bare)).toMatchObject({ lastVerification: { ok: false, problem: expect.stringContaining('cannot be restored') } });
  });

  it('are left alone by retention, which counts the backups with a manifest', async () => {
    putSettings(db, { 'backup.keep_days': 0 });
    const bare = (await ok('createBackup', {})).file as string;
    rmSync(`${bare}.json`);
    const older = (await ok('createBackup', {})).file as string;
    const r = await ok('createBackup', { keep: 1 });
    // The older manual backup goes (keep 1; the newest of each reason stays); the file without a manifest stays.
    expect(r.deleted).toContain(older);
    expect(r.deleted).not.toContain(bare);
    expect(existsSync(bare)).toBe(true);
    expect((await listed()).find((b) => b.file === bare)).toMatchObject({ hasManifest: false, managedByRetention: false });
    // The pass says it left the files (this one and the first test's), to be deleted by hand.
    expect(r.warnings).toEqual([expect.stringMatching(/^retention left 2 backup files without a manifest in .*: retention never deletes them, so delete them by hand when no longer needed/)]);
  });

  it('a backup name is the database file name, the UTC stamp, an optional counter and a known reason', () => {
    expect(parseBackupName('portfolios.sqlite', 'portfolios.sqlite.20250709T120000Z.manual.sqlite')).toEqual({ reason: 'manual', madeAt: '2025-07-09T12:00:00.000000Z' });
    expect(parseBackupName('portfolios.sqlite', 'portfolios.sqlite.20250709T120000Z-3.pre-import.sqlite')).toEqual({ reason: 'pre-import', madeAt: '2025-07-09T12:00:00.000000Z' });
    expect(parseBackupName('portfolios.sqlite', 'portfolios.sqlite.20250709T120000Z.weekly.sqlite')).toBeNull();
    expect(parseBackupName('portfolios.sqlite', 'portfolios.sqlite2.20250709T120000Z.manual.sqlite')).toBeNull();
    expect(parseBackupName('portfolios.sqlite', 'portfolios.sqlite')).toBeNull();
    // The stem alone does not say which database: portfolios.sqlite, portfolios.db ...
    expect(parseBackupName('portfolios.sqlite', 'portfolios.20250709T120000Z.manual.sqlite')).toBeNull();
    expect(parseBackupName('portfolios.db', 'portfolios.sqlite.20250709T120000Z.manual.sqlite')).toBeNull();
    // A database without an extension: its file name is its stem.
    expect(parseBackupName('portfolios', 'portfolios.20250709T120000Z.manual.sqlite')).toEqual({ reason: 'manual', madeAt: '2025-07-09T12:00:00.000000Z' });
  });
});

describe('databases of the same stem sharing a backup folder (a.sqlite and a.db)', () => {
  it("each lists its own backups, with and without a manifest, and an older backup of its own with its manifest; neither the other's", async () => {
    const a = copyTo(seedDemoDb(SAFE_NOW), 'a.sqlite');
    const b = join(dirname(a), 'a.db');
    copyFileSync(a, b);
    const ctxA = testHostContext(a, SAFE_NOW, { reader: false });
    const ctxB = testHostContext(b, SAFE_NOW, { reader: false });
    const backupOf = async (c: HostContext, input: unknown): Promise<string> => (await dispatchOk(c, 'createBackup', input)).file as string;
    const filesOf = async (c: HostContext): Promise<{ file: string; hasManifest: boolean }[]> =>
      ((await dispatchOk(c, 'listBackups', {})).backups as { file: string; hasManifest: boolean }[]).map(({ file, hasManifest }) => ({ file, hasManifest }));

    // Made in the same second, into the same folder: each named after its own database file.
    const bareA = await backupOf(ctxA, {});
    const bareB = await backupOf(ctxB, {});
    expect([basename(bareA), basename(bareB)]).toEqual(['a.sqlite.20250710T230000Z.manual.sqlite', 'a.db.20250710T230000Z.manual.sqlite']);
    rmSync(`${bareA}.json`);
    rmSync(`${bareB}.json`);
    const withManifestA = await backupOf(ctxA, { reason: 'pre-purge' });
    const withManifestB = await backupOf(ctxB, { reason: 'pre-purge' });
    // Older backups named by the stem alone: with its manifest, the manifest says whose it is;
    // without one, it could be either database's, so it is neither's.
    const dir = dirname(bareA);
    const olderA = join(dir, 'a.20250709T120000Z.manual.sqlite');
    copyFileSync(withManifestA, olderA);
    writeFileSync(`${olderA}.json`, JSON.stringify({ ...JSON.parse(readFileSync(`${withManifestA}.json`, 'utf8')), file: basename(olderA), created_at: '2025-07-09T12:00:00.000000Z' }));
    copyFileSync(bareA, join(dir, 'a.20250708T120000Z.manual.sqlite'));

    expect(await filesOf(ctxA)).toEqual([
      { file: withManifestA, hasManifest: true },
      { file: bareA, hasManifest: false },
      { file: olderA, hasManifest: true },
    ]);
    expect(await filesOf(ctxB)).toEqual([
      { file: withManifestB, hasManifest: true },
      { file: bareB, hasManifest: false },
    ]);
  });
});
