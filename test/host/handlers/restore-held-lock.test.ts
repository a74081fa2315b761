/**
 * Restore while another process holds the database's lock (SPEC.md j.3 step 2) is refused
 * before the backup is verified: no seconds of checksum and integrity checks for a restore that
 * cannot happen, no `verify` step shown, and no verdict beside the backup, whose Backups row
 * would otherwise say "checked again at restore" for a restore that never happened. A passed
 * check is recorded only for a restore that replaced the database; a failed one always is.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../../core/api/telemetry-events';
import { dispatch } from '../../../host/dispatcher';
import { verificationPathOf } from '../../../host/maintenance/backup-verification';
import { restoreBackup } from '../../../host/maintenance/restore';
import { systemClock } from '../../../host/system-ports';
import { dispatchOk, testHostContext } from '../../support/app/host-context';
import { seedDemoDb } from '../../support/demo-db';
import { copyTo, holdLockInChild, SAFE_NOW } from '../../support/safeguards';

describe('restore with the lock held by another process', () => {
  it('is refused before the verification, and records no check of the backup', async () => {
    const db = copyTo(seedDemoDb(SAFE_NOW));
    const ctx = testHostContext(db, SAFE_NOW, { reader: false });
    const backup = (await dispatchOk(ctx, 'createBackup', {})).file as string;
    const steps: unknown[] = [];
    ctx.bus.subscribe((e: TelemetryEvent) => {
      if (e.event === 'metric' && e.payload.name === 'restore_step') steps.push(e.payload.tags['step']);
    });
    const holder = await holdLockInChild(db);
    try {
      const r = await dispatch('restoreBackup', { file: backup }, ctx);
      expect(!r.ok && r.error).toMatchObject({ code: 'locked', message: expect.stringMatching(/^the database is locked by another run \(cli pid \d+ on /) });
      expect(steps).toEqual([]);
      expect(existsSync(verificationPathOf(backup))).toBe(false);
      const listed = ((await dispatchOk(ctx, 'listBackups', {})).backups as { file: string; lastVerification: unknown }[]).find((b) => b.file === backup);
      expect(listed).toMatchObject({ lastVerification: null });
    } finally {
      await holder.stop();
    }
  });

  it('a restore stopped after the check records no pass; one that replaced the database does', async () => {
    const db = copyTo(seedDemoDb(SAFE_NOW));
    const ctx = testHostContext(db, SAFE_NOW, { reader: false });
    const backup = (await dispatchOk(ctx, 'createBackup', {})).file as string;
    const stopped = new AbortController();
    stopped.abort();
    const clock = systemClock({ BATCHDESK_NOW: SAFE_NOW });
    await expect(restoreBackup({ dbPath: db, file: backup, safetyBackup: false, holder: 'cli', signal: stopped.signal }, clock)).rejects.toMatchObject({ code: 'cancelled' });
    expect(existsSync(verificationPathOf(backup))).toBe(false);
    await restoreBackup({ dbPath: db, file: backup, safetyBackup: false, holder: 'cli' }, clock);
    expect(existsSync(verificationPathOf(backup))).toBe(true);
  });
});
