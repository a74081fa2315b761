/**
 * The run lock for maintenance operations (SPEC.md g.9): purge, restore and rebuild take it
 * with their own kind after the in-flight check. The lock must be free (or stale: a dead pid
 * on this host, or a heartbeat older than lock.stale_after_ms), and no tracking row may be
 * open unless it belongs to a run that is no longer alive (it is then marked interrupted).
 * Taking over a killed rebuild's lock closes the gate (interrupted-maintenance.ts); the lock
 * store's result says so, a taker with telemetry sinks reports it as the guard's gate changes
 * are reported (`gate_changed`), and the held lock keeps it (`takeover`) for the taker's result
 * to say in words (core/maintenance/takeover-words.ts): a CLI command prints no telemetry.
 */
import { randomUUID } from 'node:crypto';
import { formatTimestamp } from '../../core/domain/timestamp';
import { lockedError } from '../../core/engine/locked-error';
import type { Clock } from '../../core/ports/clock';
import type { EngineStore } from '../../core/ports/engine-store';
import type { LockHolder, LockKind, LockRecord, LockTakeover } from '../../core/ports/store';
import type { SqliteDatabase } from '../../db/open-database';
import { announceGateChange } from '../diagnostics/guard';
import type { StepEventTarget } from './step-events';
import { engineHost, staleJudge, type OpenedDatabase } from '../engine-host';

export interface HeldLock {
  readonly lockId: string;
  readonly kind: LockKind;
  /** The stale lock taking this one took over, with what that cleaned up after its dead holder; null when the lock was free. */
  readonly takeover: LockTakeover | null;
  heartbeat(): void;
  release(): void;
}

/** The lock as another process holds it (not stale), or null. */
export function activeLockHolder(store: EngineStore, clock: Clock, dbPath: string): LockRecord | null {
  const held = store.readLock();
  return held && !staleJudge(store, clock, dbPath)(held) ? held : null;
}

/**
 * Takes the lock with `kind` after the in-flight check; throws BatchdeskError('locked')
 * (exit code 3) naming the holder when a live run or maintenance operation holds it. A gate
 * closed by taking over a killed rebuild's lock is reported to `events`.
 */
export function acquireMaintenanceLock(db: SqliteDatabase, store: EngineStore, kind: LockKind, holder: LockHolder, clock: Clock, dbPath: string, events: StepEventTarget = {}): HeldLock {
  const nowIso = () => formatTimestamp(clock.now());
  const me = engineHost(holder, dbPath);
  const lockId = `${kind}-${randomUUID()}`;
  const r = store.acquireLock({ kind, runId: lockId, holder, host: me.host, pid: me.pid, acquiredAt: nowIso(), heartbeatAt: nowIso() }, staleJudge(store, clock, dbPath), nowIso());
  if (!r.acquired) throw lockedError(r.holder);
  if (r.tookOver?.gateChange) announceGateChange(r.tookOver.gateChange, events, clock);
  // In-flight check: with the lock ours, any open tracking row belongs to a run that is gone.
  // Imported rows (status 'imported') describe the reference system's history, not a run here.
  const open = db.prepare(`SELECT DISTINCT run_id FROM batch_run_tracking WHERE completed_at IS NULL AND status IS NOT 'imported'`).all() as { run_id: string | null }[];
  if (open.length) {
    store.transaction(() => {
      for (const o of open) {
        if (o.run_id) store.markInterrupted(o.run_id, nowIso());
        else db.prepare(`UPDATE batch_run_tracking SET status = 'failed', completed_at = ?, updated_at = ? WHERE completed_at IS NULL AND run_id IS NULL AND status IS NOT 'imported'`).run(nowIso(), nowIso());
      }
    });
  }
  return {
    lockId,
    kind,
    takeover: r.tookOver,
    heartbeat: () => store.heartbeat(lockId, nowIso()),
    release: () => store.releaseLock(lockId),
  };
}

/** Runs `fn` holding the lock with `kind` (taken as acquireMaintenanceLock takes it, which `fn` gets: what it took over) and releases it after. */
export function withMaintenanceLock<T>(opened: OpenedDatabase, kind: LockKind, holder: LockHolder, clock: Clock, fn: (lock: HeldLock) => T): T {
  const lock = acquireMaintenanceLock(opened.db, opened.store, kind, holder, clock, opened.path);
  try {
    return fn(lock);
  } finally {
    lock.release();
  }
}
