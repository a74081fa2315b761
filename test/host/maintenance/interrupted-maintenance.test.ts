/**
 * Taking over the lock of a dead maintenance process (db/maintenance/interrupted-maintenance.ts,
 * SPEC.md g.9, m.17): every taker passes through the lock repository, so a purge, restore or
 * import row left open with a NULL status is closed as failed and interrupted whether the taker
 * is a maintenance operation (acquireMaintenanceLock) or `cancel` (clearStaleLock); a live
 * holder's row is left alone.
 */
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTimestamp } from '../../../core/domain/timestamp';
import { getMaintenance, startMaintenance } from '../../../db/maintenance/maintenance-log';
import { openStore } from '../../../host/engine-host';
import { acquireMaintenanceLock, staleJudge } from '../../../host/maintenance/maintenance-lock';
import { tempDir } from '../../support/cli';

const NOW = Date.parse('2025-07-10T23:00:00Z');
const clock = { now: () => NOW };
const nowIso = formatTimestamp(NOW);

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

/** A new database whose lock is held by `pid` (kind purge) with an open purge row. */
function leftByPurge(pid: number) {
  const opened = openStore(join(tempDir(), 'left.db'));
  opened.store.acquireLock({ kind: 'purge', runId: 'purge-dead', holder: 'cli', host: hostname(), pid, acquiredAt: nowIso, heartbeatAt: nowIso }, () => false, nowIso);
  const id = startMaintenance(opened.db, 'purge', { range: { start: '2025-07-01', end: '2025-07-08' } }, nowIso, 'purge-dead');
  return { opened, id };
}

describe('taking over the lock of a dead maintenance process', () => {
  it('closes the purge row it left open as failed and interrupted (maintenance lock)', () => {
    const pid = deadPid();
    const { opened, id } = leftByPurge(pid);
    try {
      acquireMaintenanceLock(opened.db, opened.store, 'restore', 'cli', clock, opened.path).release();
      const row = getMaintenance(opened.db, id)!;
      expect(row.status).toBe('failed');
      expect(row.completedAt).toBe(nowIso);
      expect(row.details).toMatchObject({ interrupted: true, error: `interrupted: the purge process (pid ${pid} on ${hostname()}) stopped before it finished`, range: { start: '2025-07-01', end: '2025-07-08' } });
    } finally {
      opened.close();
    }
  });

  it('closes it as well when `cancel` clears the stale lock', () => {
    const { opened, id } = leftByPurge(deadPid());
    try {
      expect(opened.store.clearStaleLock(staleJudge(opened.store, clock, opened.path), nowIso)).not.toBeNull();
      expect(getMaintenance(opened.db, id)).toMatchObject({ status: 'failed', details: { interrupted: true } });
    } finally {
      opened.close();
    }
  });

  it('leaves the row of a live holder open', () => {
    const { opened, id } = leftByPurge(process.ppid);
    try {
      expect(() => acquireMaintenanceLock(opened.db, opened.store, 'restore', 'cli', clock, opened.path)).toThrow();
      expect(getMaintenance(opened.db, id)).toMatchObject({ status: null, completedAt: null });
    } finally {
      opened.close();
    }
  });
});
