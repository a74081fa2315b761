/**
 * How a listed backup was checked, in the words the app's Backups list and `batchdesk backup
 * list` both show, written once: what was checked when it was made (every backup with a
 * manifest passed SPEC.md j.1 steps 1-4; a mid-run image skips the row-count comparison), or
 * that it has no manifest (restore then has no checksum to compare and checks the file's
 * integrity first, j.3), and the latest check of the file since, by restore: a failure, with
 * its reason, replaces the rest. Each host formats the times its own way.
 */
import type { ListedBackupView } from './commands/maintenance-commands';

export function backupCheckText(b: ListedBackupView, time: (timestamp: string) => string): string {
  const v = b.lastVerification;
  if (v && !v.ok) return `failed at ${v.stage} on ${time(v.checkedAt)}: ${v.problem ?? 'no reason recorded'}`;
  const made = !b.hasManifest ? 'no manifest: restore checks integrity first' : b.rowCountsVerified ? 'yes' : 'yes, a mid-run image (row counts not compared)';
  return v ? `${made}; ${b.hasManifest ? 'checked again' : 'passed'} at ${v.stage} on ${time(v.checkedAt)}` : made;
}
