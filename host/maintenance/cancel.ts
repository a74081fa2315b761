/**
 * Cross-process cancel (SPEC.md g.10): sets run_lock.cancel_requested; the running engine
 * checks it at every portfolio-date boundary. A holder that is already gone (stale, m.17) has
 * its lock released at once. With force, a holder on this host that has not let go within the
 * wait is treated as stale: its run is marked interrupted and the lock freed. With a run id, only
 * that run is asked (the app's Live screen names the run it shows): a run that ended meanwhile,
 * or the next one that took the lock, is left alone. A purge, restore or import holding the lock
 * cannot be stopped part-way: it is not asked, and force does not take its lock while it lives.
 *
 * A running engine holds the write lock for each whole date and frees it only briefly in
 * between, which SQLite's busy wait (sleeping up to 100 ms between tries, blocking the thread)
 * often misses until its timeout: the request is written without a busy wait, tried every
 * millisecond for up to WRITE_WAIT_MS, without blocking the thread.
 */
import { formatTimestamp } from '../../core/domain/timestamp';
import type { Clock } from '../../core/ports/clock';
import type { LockRecord } from '../../core/ports/store';
import { isCancellable } from '../../core/engine/locked-error';
import type { OpenedDatabase } from '../engine-host';
import { engineHost } from '../engine-host';
import { staleJudge } from './maintenance-lock';

export interface CancelResult {
  readonly requested: boolean;
  readonly holder: LockRecord | null;
  /** The lock was released within the wait (the run stopped). */
  readonly stopped: boolean;
  /** force: the holder did not respond and its lock was taken away. */
  readonly forced: boolean;
  readonly message: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long a cancel keeps trying to write while the run holds the write lock. */
const WRITE_WAIT_MS = 10_000;

const isBusy = (err: unknown): boolean => (err as { code?: string } | null)?.code === 'SQLITE_BUSY';

/** `write` on `opened`, retried every millisecond while another connection holds the write lock. */
async function writeWhenFree<T>(opened: OpenedDatabase, write: () => T): Promise<T> {
  const busyTimeout = opened.db.pragma('busy_timeout', { simple: true }) as number;
  opened.db.pragma('busy_timeout = 0');
  try {
    const until = Date.now() + WRITE_WAIT_MS;
    for (;;) {
      try {
        return write();
      } catch (err) {
        if (!isBusy(err) || Date.now() > until) throw err;
        await sleep(1);
      }
    }
  } finally {
    opened.db.pragma(`busy_timeout = ${busyTimeout}`);
  }
}

/** `args.commandSuffix` is appended to the command a message advises (the CLI's ` --db PATH`, advisedDbFlag). */
export async function cancelRun(opened: OpenedDatabase, args: { force: boolean; waitMs: number; runId?: string; commandSuffix?: string }, clock: Clock): Promise<CancelResult> {
  const holder = opened.store.readLock();
  if (!holder) return { requested: false, holder: null, stopped: false, forced: false, message: 'no batch or maintenance operation holds the lock on this database; nothing to cancel' };
  // Named as `history` names it: a run by its batch run id, a maintenance operation by its lock id.
  const heldBy = holder.batchRunId ?? holder.runId ?? 'n/a';
  const notThatRun: CancelResult = { requested: false, holder, stopped: false, forced: false, message: `run ${args.runId ?? heldBy} no longer holds this database; nothing to cancel` };
  if (args.runId !== undefined && holder.runId !== args.runId) return notThatRun;
  // A holder that is gone (a dead pid on this host, or a heartbeat past the timeout, m.17)
  // cannot stop: its lock is released at once and its run marked interrupted.
  const gone = await writeWhenFree(opened, () => opened.store.clearStaleLock(staleJudge(opened.store, clock, opened.path), formatTimestamp(clock.now())));
  if (gone) {
    return {
      requested: false,
      holder,
      stopped: true,
      forced: false,
      message: `the ${holder.kind} holding the lock (${heldBy}, pid ${holder.pid} on ${holder.host}) is no longer running; its lock was released and its run marked interrupted (\`batchdesk run --resume${args.commandSuffix ?? ''}\` continues it)`,
    };
  }
  // A purge, restore or import never looks at the request: it is not asked, and --force does not take its lock from a live holder.
  if (!isCancellable(holder.kind)) {
    return {
      requested: false,
      holder,
      stopped: false,
      forced: false,
      message: `the ${holder.kind} holding the lock (${holder.holder} pid ${holder.pid} on ${holder.host}, since ${holder.acquiredAt}) cannot be cancelled; it releases the lock when it finishes`,
    };
  }
  if (!(await writeWhenFree(opened, () => opened.store.requestCancel(formatTimestamp(clock.now()), args.runId ?? holder.runId ?? undefined)))) return notThatRun;
  if (!args.force) return { requested: true, holder, stopped: false, forced: false, message: `cancel requested; ${holder.kind} ${heldBy} (pid ${holder.pid} on ${holder.host}) stops after its current portfolio-date` };
  const until = Date.now() + args.waitMs;
  while (Date.now() < until) {
    const now = opened.store.readLock();
    if (!now || now.runId !== holder.runId) return { requested: true, holder, stopped: true, forced: false, message: 'the run stopped' };
    await sleep(Math.min(250, Math.max(1, until - Date.now())));
  }
  const me = engineHost('cli', opened.path);
  if (holder.host !== me.host) return { requested: true, holder, stopped: false, forced: false, message: `the holder runs on another host (${holder.host}); it is taken over only after the heartbeat timeout` };
  await writeWhenFree(opened, () => opened.store.clearStaleLock((held) => held.runId === holder.runId, formatTimestamp(clock.now())));
  return { requested: true, holder, stopped: false, forced: true, message: `the holder (pid ${holder.pid}) did not respond within ${Math.round(args.waitMs / 1000)} s; its lock was released and its run marked interrupted` };
}
