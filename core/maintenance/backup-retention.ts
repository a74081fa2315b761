/**
 * Backup retention (SPEC.md j.2), a pure function over the list of existing backups.
 *
 * After each successful backup, keep:
 *   - the newest `keep` backups (default 10);
 *   - every backup younger than `keepDays` days (default 30);
 *   - the newest backup of each reason (manual, pre-purge, pre-rebuild, ...).
 * Every other backup is deleted (with its manifest). Ties on the creation time are broken by
 * file name so the result never depends on input order.
 */

export interface BackupEntry {
  readonly file: string;
  /** Epoch ms of the backup's creation (from its manifest). */
  readonly createdMs: number;
  readonly reason: string;
}

export interface RetentionPolicy {
  readonly keep: number;
  readonly keepDays: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { keep: 10, keepDays: 30 };

export interface RetentionDecision {
  readonly keep: readonly BackupEntry[];
  readonly delete: readonly BackupEntry[];
  /** Why each kept file is kept (first matching rule). */
  readonly why: Readonly<Record<string, 'newest' | 'young' | 'newest_of_reason'>>;
}

const DAY_MS = 86_400_000;

export function applyRetention(backups: readonly BackupEntry[], nowMs: number, policy: RetentionPolicy = DEFAULT_RETENTION): RetentionDecision {
  const sorted = [...backups].sort((a, b) => b.createdMs - a.createdMs || (a.file < b.file ? 1 : a.file > b.file ? -1 : 0));
  const why: Record<string, 'newest' | 'young' | 'newest_of_reason'> = {};
  sorted.slice(0, Math.max(0, policy.keep)).forEach((b) => (why[b.file] = 'newest'));
  // keepDays 0 turns the age rule off (also for backups stamped slightly after `now` by another clock).
  if (policy.keepDays > 0) for (const b of sorted) if (!why[b.file] && nowMs - b.createdMs < policy.keepDays * DAY_MS) why[b.file] = 'young';
  const seenReason = new Set<string>();
  for (const b of sorted) {
    if (seenReason.has(b.reason)) continue;
    seenReason.add(b.reason);
    if (!why[b.file]) why[b.file] = 'newest_of_reason';
  }
  return { keep: sorted.filter((b) => why[b.file]), delete: sorted.filter((b) => !why[b.file]), why };
}
