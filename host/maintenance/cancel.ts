/**
 * Cross-process cancel (SPEC.md g.10): sets run_lock.cancel_requested; the running engine
 * checks it at every portfolio-date boundary. A holder that is already gone (stale, m.17) has
 * its lock released at once. With force, a holder on this host that has not let go within the
 * wait is treated as stale: its run is marked interrupted and the lock freed. With a run id, only
 * that run is asked (the app's Live screen names the run it shows): a run that ended meanwhile,
 * or the next one that took the lock, is left alone. A purge, restore or import holding the lock
 * cannot be stopped part-way: it is not asked, and force does not take its lock while it lives.
 *
 * Releasing a lock cleans up after its holder (the lock store's takeover): the message says
 * what to do next from what that cleaned up. A run is continued with `run --resume`; a killed
 * rebuild was closed as failed and the gate closed over its range, so it is run again or its
 * pre-rebuild backup restored (j.5), and the gate change is reported to `events` as the guard
 * reports one (`gate_changed`).
 *
 * A running engine holds the write lock for each whole date and frees it only briefly in
 * between, which SQLite's busy wait (sleeping up to 100 ms between tries, blocking the thread)
 * often misses until its timeout: the request is written without a busy wait, tried every
 * millisecond for up to WRITE_WAIT_MS, without blocking the thread.
 */
import { formatTimestamp } from '../../core/domain/timestamp';
import type { Clock } from '../../core/ports/clock';
import type { LockRecord, LockTakeover } from '../../core/ports/store';
import { isCancellable, lockKindWords, stopsOnCtrlC } from '../../core/engine/locked-error';
import { announceGateChange } from '../diagnostics/guard';
import type { OpenedDatabase } from '../engine-host';
import { engineHost, staleJudge } from '../engine-host';
import { interruptedRebuildRange, interruptedRebuildWaysOut } from '../../core/maintenance/interrupted-rebuild';
import type { StepEventTarget } from './step-events';

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

/**
 * What became of a released lock's holder and what to do next: a run is marked interrupted and
 * continued with `run --resume`; a killed rebuild is closed as failed with the gate closed over
 * its range, and is run again or its backup restored; anything else simply did not finish.
 */
function afterRelease(takeover: LockTakeover, commandSuffix: string): string {
  const rebuild = takeover.interruptedRebuild;
  if (rebuild) {
    return `its lock was released, the rebuild closed as failed and the regression gate closed over ${interruptedRebuildRange(rebuild)}; ${interruptedRebuildWaysOut(rebuild)}`;
  }
  if (takeover.lock.kind === 'run') return `its lock was released and its run marked interrupted (\`batchdesk run --resume${commandSuffix}\` continues it)`;
  return `its lock was released; the ${lockKindWords(takeover.lock.kind)} did not finish: run it again if it is still needed`;
}

/** The lock's release, reported: the gate change it made to `events`, and the message saying what to do next. */
function released(takeover: LockTakeover, events: StepEventTarget, clock: Clock, commandSuffix: string): string {
  if (takeover.gateChange) announceGateChange(takeover.gateChange, events, clock);
  return afterRelease(takeover, commandSuffix);
}

/**
 * `args.commandSuffix` is appended to the command a message advises (the CLI's ` --db PATH`,
 * advisedDbFlag); `args.events` receive the gate change releasing a killed rebuild's lock makes.
 */
export async function cancelRun(opened: OpenedDatabase, args: { force: boolean; waitMs: number; runId?: string; commandSuffix?: string; events?: StepEventTarget }, clock: Clock): Promise<CancelResult> {
  const suffix = args.commandSuffix ?? '';
  const events = args.events ?? {};
  const holder = opened.store.readLock();
  if (!holder) return { requested: false, holder: null, stopped: false, forced: false, message: 'no batch or maintenance operation holds the lock on this database; nothing to cancel' };
  // Named as `history` names it: a run by its batch run id, a maintenance operation by its lock id.
  const heldBy = holder.batchRunId ?? holder.runId ?? 'n/a';
  const notThatRun: CancelResult = { requested: false, holder, stopped: false, forced: false, message: `run ${args.runId ?? heldBy} no longer holds this database; nothing to cancel` };
  if (args.runId !== undefined && holder.runId !== args.runId) return notThatRun;
  // A holder that is gone (a dead pid on this host, or a heartbeat past the timeout, m.17)
  // cannot stop: its lock is released at once and what it left is cleaned up.
  const gone = await writeWhenFree(opened, () => opened.store.clearStaleLock(staleJudge(opened.store, clock, opened.path), formatTimestamp(clock.now())));
  if (gone) {
    return {
      requested: false,
      holder,
      stopped: true,
      forced: false,
      message: `the ${lockKindWords(holder.kind)} holding the lock (${heldBy}, pid ${holder.pid} on ${holder.host}) is no longer running; ${released(gone, events, clock, suffix)}`,
    };
  }
  // A purge, restore or import never looks at the request: it is not asked, and --force does not take its lock from a live holder.
  if (!isCancellable(holder.kind)) {
    return {
      requested: false,
      holder,
      stopped: false,
      forced: false,
      message: `the ${lockKindWords(holder.kind)} holding the lock (${holder.holder} pid ${holder.pid} on ${holder.host}, since ${holder.acquiredAt}) cannot be cancelled; it releases the lock when it finishes${stopsOnCtrlC(holder) ? ', or stops on Ctrl-C in the terminal running it' : ''}`,
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
  const taken = await writeWhenFree(opened, () => opened.store.clearStaleLock((held) => held.runId === holder.runId, formatTimestamp(clock.now())));
  if (!taken) return { requested: true, holder, stopped: true, forced: false, message: 'the run stopped' };
  return { requested: true, holder, stopped: false, forced: true, message: `the holder (pid ${holder.pid}) did not respond within ${Math.round(args.waitMs / 1000)} s; ${released(taken, events, clock, suffix)}` };
}
