import { describe, expect, it } from 'vitest';
import { isLockStale } from '../../../core/engine/lock-staleness';
import type { LockRecord } from '../../../core/ports/store';

const BEAT = '2026-11-27T23:00:00.000000Z';
const beatMs = Date.parse(BEAT);
const lock = (over: Partial<LockRecord> = {}): LockRecord => ({
  kind: 'run',
  runId: 'r1',
  batchRunId: null,
  holder: 'cli',
  host: 'laptop',
  pid: 4242,
  acquiredAt: BEAT,
  heartbeatAt: BEAT,
  cancelRequested: false,
  ...over,
});
const alive = (pids: number[]) => ({ host: 'laptop', pid: 1, isPidAlive: (p: number) => pids.includes(p) });

describe('isLockStale (m.17)', () => {
  it('is stale only once the heartbeat is older than lock.stale_after_ms', () => {
    expect(isLockStale(lock(), beatMs + 30_000, 30_000, alive([4242]))).toBe(false);
    expect(isLockStale(lock(), beatMs + 30_001, 30_000, alive([4242]))).toBe(true);
  });

  it('is stale at once when its holder on this host is gone', () => {
    expect(isLockStale(lock(), beatMs + 1, 30_000, alive([]))).toBe(true);
  });

  it("never judges another host's pid, nor this process's own lock, by the process table", () => {
    expect(isLockStale(lock({ host: 'desktop' }), beatMs + 1, 30_000, alive([]))).toBe(false);
    expect(isLockStale(lock({ pid: 1 }), beatMs + 1, 30_000, alive([]))).toBe(false);
  });
});
