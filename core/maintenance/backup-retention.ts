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

/**
 * When a partial copy's writer started, as its machine tells processes apart, so that a pid the
 * system gave to another program (after a restart, or once pids wrapped around) does not keep a
 * dead copy "being written". Records of older batchdesk versions have none.
 */
export interface WriterStart {
  /** The boot of the machine (Linux's boot_id); null where the system has none. */
  readonly bootId: string | null;
  /** Epoch ms the machine booted, by the writer's clock: tells boots apart where there is no boot id. */
  readonly bootedAtMs: number;
  /** The process's start in clock ticks since boot (Linux); null where it cannot be read. */
  readonly ticks: number | null;
}

/**
 * How much later the judge's boot time may be than the one its writer recorded before the machine
 * counts as restarted, where there is no boot id: boot times come from the wall clock less the
 * uptime, which a clock adjustment moves; a restart moves them by the whole time the machine was up.
 */
export const BOOT_TIME_SLACK_MS = 10 * 60_000;

/** A partial backup copy as found on disk. */
export interface PartialBackupFacts {
  /** Epoch ms of the newest change to its files (the file system's clock). */
  readonly lastWrittenMs: number;
  /** The process that recorded itself as writing it; null when there is no record. */
  readonly writer: { readonly host: string; readonly pid: number; readonly start?: WriterStart } | null;
}

/**
 * The process judging: its machine and that machine's boot, the file system's time now, whether a
 * pid of its machine runs, and when it started (clock ticks since boot; null when unknown).
 */
export interface PartialBackupObserver {
  readonly host: string;
  readonly nowMs: number;
  readonly boot: Pick<WriterStart, 'bootId' | 'bootedAtMs'>;
  isPidAlive(pid: number): boolean;
  processStartTicks(pid: number): number | null;
}

/**
 * Whether a partial copy may be removed:
 *   - `writing`: its writer, on this machine, still runs: its pid runs and, when the record says
 *     when the writer started, the process of that pid is the writer (a record without it, of an
 *     older batchdesk, is kept whenever the pid runs: keeping a dead copy is the safe mistake);
 *   - `abandoned`: its writer on this machine is gone (`writer-stopped`; `machine-restarted` or
 *     `pid-reused` when its pid now runs another program), or, when its writer cannot be checked,
 *     nothing changed it for UNCHECKED_PARTIAL_ABANDONED_AFTER_MS (`unchanged`);
 *   - `unconfirmed`: its writer cannot be checked and it changed more recently: kept until
 *     `removableFromMs`.
 */
export type PartialBackupVerdict =
  | { readonly state: 'writing'; readonly pid: number }
  | { readonly state: 'abandoned'; readonly because: 'writer-stopped' | 'machine-restarted' | 'pid-reused'; readonly pid: number }
  | { readonly state: 'abandoned'; readonly because: 'unchanged' }
  | { readonly state: 'unconfirmed'; readonly removableFromMs: number };

/**
 * Why the running process with the writer's pid is not the writer (the machine restarted since
 * the writer started, or the pid started at another time), or null when it may be. A boot id
 * decides the restart where both sides have one, else the boot times (BOOT_TIME_SLACK_MS); start
 * ticks count only within one boot.
 */
function pidTakenOver(start: WriterStart, pid: number, here: PartialBackupObserver): 'machine-restarted' | 'pid-reused' | null {
  const restarted = start.bootId !== null && here.boot.bootId !== null ? start.bootId !== here.boot.bootId : here.boot.bootedAtMs - start.bootedAtMs > BOOT_TIME_SLACK_MS;
  if (restarted) return 'machine-restarted';
  const ticks = start.ticks === null ? null : here.processStartTicks(pid);
  return ticks !== null && ticks !== start.ticks ? 'pid-reused' : null;
}

/** Whether a partial copy may be removed (PartialBackupVerdict), from what is on disk and who judges. */
export function judgePartialBackup(partial: PartialBackupFacts, here: PartialBackupObserver): PartialBackupVerdict {
  const { writer } = partial;
  if (writer !== null && writer.host === here.host) {
    if (!here.isPidAlive(writer.pid)) return { state: 'abandoned', because: 'writer-stopped', pid: writer.pid };
    const takenOver = writer.start ? pidTakenOver(writer.start, writer.pid, here) : null;
    return takenOver === null ? { state: 'writing', pid: writer.pid } : { state: 'abandoned', because: takenOver, pid: writer.pid };
  }
  const removableFromMs = partial.lastWrittenMs + UNCHECKED_PARTIAL_ABANDONED_AFTER_MS;
  return here.nowMs >= removableFromMs ? { state: 'abandoned', because: 'unchanged' } : { state: 'unconfirmed', removableFromMs };
}
