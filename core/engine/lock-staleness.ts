/**
 * When a run lock's holder counts as gone (m.17), the one rule for the engine and every host
 * command that takes over or reports a lock: no heartbeat within `lock.stale_after_ms`, or a
 * holder on this host whose process no longer exists (another host's pid cannot be checked).
 */
import type { LockRecord } from '../ports/store';
import type { EngineHost } from './run-context';

/** Whether `lock` is stale at `nowMs` for a process described by `me`. */
export function isLockStale(lock: LockRecord, nowMs: number, staleAfterMs: number, me: Pick<EngineHost, 'host' | 'pid' | 'isPidAlive'>): boolean {
  return nowMs - Date.parse(lock.heartbeatAt) > staleAfterMs || (lock.host === me.host && lock.pid !== me.pid && !me.isPidAlive(lock.pid));
}
