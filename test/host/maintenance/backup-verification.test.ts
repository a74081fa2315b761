/**
 * The latest verification of a backup (SPEC.md j.1, j.3): restore checks a backup again and
 * keeps the verdict beside it, so listBackups (the app's Backups table) shows a file that
 * failed that check as failed, with the reason, instead of its manifest's "verified" from
 * when it was made. A failed check leaves the database unchanged (m.22).
 */
import { existsSync, lstatSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../host/dispatcher';
import type { HostContext } from '../../../host/handler-types';
import { verificationPathOf } from '../../../host/maintenance/backup-verification';
import { tempDir } from '../../support/cli';
import { tableContents } from '../../support/db-content';
import { seedDemoDb } from '../../support/demo-db';
import { dispatchOk, testHostContext } from '../../support/app/host-context';
import { copyTo, SAFE_NOW } from '../../support/safeguards';

let db = '';
let ctx: HostContext;
beforeAll(() => {
  db = copyTo(seedDemoDb(SAFE_NOW));
  ctx = testHostContext(db, SAFE_NOW, { reader: false });
}, 120_000);

const ok = (name: string, input: unknown) => dispatchOk(ctx, name, input);

const listed = async (file: string) => ((await ok('listBackups', {})).backups as { file: string; rowCountsVerified: boolean; lastVerification: unknown }[]).find((b) => b.file === file);

describe('backup verification at restore', () => {
  it('a backup that fails the check at restore is listed as failed, with the reason; one that passes as checked', async () => {
    const bad = (await ok('createBackup', {})).file as string;
    const good = (await ok('createBackup', {})).file as string;
    expect(await listed(bad)).toMatchObject({ rowCountsVerified: true, lastVerification: null });

    const bytes = readFileSync(bad);
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
    writeFileSync(bad, bytes);
    const before = tableContents(db);
    const refused = await dispatch('restoreBackup', { file: bad }, ctx);
    expect(refused).toMatchObject({ ok: false, error: { code: 'data' } });
    expect(tableContents(db)).toEqual(before);
    expect(await listed(bad)).toMatchObject({
      rowCountsVerified: true,
      lastVerification: { stage: 'restore', ok: false, checkedAt: expect.stringMatching(/^2025-07-10T23:00:0\d\.\d{6}Z$/), problem: expect.stringMatching(/is corrupt: its SHA-256 .* differs from the manifest/) },
    });

    await ok('restoreBackup', { file: good });
    expect(await listed(good)).toMatchObject({ lastVerification: { stage: 'restore', ok: true, problem: null } });
    // The failed verdict stays with the file it is about.
    expect(await listed(bad)).toMatchObject({ lastVerification: { ok: false } });
  });

  it('a new backup does not inherit the verdict left at its name by a deleted backup', async () => {
    const out = join(tempDir(), 'named.sqlite');
    writeFileSync(verificationPathOf(out), JSON.stringify({ schema: 'batchdesk.backup-verification/1', checked_at: '2025-07-01T00:00:00.000000Z', stage: 'restore', ok: false, problem: 'old' }));
    await ok('createBackup', { out });
    expect(existsSync(out)).toBe(true);
    expect(existsSync(verificationPathOf(out))).toBe(false);
  });

  it('a file without a manifest gets no verdict file (it is not a listed backup)', async () => {
    const bare = join(tempDir(), 'bare.sqlite');
    writeFileSync(bare, 'not a database at all, and no manifest beside it');
    expect(await dispatch('restoreBackup', { file: bare }, ctx)).toMatchObject({ ok: false, error: { code: 'data' } });
    expect(existsSync(verificationPathOf(bare))).toBe(false);
  });

  it('never writes its verdict through a link to a database', async () => {
    const file = (await ok('createBackup', {})).file as string;
    const bytes = readFileSync(file);
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
    writeFileSync(file, bytes);
    symlinkSync(db, verificationPathOf(file));
    const before = readFileSync(db);
    expect(await dispatch('restoreBackup', { file }, ctx)).toMatchObject({ ok: false, error: { code: 'data' } });
    expect(readFileSync(db).equals(before)).toBe(true);
    expect(lstatSync(verificationPathOf(file)).isSymbolicLink()).toBe(true);
  });
});
