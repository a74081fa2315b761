/**
 * The refusal of a run or a maintenance operation because another one holds the database's
 * run lock (SPEC.md g.9, m.16; exit code 3). It names the holder: what it is doing, who and
 * where, since when, and for a run its batch run id, the id `history` shows and
 * `run --resume` accepts; and what to do: wait, or for a run or rebuild, `batchdesk cancel`.
 * A host that names the database in the commands it advises (the CLI's ` --db PATH` when the user
 * chose one) passes that as `commandSuffix`, so the advice stops the holder of the same file.
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

export function lockedError(holder: LockRecord, commandSuffix = ''): BatchdeskError {
  if (holder.pid === 0) {
    // SQLITE_BUSY while taking the lock: another connection holds SQLite's write lock (m.16).
    return new BatchdeskError('locked', 'the database is locked: another process is writing to it (a run, an import or a maintenance operation); try again when it has finished', { holder });
  }
  const run = holder.kind === 'run' ? `, run ${holder.batchRunId ?? holder.runId ?? 'n/a'}` : '';
  return new BatchdeskError(
    'locked',
    `the database is locked by another ${holder.kind} (${holder.holder} pid ${holder.pid} on ${holder.host}${run}, since ${holder.acquiredAt}, last heartbeat ${holder.heartbeatAt}); ${isCancellable(holder.kind) ? `wait for it to finish or stop it with \`batchdesk cancel${commandSuffix}\`` : 'wait for it to finish (it cannot be cancelled)'}`,
    { holder },
  );
}

/**
 * A lock refusal built by lockedError, again with `commandSuffix` in the command it advises: for
 * a host that learns where the database came from only after the refusal was made (the CLI adds
 * its ` --db PATH` where it reports errors). Any other error is returned as it is.
 */
export function withLockAdvice(err: unknown, commandSuffix: string): unknown {
  if (!(err instanceof BatchdeskError) || err.code !== 'locked') return err;
  const holder = (err.details as { holder?: LockRecord } | undefined)?.holder;
  return holder && typeof holder === 'object' && typeof holder.kind === 'string' ? lockedError(holder, commandSuffix) : err;
}
