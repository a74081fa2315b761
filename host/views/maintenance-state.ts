/**
 * The maintenance state the app and `serve` show (SPEC.md j.5 step 0, k: "rebuilding": true on
 * data responses): settings.maintenance as a rebuild wrote it, unless the rebuild's process is
 * gone. A killed rebuild cannot clear its own flag; until the next run, purge, rebuild, restore
 * or import takes its lock over (db/maintenance/interrupted-maintenance.ts) the flag would say
 * "rebuilding" forever. Here it reads as an interrupted rebuild instead, with the two ways out
 * (as `history --running` gives them): run the rebuild again, or restore the pre-rebuild backup.
 */
import { hostname } from 'node:os';
import { z } from 'zod';
import { interruptedRebuildWaysOut } from '../../core/maintenance/interrupted-rebuild';
import { interruptedRebuild, type InterruptedRebuild } from '../../db/maintenance/interrupted-maintenance';
import type { SqliteDatabase } from '../../db/open-database';
import { isPidAlive } from '../engine-host';
import { parseJsonColumn } from './json-column';

const record = z.record(z.string(), z.unknown());

/** settings.maintenance exactly as stored ({ active, reason, since }), or null. */
export function storedMaintenance(db: SqliteDatabase): Record<string, unknown> | null {
  const r = db.prepare(`SELECT value FROM settings WHERE key = 'maintenance'`).get() as { value: string } | undefined;
  return parseJsonColumn(r?.value, record);
}

/** Whether no live process holds the lock: it is free, or held by a dead pid on this host. */
function lockHolderGone(db: SqliteDatabase): boolean {
  const lock = db.prepare(`SELECT host, pid FROM run_lock WHERE id = 1`).get() as { host: string; pid: number } | undefined;
  return lock === undefined || (lock.host === hostname() && lock.pid !== process.pid && !isPidAlive(lock.pid));
}

/** A rebuild left flagged by a process that is gone, or null (also while one is really running). */
export function deadRebuild(db: SqliteDatabase, dbPath: string = db.name): InterruptedRebuild | null {
  const m = storedMaintenance(db);
  if (m?.['active'] !== true || m['reason'] !== 'rebuild' || !lockHolderGone(db)) return null;
  return interruptedRebuild(db, dbPath);
}

/** What an interrupted rebuild means for the user, in words. */
export function interruptedRebuildText(r: InterruptedRebuild): string {
  return `rebuild interrupted: its process is gone (the next run or maintenance operation closes it and the gate); its range may be partly purged or rebuilt: ${interruptedRebuildWaysOut(r)}`;
}

/** settings.maintenance as the app shows it ({ active, reason, since }): an interrupted rebuild is no longer active. */
export function maintenanceOf(db: SqliteDatabase, dbPath: string = db.name): Record<string, unknown> | null {
  const m = storedMaintenance(db);
  const dead = deadRebuild(db, dbPath);
  return dead ? { ...m, active: false, reason: interruptedRebuildText(dead), interrupted: true, backup_file: dead.backupFile } : m;
}
