/**
 * A run that another live process is doing on the database (SPEC.md g.9, g.10, i.5): the app's
 * Live screen shows it while its own engine is idle, and can ask it to stop as `batchdesk
 * cancel` does. Its progress is `history --running`'s (runningReport), read in one snapshot
 * with the lock row.
 */
import type { OtherProcessRun } from '../core/api/commands/run-commands';
import { formatTimestamp } from '../core/domain/timestamp';
import type { LockRecord } from '../core/ports/store';
import { createEngineStore } from '../db/engine-store';
import type { SqliteDatabase } from '../db/open-database';
import { runningReport, type LockStaleness } from './diagnostics/history-report';
import type { OpenedDatabase } from './engine-host';

/** This process, as a lock row names its holder. */
export interface ProcessIdentity {
  readonly host: string;
  readonly pid: number;
}

/**
 * The lock row when it is a run's, held by a live process other than `me`; null for a free or
 * stale lock, this process's own run (the app's run threads share its pid) or a maintenance
 * operation (rebuild, purge, restore, import).
 */
function otherProcessLock(lock: LockRecord | null, isStale: LockStaleness, me: ProcessIdentity): (LockRecord & { readonly runId: string }) | null {
  if (!lock || lock.kind !== 'run' || lock.runId === null || isStale(lock)) return null;
  if (lock.host === me.host && lock.pid === me.pid) return null;
  return { ...lock, runId: lock.runId };
}

export function otherProcessRun(db: SqliteDatabase, isStale: LockStaleness, me: ProcessIdentity): OtherProcessRun | null {
  // One read transaction: the lock row and the progress belong to the same moment.
  return db.transaction((): OtherProcessRun | null => {
    const lock = otherProcessLock(createEngineStore(db).readLock(), isStale, me);
    if (!lock) return null;
    const report = runningReport(db, isStale);
    const run = report.run?.id === lock.runId ? report.run : null;
    return {
      runId: lock.runId,
      batchRunId: run?.batchRunId ?? null,
      mode: run?.mode ?? null,
      holder: lock.holder,
      host: lock.host,
      pid: lock.pid,
      startedAt: run?.startedAt ?? lock.acquiredAt,
      heartbeatAt: lock.heartbeatAt,
      datesPlanned: run?.datesPlanned ?? null,
      datesDone: run?.datesCompleted ?? 0,
      datesFailed: run?.datesFailed ?? 0,
      currentDate: report.openDates[report.openDates.length - 1] ?? null,
      cancelRequested: lock.cancelRequested,
    };
  })();
}

/** How long a cancel keeps trying to write its request while the run holds the write lock. */
const CANCEL_WRITE_WAIT_MS = 10_000;

const isBusy = (err: unknown): boolean => (err as { code?: string } | null)?.code === 'SQLITE_BUSY';
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Asks the run `runId` of another process to stop after its current portfolio-date: the request
 * `batchdesk cancel` makes (run_lock.cancel_requested, which the engine checks at every
 * portfolio-date boundary). One conditional statement, so a run that ended meanwhile, or the
 * next run that took the lock, is never asked. The running engine holds the write lock for
 * each whole portfolio-date and frees it only briefly in between, which SQLite's busy wait
 * (sleeping up to 100 ms between tries, blocking this thread) easily misses: the statement is
 * tried without a busy wait, every millisecond, for up to CANCEL_WRITE_WAIT_MS.
 */
export async function cancelOtherProcessRun(opened: OpenedDatabase, runId: string, isStale: LockStaleness, me: ProcessIdentity, nowMs: number): Promise<{ requested: boolean; message: string }> {
  const lock = otherProcessLock(opened.store.readLock(), isStale, me);
  const refused = { requested: false, message: 'that run no longer holds this database; nothing to cancel' };
  if (!lock || lock.runId !== runId) return refused;
  opened.db.pragma('busy_timeout = 0');
  const request = opened.db.prepare(`UPDATE run_lock SET cancel_requested = 1, cancel_requested_at = ? WHERE id = 1 AND run_id = ?`);
  const until = Date.now() + CANCEL_WRITE_WAIT_MS;
  for (;;) {
    try {
      if (request.run(formatTimestamp(nowMs), runId).changes === 0) return refused;
      return { requested: true, message: `cancel requested; the run (pid ${lock.pid} on ${lock.host}) stops after its current portfolio-date` };
    } catch (err) {
      if (!isBusy(err) || Date.now() > until) throw err;
      await pause(1);
    }
  }
}
