/**
 * Backup retention (SPEC.md j.2), a pure function over the list of existing backups.
 *
 * After each successful backup, keep:
 *   - the newest `keep` backups (default 10);
 *   - every backup younger than `keepDays` days (default 30);
 *   - the newest backup of each reason (manual, pre-purge, pre-rebuild, ...).
 * Every other backup is deleted (with its manifest). Ties on the creation time are broken by
 * file name so the result never depends on input order.
 *
 * The same pass removes the partial copies (`<destination>.partial`, j.1) of backups that were
 * stopped while writing them (killed, crashed, the machine went down): judgePartialBackup says
 * which of them nothing writes any more.
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

/**
 * How long a partial copy whose writer cannot be checked (no record of it: an older batchdesk,
 * or a backup on another machine sharing the folder) must stay unchanged before it counts as
 * abandoned. A live backup leaves its partial copy untouched only while it verifies the copy and
 * hashes it, seconds to minutes even for a large database, so a day never takes a live one.
 */
export const UNCHECKED_PARTIAL_ABANDONED_AFTER_MS = DAY_MS;

/** A partial backup copy as found on disk. */
export interface PartialBackupFacts {
  /** Epoch ms of the newest change to its files (the file system's clock). */
  readonly lastWrittenMs: number;
  /** The process that recorded itself as writing it; null when there is no record. */
  readonly writer: { readonly host: string; readonly pid: number } | null;
}

/** The process judging: its machine, the file system's time now, and whether a pid of its machine runs. */
export interface PartialBackupObserver {
  readonly host: string;
  readonly nowMs: number;
  isPidAlive(pid: number): boolean;
}

/**
 * Whether a partial copy may be removed:
 *   - `writing`: its writer, on this machine, still runs (a pid reused by another program keeps
 *     it too: keeping a dead copy is the safe mistake);
 *   - `abandoned`: its writer on this machine is gone (`writer-stopped`), or, when its writer
 *     cannot be checked, nothing changed it for UNCHECKED_PARTIAL_ABANDONED_AFTER_MS (`unchanged`);
 *   - `unconfirmed`: its writer cannot be checked and it changed more recently: kept until
 *     `removableFromMs`.
 */
export type PartialBackupVerdict =
  | { readonly state: 'writing'; readonly pid: number }
  | { readonly state: 'abandoned'; readonly because: 'writer-stopped'; readonly pid: number }
  | { readonly state: 'abandoned'; readonly because: 'unchanged' }
  | { readonly state: 'unconfirmed'; readonly removableFromMs: number };

export function judgePartialBackup(partial: PartialBackupFacts, here: PartialBackupObserver): PartialBackupVerdict {
  const { writer } = partial;
  if (writer !== null && writer.host === here.host) return here.isPidAlive(writer.pid) ? { state: 'writing', pid: writer.pid } : { state: 'abandoned', because: 'writer-stopped', pid: writer.pid };
  const removableFromMs = partial.lastWrittenMs + UNCHECKED_PARTIAL_ABANDONED_AFTER_MS;
  return here.nowMs >= removableFromMs ? { state: 'abandoned', because: 'unchanged' } : { state: 'unconfirmed', removableFromMs };
}
