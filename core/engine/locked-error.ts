/**
 * The refusal of a run or a maintenance operation because another one holds the database's
 * run lock (SPEC.md g.9, m.16; exit code 3). It names the holder: what it is doing, who and
 * where, since when, and for a run its batch run id, the id `history` shows and
 * `run --resume` accepts.
 */
import { BatchdeskError } from '../api/errors';
import type { LockRecord } from '../ports/store';

export function lockedError(holder: LockRecord): BatchdeskError {
  if (holder.pid === 0) {
    // SQLITE_BUSY while taking the lock: another connection holds SQLite's write lock (m.16).
    return new BatchdeskError('locked', 'the database is locked: another process is writing to it (a run, an import or a maintenance operation); try again when it has finished', { holder });
  }
  const run = holder.kind === 'run' ? `, run ${holder.batchRunId ?? holder.runId ?? 'n/a'}` : '';
  return new BatchdeskError(
    'locked',
    `the database is locked by another ${holder.kind} (${holder.holder} pid ${holder.pid} on ${holder.host}${run}, since ${holder.acquiredAt}, last heartbeat ${holder.heartbeatAt}); wait for it to finish or stop it with \`batchdesk cancel\``,
    { holder },
  );
}
