/**
 * What a killed restore leaves (SPEC.md j.3), on real files:
 *   - killed right after the rename, the backup now is the database: it must carry no lock row
 *     (a backup made under a lock has that lock's row in its image) and must already record the
 *     restore, since nothing after the rename runs. The state a kill there leaves is read by
 *     another connection at the `reopen` step event, which the restore reports right after the
 *     rename (a sink is called synchronously, where the restore is);
 *   - killed while copying, its copy `.<database>.restore-<pid>.tmp` stays beside the database:
 *     the next restore removes the copies of processes no longer alive, and says so, and keeps a
 *     live process's copy and other databases' files.
 */
import Database from 'better-sqlite3';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../../core/api/telemetry-events';
import type { TelemetrySink } from '../../../core/telemetry/record-metric';
import { openStore } from '../../../host/engine-host';
import { makeBackup } from '../../../host/maintenance/backup';
import { acquireMaintenanceLock } from '../../../host/maintenance/maintenance-lock';
import { restoreBackup } from '../../../host/maintenance/restore';
import { systemClock } from '../../../host/system-ports';
import { exitedPid, reapChildrenAfterEach, runningProcess } from '../../support/child-processes';
import { runCli, tempDir } from '../../support/cli';
import { ENV, SAFE_NOW } from '../../support/safeguards';

const clock = systemClock({ BATCHDESK_NOW: SAFE_NOW });
const children = reapChildrenAfterEach();

interface Seen {
  readonly lockRows: number;
  readonly restores: { id: number; status: string | null }[];
}

function seenIn(path: string): Seen {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return {
      lockRows: (db.prepare(`SELECT count(*) AS n FROM run_lock`).get() as { n: number }).n,
      restores: db.prepare(`SELECT id, status FROM maintenance_log WHERE operation = 'restore' ORDER BY id`).all() as Seen['restores'],
    };
  } finally {
    db.close();
  }
}

/** A sink that reads the database at `path` when the restore reports the step `step`. */
function readAtStep(path: string, step: string, seen: Seen[]): TelemetrySink {
  return {
    name: 'state-at-step',
    handle: (e: TelemetryEvent) => {
      if (e.event === 'metric' && e.payload.name === 'restore_step' && e.payload.tags['step'] === step) seen.push(seenIn(path));
    },
  };
}

/** A new database and a backup of it made under a purge's lock, as a pre-purge backup is: its image holds that lock's row. */
async function backupMadeUnderLock(): Promise<{ db: string; backup: string }> {
  const db = join(tempDir('restore-killed-'), 'portfolios.sqlite');
  const opened = openStore(db);
  try {
    const lock = acquireMaintenanceLock(opened.db, opened.store, 'purge', 'cli', clock, db);
    try {
      const r = await makeBackup(opened, { reason: 'pre-purge', holdsLock: true }, clock);
      return { db, backup: r.file };
    } finally {
      lock.release();
    }
  } finally {
    opened.close();
  }
}

describe('a restore killed right after the rename', () => {
  it('leaves the restored database without the lock row of its backup, the restore recorded', async () => {
    const { db, backup } = await backupMadeUnderLock();
    expect(seenIn(backup).lockRows).toBe(1);
    const seen: Seen[] = [];
    const r = await restoreBackup({ dbPath: db, file: backup, safetyBackup: false, holder: 'cli', sinks: [readAtStep(db, 'reopen', seen)] }, clock);
    expect(seen).toEqual([{ lockRows: 0, restores: [{ id: r.maintenanceId, status: 'success' }] }]);
    expect(seenIn(db)).toEqual(seen[0]);
  });

  it('into a database that was not there yet, too', async () => {
    const { backup } = await backupMadeUnderLock();
    const db = join(tempDir('restore-killed-'), 'portfolios.sqlite');
    const seen: Seen[] = [];
    const r = await restoreBackup({ dbPath: db, file: backup, safetyBackup: true, holder: 'cli', sinks: [readAtStep(db, 'reopen', seen)] }, clock);
    expect(seen).toEqual([{ lockRows: 0, restores: [{ id: r.maintenanceId, status: 'success' }] }]);
  });
});

describe('the copies killed restores left beside the database', () => {
  it('the next restore removes those of processes no longer alive, says so, and keeps the rest', async () => {
    const { db, backup } = await backupMadeUnderLock();
    const dir = join(db, '..');
    const dead = exitedPid();
    const live = await runningProcess(children);
    const file = (name: string) => {
      writeFileSync(join(dir, name), Buffer.alloc(4096, 1));
      return join(dir, name);
    };
    const killed = [file(`.portfolios.sqlite.restore-${dead}.tmp`), file(`.portfolios.sqlite.restore-${dead}.tmp-wal`), file(`portfolios.sqlite.restore-${dead}.tmp`)];
    const kept = [file(`.portfolios.sqlite.restore-${live}.tmp`), file(`.other.sqlite.restore-${dead}.tmp`), file(`.portfolios.sqlite.restore-${dead}.tmp.mine`)];

    const r = await runCli(['restore', backup, '--db', db, '--yes', '--no-safety-backup'], ENV);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => /killed restore/.test(l))).toEqual([`Before the copy it removed 3 files a killed restore left beside the database: ${[...killed].sort().join(', ')}`]);
    for (const f of killed) expect(existsSync(f), f).toBe(false);
    for (const f of kept) expect(existsSync(f), f).toBe(true);

    // Nothing left to remove: the next restore says nothing about it.
    const again = await restoreBackup({ dbPath: db, file: backup, safetyBackup: false, holder: 'cli' }, clock);
    expect(again.removedLeftovers).toBeUndefined();
  });
});
