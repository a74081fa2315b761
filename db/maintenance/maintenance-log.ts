/**
 * maintenance_log rows (SPEC.md b.4): one row per backup, restore, purge, import, rebuild or
 * gate change, with its details as JSON (row counts before and after, files, checks, ranges,
 * reasons). A row is opened when the operation starts and completed when it ends.
 */
import type { SqliteDatabase } from '../open-database';

export type MaintenanceOperation = 'backup' | 'restore' | 'purge' | 'import' | 'rebuild' | 'gate';
export type MaintenanceStatus = 'success' | 'failed' | 'cancelled';

export interface MaintenanceRecord {
  readonly id: number;
  readonly operation: MaintenanceOperation;
  readonly startedAt: string | null;
  readonly completedAt: string | null;
  readonly status: MaintenanceStatus | null;
  readonly details: Record<string, unknown>;
  readonly runId: string | null;
}

function toRecord(r: Record<string, unknown>): MaintenanceRecord {
  return {
    id: r['id'] as number,
    operation: r['operation'] as MaintenanceOperation,
    startedAt: (r['started_at'] as string | null) ?? null,
    completedAt: (r['completed_at'] as string | null) ?? null,
    status: (r['status'] as MaintenanceStatus | null) ?? null,
    details: r['details'] ? (JSON.parse(r['details'] as string) as Record<string, unknown>) : {},
    runId: (r['run_id'] as string | null) ?? null,
  };
}

/** Opens a row (status null until finished); returns its id. */
export function startMaintenance(db: SqliteDatabase, operation: MaintenanceOperation, details: Record<string, unknown>, nowIso: string, runId: string | null = null): number {
  const r = db.prepare(`INSERT INTO maintenance_log (operation, started_at, details, run_id) VALUES (?, ?, ?, ?)`).run(operation, nowIso, JSON.stringify(details), runId);
  return Number(r.lastInsertRowid);
}

/** Merges details into the row and completes it. */
export function finishMaintenance(db: SqliteDatabase, id: number, status: MaintenanceStatus, details: Record<string, unknown>, nowIso: string): void {
  const current = getMaintenance(db, id)?.details ?? {};
  db.prepare(`UPDATE maintenance_log SET status = ?, completed_at = ?, details = ? WHERE id = ?`).run(status, nowIso, JSON.stringify({ ...current, ...details }), id);
}

/** Merges details into an open row without completing it. */
export function updateMaintenance(db: SqliteDatabase, id: number, details: Record<string, unknown>): void {
  const current = getMaintenance(db, id)?.details ?? {};
  db.prepare(`UPDATE maintenance_log SET details = ? WHERE id = ?`).run(JSON.stringify({ ...current, ...details }), id);
}

/** A completed row in one statement. */
export function logMaintenance(db: SqliteDatabase, operation: MaintenanceOperation, status: MaintenanceStatus, details: Record<string, unknown>, startedAt: string, completedAt: string, runId: string | null = null): number {
  const r = db
    .prepare(`INSERT INTO maintenance_log (operation, started_at, completed_at, status, details, run_id) VALUES (?, ?, ?, ?, ?, ?)`)
    .run(operation, startedAt, completedAt, status, JSON.stringify(details), runId);
  return Number(r.lastInsertRowid);
}

export function getMaintenance(db: SqliteDatabase, id: number): MaintenanceRecord | null {
  const r = db.prepare(`SELECT * FROM maintenance_log WHERE id = ?`).get(id) as Record<string, unknown> | undefined;
  return r ? toRecord(r) : null;
}

/** The latest completed row of an operation (optionally with a given status). */
export function latestMaintenance(db: SqliteDatabase, operation: MaintenanceOperation, status: MaintenanceStatus | null = 'success'): MaintenanceRecord | null {
  const r = db
    .prepare(`SELECT * FROM maintenance_log WHERE operation = ? AND (? IS NULL OR status = ?) ORDER BY id DESC LIMIT 1`)
    .get(operation, status, status) as Record<string, unknown> | undefined;
  return r ? toRecord(r) : null;
}
