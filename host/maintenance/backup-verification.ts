/**
 * The latest check of a backup after it was made. A backup is verified when it is written
 * (its manifest keeps that result, SPEC.md j.1), and restore verifies the file again before
 * using it (j.3 step 1: checksum, integrity_check, foreign_key_check, migrations). Restore
 * keeps that verdict next to the backup, in `<backup>.verification.json`, so the Backups list
 * shows whether the file still passes, not only what its manifest said when it was made.
 *
 * The verdict lives beside the file it is about, not in maintenance_log: a backup that fails
 * the check is bad input, which leaves the database unchanged (m.22), and the file can be
 * restored into another database. It is written, replaced and deleted with the backup.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { formatTimestamp } from '../../core/domain/timestamp';
import { databaseOverwriteReason } from '../../db/maintenance/database-paths';
import { readJsonRecord } from '../../db/maintenance/backup-manifest';

export const BACKUP_VERIFICATION_SCHEMA = 'batchdesk.backup-verification/1';

export const backupVerificationSchema = z.object({
  schema: z.literal(BACKUP_VERIFICATION_SCHEMA),
  checked_at: z.string(),
  /** The step that checked the file; only restore checks a backup after it was made. */
  stage: z.literal('restore'),
  ok: z.boolean(),
  /** Why the check failed, as restore reported it; null when it passed. */
  problem: z.string().nullable(),
});

export type BackupVerification = z.infer<typeof backupVerificationSchema>;

export const verificationPathOf = (backupFile: string): string => `${backupFile}.verification.json`;

/**
 * Records the verdict of a check of `backupFile` at `epochMs`. Best effort: a folder that
 * cannot be written loses the record, never the check's own outcome. The verdict file is
 * written to a temporary name and renamed, and never where a database (or one of
 * `protectedDatabases`) is: a crafted backup path cannot make it overwrite one.
 */
export function recordVerification(backupFile: string, epochMs: number, problem: string | null, protectedDatabases: readonly string[]): void {
  const v: BackupVerification = { schema: BACKUP_VERIFICATION_SCHEMA, checked_at: formatTimestamp(epochMs), stage: 'restore', ok: problem === null, problem };
  const target = verificationPathOf(backupFile);
  const partial = `${target}.partial`;
  try {
    if (databaseOverwriteReason(target, protectedDatabases) !== null || databaseOverwriteReason(partial, protectedDatabases) !== null) return;
    rmSync(partial, { force: true });
    writeFileSync(partial, `${JSON.stringify(v, null, 2)}\n`, { flag: 'wx' });
    renameSync(partial, target);
  } catch {
    // the backup's folder may be read-only or gone; the restore reports its own result
    rmSync(partial, { force: true });
  }
}

/** The latest recorded check of a backup: null when there is none or it does not parse (readJsonRecord). */
export function readVerification(backupFile: string): BackupVerification | null {
  return readJsonRecord(verificationPathOf(backupFile), backupVerificationSchema);
}
