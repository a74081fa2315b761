/**
 * The refusal of a run or a maintenance operation because another one holds the database's
 * run lock (SPEC.md g.9, m.16; exit code 3). It names the holder: what it is doing, who and
 * where, since when, and for a run its batch run id, the id `history` shows and
 * `run --resume` accepts; and what to do: wait, or for a run or rebuild, `batchdesk cancel`.
 */
import { BatchdeskError } from '../api/errors';
import type { LockKind, LockRecord } from '../ports/store';

/**
 * The lock holders `batchdesk cancel` can stop (g.10): a run, and a rebuild (its backfill checks
 * the request at each portfolio-date). A purge, restore or import works in one go and releases
 * the lock when it ends; nothing interrupts it part-way.
 */
export function isCancellable(kind: LockKind): boolean {
  return kind === 'run' || kind === 'rebuild';
}

export function lockedError(holder: LockRecord): BatchdeskError {
  if (holder.pid === 0) {
    // SQLITE_BUSY while taking the lock: another connection holds SQLite's write lock (m.16).
    return new BatchdeskError('locked', 'the database is locked: another process is writing to it (a run, an import or a maintenance operation); try again when it has finished', { holder });
  }
  const run = holder.kind === 'run' ? `, run ${holder.batchRunId ?? holder.runId ?? 'n/a'}` : '';
  return new BatchdeskError(
    'locked',
    `the database is locked by another ${holder.kind} (${holder.holder} pid ${holder.pid} on ${holder.host}${run}, since ${holder.acquiredAt}, last heartbeat ${holder.heartbeatAt}); ${isCancellable(holder.kind) ? 'wait for it to finish or stop it with `batchdesk cancel`' : 'wait for it to finish (it cannot be cancelled)'}`,
    { holder },
  );
}
