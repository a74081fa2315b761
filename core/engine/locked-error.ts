/**
 * The refusal of a run or a maintenance operation because another one holds the database's
 * run lock (SPEC.md g.9, m.16; exit code 3). It names the holder: what it is doing, who and
 * where, since when, and for a run its batch run id, the id `history` shows and
 * `run --resume` accepts; and what to do: wait, or for a run or rebuild, `batchdesk cancel`, or
 * for a purge, restore or import the CLI runs, Ctrl-C in its terminal.
 * A host that names the database in the commands it advises (the CLI's ` --db PATH` when the user
 * chose one) passes that as `commandSuffix`, so the advice stops the holder of the same file.
 */
import { BatchdeskError } from '../api/errors';
import type { LockKind, LockRecord } from '../ports/store';

/** What a holder of each kind is, in the words of a message: its kind, and seed-demo by its command. */
export function lockKindWords(kind: LockKind): string {
  return kind === 'seed' ? 'seed-demo' : kind;
}

/**
 * The lock holders `batchdesk cancel` can stop (g.10): a run, and a rebuild (its backfill checks
 * the request at each portfolio-date). A purge, restore or import never looks at the request; it
 * releases the lock when it ends (see stopsOnCtrlC for what still stops it).
 */
export function isCancellable(kind: LockKind): boolean {
  return kind === 'run' || kind === 'rebuild';
}

/**
 * Whether a holder `batchdesk cancel` cannot stop still stops on Ctrl-C in its own terminal: a
 * purge, restore or import the CLI runs watches its SIGINT (it stops at a step boundary, or
 * between the batches of an import's write, with nothing changed). The app's and `serve`'s do not,
 * nor does seed-demo: it writes in one synchronous transaction, which no signal interrupts.
 */
export function stopsOnCtrlC(holder: Pick<LockRecord, 'kind' | 'holder'>): boolean {
  return !isCancellable(holder.kind) && holder.kind !== 'seed' && holder.holder === 'cli';
}

/** What a refused caller can do about `holder`: wait, and stop it where it can be stopped. */
function waysOut(holder: LockRecord, commandSuffix: string): string {
  if (isCancellable(holder.kind)) return `wait for it to finish or stop it with \`batchdesk cancel${commandSuffix}\``;
  if (stopsOnCtrlC(holder)) return `wait for it to finish, or stop it with Ctrl-C in the terminal running it (pid ${holder.pid}); it cannot be cancelled from elsewhere`;
  return 'wait for it to finish (it cannot be cancelled)';
}

export function lockedError(holder: LockRecord, commandSuffix = ''): BatchdeskError {
  if (holder.pid === 0) {
    // SQLITE_BUSY while taking the lock: another connection holds SQLite's write lock (m.16).
    return new BatchdeskError('locked', 'the database is locked: another process is writing to it (a run, an import or a maintenance operation); try again when it has finished', { holder });
  }
  const run = holder.kind === 'run' ? `, run ${holder.batchRunId ?? holder.runId ?? 'n/a'}` : '';
  return new BatchdeskError(
    'locked',
    `the database is locked by another ${lockKindWords(holder.kind)} (${holder.holder} pid ${holder.pid} on ${holder.host}${run}, since ${holder.acquiredAt}, last heartbeat ${holder.heartbeatAt}); ${waysOut(holder, commandSuffix)}`,
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
