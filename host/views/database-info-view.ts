/** Facts about the open database for the Data screen: size, row counts per table, gate, maintenance, lock. */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import type { SqliteDatabase } from '../../db/open-database';
import { tableRowCounts } from '../../db/table-counts';
import { lockRepository } from '../../db/repositories/lock-repository';
import { lockKindWords } from '../../core/engine/locked-error';
import { parseJsonColumn } from './json-column';
import { maintenanceOf } from './maintenance-state';

const record = z.record(z.string(), z.unknown());

/** settings.maintenance as the app shows it (maintenance-state.ts), kept importable from here. */
export { maintenanceOf };

export function databaseInfo(db: SqliteDatabase, path: string) {
  const setting = (key: string) => {
    const r = db.prepare(`SELECT value FROM settings WHERE key = ?`).get(key) as { value: string } | undefined;
    return parseJsonColumn(r?.value, record);
  };
  // Read as the engine reads it: a seed's lock row (stored as an import, b.4) is seed-demo's.
  const lock = lockRepository(db, () => {}).readLock();
  const latest = db.prepare(`SELECT max(run_date) AS d FROM batch_run_tracking WHERE completed_at IS NOT NULL`).get() as { d: string | null };
  let sizeBytes = 0;
  try {
    sizeBytes = statSync(path).size;
  } catch {
    sizeBytes = 0;
  }
  return {
    path,
    name: basename(path),
    sizeBytes,
    // Every batchdesk table; the migration history is not one.
    rowCounts: tableRowCounts(db, { skipInternal: true }),
    latestCompleteDate: latest.d,
    gate: setting('gate'),
    maintenance: maintenanceOf(db),
    lock: lock && { what: lockKindWords(lock.kind), holder: lock.holder, host: lock.host, pid: lock.pid, acquiredAt: lock.acquiredAt, heartbeatAt: lock.heartbeatAt },
  };
}
