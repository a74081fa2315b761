/**
 * A run that another live process is doing on the database (SPEC.md g.9, g.10, i.5): the app's
 * Live screen shows it while its own engine is idle, and can ask it to stop as `batchdesk
 * cancel` does (requestCancel with its run id). Its progress is `history --running`'s (runningReport), read in one snapshot
 * with the lock row.
 */
import type { OtherProcessRun } from '../core/api/commands/run-commands';
import { formatTimestamp } from '../core/domain/timestamp';
import type { LockRecord } from '../core/ports/store';
import { createEngineStore } from '../db/engine-store';
import type { SqliteDatabase } from '../db/open-database';
import { runningReport, type LockStaleness } from './diagnostics/history-report';

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
