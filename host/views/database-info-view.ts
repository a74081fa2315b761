/** Facts about the open database for the Data screen: size, row counts per table, gate, maintenance, lock. */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import type { SqliteDatabase } from '../../db/open-database';
import { tableRowCounts } from '../../db/table-counts';
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
  const lock = db.prepare(`SELECT kind, run_id, holder, host, pid, acquired_at, heartbeat_at, cancel_requested FROM run_lock WHERE id = 1`).get() as Record<string, unknown> | undefined;
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
    lock: lock ?? null,
  };
}
