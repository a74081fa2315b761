/**
 * The run lock (SPEC.md g.9, m.16, m.17): at most one row. Acquire reads and writes it in one
 * immediate transaction; a stale holder (the caller decides: dead pid on this host, or a
 * heartbeat older than the timeout) is taken over and its run marked interrupted; the
 * maintenance it left open (maintenance_log rows, a rebuild's settings.maintenance and gate)
 * is closed in the same transaction (interrupted-maintenance.ts), whoever the taker is, and
 * what that cleaned up is the taker's result (LockTakeover), for it to report. SQLITE_BUSY
 * while acquiring is reported as "locked", never a crash.
 */
import type { AcquireResult, LockKind, LockRecord, LockStore, LockTakeover } from '../../core/ports/store';
import { closeInterruptedMaintenance } from '../maintenance/interrupted-maintenance';
import type { SqliteDatabase } from '../open-database';
import { statementCache } from '../statement-cache';

interface LockRow {
  kind: StoredLockKind;
  run_id: string | null;
  batch_run_id: string | null;
  holder: LockRecord['holder'];
  host: string;
  pid: number;
  acquired_at: string;
  heartbeat_at: string;
  cancel_requested: number;
}

/** The kinds run_lock.kind holds (its CHECK, SPEC.md b.4): a seed's lock is stored as an import. */
type StoredLockKind = Exclude<LockKind, 'seed'>;

/** The lock id a seed's lock has (maintenance-lock.ts names lock ids `<kind>-<uuid>`), which tells it from an import's. */
const SEED_LOCK_ID = /^seed-/;

const storedKind = (kind: LockKind): StoredLockKind => (kind === 'seed' ? 'import' : kind);
const kindOf = (r: LockRow): LockKind => (r.kind === 'import' && r.run_id !== null && SEED_LOCK_ID.test(r.run_id) ? 'seed' : r.kind);

const toRecord = (r: LockRow): LockRecord => ({
  kind: kindOf(r),
  runId: r.run_id,
  batchRunId: r.batch_run_id,
  holder: r.holder,
  host: r.host,
  pid: r.pid,
  acquiredAt: r.acquired_at,
  heartbeatAt: r.heartbeat_at,
  cancelRequested: r.cancel_requested === 1,
});

export function lockRepository(db: SqliteDatabase, onTakeover: (stale: LockRecord, nowIso: string) => void): LockStore {
  const sql = statementCache(db);
  const read = sql(`SELECT l.*, h.batch_run_id FROM run_lock l LEFT JOIN batch_run_history h ON h.id = l.run_id WHERE l.id = 1`);
  const del = sql(`DELETE FROM run_lock WHERE id = 1`);
  const insert = sql(
    `INSERT INTO run_lock (id, kind, run_id, holder, host, pid, acquired_at, heartbeat_at, cancel_requested) VALUES (1, ?, ?, ?, ?, ?, ?, ?, 0)`,
  );
  const takeOver = (stale: LockRecord, nowIso: string): LockTakeover => {
    onTakeover(stale, nowIso);
    const cleanup = closeInterruptedMaintenance(db, stale, nowIso);
    del.run();
    return { lock: stale, ...cleanup };
  };
  const readLock = (): LockRecord | null => {
    const r = read.get() as LockRow | undefined;
    return r ? toRecord(r) : null;
  };
  return {
    readLock,
    acquireLock(want, isStale, nowIso): AcquireResult {
      const tx = db.transaction((): AcquireResult => {
        const held = readLock();
        if (held && !isStale(held)) return { acquired: false, holder: held };
        const tookOver = held ? takeOver(held, nowIso) : null;
        insert.run(storedKind(want.kind), want.runId, want.holder, want.host, want.pid, want.acquiredAt, want.heartbeatAt);
        return { acquired: true, tookOver };
      });
      try {
        return tx.immediate();
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_BUSY') {
          const held = (() => {
            try {
              return readLock();
            } catch {
              return null;
            }
          })();
          return { acquired: false, holder: held ?? { kind: 'run', runId: null, batchRunId: null, holder: 'cli', host: 'unknown (database busy)', pid: 0, acquiredAt: nowIso, heartbeatAt: nowIso, cancelRequested: false } };
        }
        throw err;
      }
    },
    clearStaleLock(isStale, nowIso) {
      return db
        .transaction((): LockTakeover | null => {
          const held = readLock();
          return held && isStale(held) ? takeOver(held, nowIso) : null;
        })
        .immediate();
    },
    heartbeat(runId, nowIso) {
      sql(`UPDATE run_lock SET heartbeat_at = ? WHERE id = 1 AND run_id IS ?`).run(nowIso, runId);
    },
    releaseLock(runId) {
      sql(`DELETE FROM run_lock WHERE id = 1 AND run_id IS ?`).run(runId);
    },
    requestCancel(nowIso, runId) {
      if (runId === undefined) return sql(`UPDATE run_lock SET cancel_requested = 1, cancel_requested_at = ? WHERE id = 1`).run(nowIso).changes > 0;
      return sql(`UPDATE run_lock SET cancel_requested = 1, cancel_requested_at = ? WHERE id = 1 AND run_id = ?`).run(nowIso, runId).changes > 0;
    },
    isCancelRequested() {
      const r = sql(`SELECT cancel_requested FROM run_lock WHERE id = 1`).get() as { cancel_requested: number } | undefined;
      return r?.cancel_requested === 1;
    },
  };
}
